/**
 * A `fetch` for Node servers built on undici's `request`, the lower-level call of the library Node's own `fetch`
 * is built on. It skips the WHATWG `Request` machinery the global `fetch` runs for every call, and keeps what a
 * client needs: a keep-alive connection pool, gzip/deflate/br decoding (undici's decompress interceptor), streamed request and response bodies, TLS
 * options (a custom CA) and proxies (from the environment, a URL, or any undici dispatcher the caller passes).
 *
 * It follows no redirects (the clients ask for `redirect: 'manual'` and turn a 3xx into a `RedirectError`), and
 * it returns a standard `Response`, so the clients read it exactly as they read the platform's.
 *
 * Unlike a platform `fetch`, it knows whether a failed request was ever written: undici tells a request's handler
 * when its connection is ready and the request is about to go out. A failure before that (a connection refused, a
 * TLS error, an abort while connecting or queued in the pool) is thrown wrapped in `NotSent`, which the clients
 * read as "certainly did not reach the server" (the `reached` field of their errors) and unwrap. With a dispatcher
 * of your own, what counts is whether it started the request's handler: a `MockAgent`'s `replyWithError` does not,
 * so it stands for a failure before writing.
 */
import { Readable } from 'node:stream';
import { Agent, EnvHttpProxyAgent, ProxyAgent, interceptors, request, type Dispatcher } from 'undici';
import type { FetchFunction } from '../core/client/types.js';
import { NotSent } from '../core/errors/reach.js';
import { untilAborted } from '../core/exchange/abortable.js';
import { NULL_BODY_STATUSES } from '../core/exchange/null-body.js';

/** TLS and pool settings for the connections undici opens. */
export interface UndiciConnectionOptions {
  /**
   * Certificate authorities to trust instead of Node's bundled list (PEM), e.g. a company's own CA.
   * @default Node's bundled CAs
   */
  readonly ca?: string | Buffer | readonly (string | Buffer)[];
  /**
   * The most connections kept open per origin.
   * @default no limit
   */
  readonly connections?: number;
  /**
   * How long an idle keep-alive connection stays open, in milliseconds.
   * @default 4000
   */
  readonly keepAliveTimeoutMs?: number;
  /**
   * Where to send requests through a proxy: `'env'` reads `HTTP_PROXY`, `HTTPS_PROXY` and `NO_PROXY`; a URL
   * sends every request through that proxy.
   * @default no proxy
   */
  readonly proxy?: 'env' | string;
}

/** Options of {@link createUndiciFetch}: connection settings, or a dispatcher of your own. */
export type UndiciFetchOptions = (
  | (UndiciConnectionOptions & { readonly dispatcher?: never })
  | {
      /** An undici dispatcher (Agent, Pool, ProxyAgent, MockAgent…) to send through; you own its settings. */
      readonly dispatcher: Dispatcher;
      readonly ca?: never;
      readonly connections?: never;
      readonly keepAliveTimeoutMs?: never;
      readonly proxy?: never;
    }
) & {
  /**
   * Decode `Content-Encoding: gzip`, `deflate` and `br` response bodies, one coding or several (`gzip, br`), as
   * `fetch` does.
   * @default true
   */
  readonly decompress?: boolean;
};

/** A fetch over undici, with `close()` to end its connections. */
export interface UndiciFetch extends FetchFunction {
  /** Closes the pool's connections (only those this transport opened itself). */
  close(): Promise<void>;
}

function createDispatcher(options: UndiciConnectionOptions): Dispatcher {
  const connect = options.ca === undefined ? undefined : { ca: options.ca as string | Buffer | (string | Buffer)[] };
  const pool = {
    ...(options.connections === undefined ? {} : { connections: options.connections }),
    ...(options.keepAliveTimeoutMs === undefined ? {} : { keepAliveTimeout: options.keepAliveTimeoutMs }),
    ...(connect ? { connect } : {}),
  };
  if (options.proxy === 'env') return new EnvHttpProxyAgent({ ...pool, ...(connect ? { requestTls: connect } : {}) });
  if (options.proxy !== undefined) return new ProxyAgent({ ...pool, uri: options.proxy, ...(connect ? { requestTls: connect } : {}) });
  return new Agent(pool);
}

/**
 * undici's own decoding of `Content-Encoding` (gzip, x-gzip, deflate, br, and a chain of them such as `gzip, br`,
 * undone in reverse order), as `fetch` decodes. Error statuses are decoded too, so an error body is read as `fetch`
 * reads it. A coding it does not know leaves the body as it came, with its `Content-Encoding`, as `fetch` does: the
 * client then fails to parse it and reports an `UnexpectedResponseError` instead of passing the bytes on. A corrupt
 * body errors the stream, so reading it rejects.
 */
let decompressing: Dispatcher.DispatcherComposeInterceptor | undefined;

/**
 * The interceptor, made on first use: undici marks it experimental and says so once per process on creation, so
 * a program that imports this module without decoding never sees the warning.
 */
function decompressInterceptor(): Dispatcher.DispatcherComposeInterceptor {
  return (decompressing ??= interceptors.decompress({ skipErrorResponses: false }));
}

/**
 * A standard `Response` whose body stays a Node stream until someone asks for a web stream. `text()`, `json()`,
 * `arrayBuffer()` and `blob()` read the Node stream directly: converting every body to a WHATWG stream first
 * costs more CPU than the whole rest of a call. `body` still gives a streaming `ReadableStream` on demand.
 */
class NodeStreamResponse extends Response {
  readonly #source: Readable | null;
  readonly #url: string;
  readonly #rawHeaders: Record<string, string | string[] | undefined>;
  #headers: Headers | undefined;
  #web: ReadableStream<Uint8Array<ArrayBuffer>> | null | undefined;
  #used = false;

  constructor(source: Readable | null, url: string, status: number, statusText: string, rawHeaders: Record<string, string | string[] | undefined>) {
    super(null, { status, statusText });
    this.#source = source;
    this.#url = url;
    this.#rawHeaders = rawHeaders;
  }

  /** Built on first use: a successful call that never looks at its headers does not pay for them. */
  override get headers(): Headers {
    if (!this.#headers) {
      const headers = new Headers();
      for (const [name, value] of Object.entries(this.#rawHeaders)) {
        if (Array.isArray(value)) for (const item of value) headers.append(name, item);
        else if (value !== undefined) headers.append(name, value);
      }
      this.#headers = headers;
    }
    return this.#headers;
  }

  override get url(): string {
    return this.#url;
  }

  override get body(): ReadableStream<Uint8Array<ArrayBuffer>> | null {
    if (this.#web === undefined) this.#web = this.#source ? (Readable.toWeb(this.#source) as ReadableStream<Uint8Array<ArrayBuffer>>) : null;
    return this.#web;
  }

  override get bodyUsed(): boolean {
    return this.#used || (this.#web?.locked ?? false);
  }

  async #bytes(): Promise<Buffer> {
    if (this.bodyUsed) throw new TypeError('Body is unusable: Body has already been read');
    this.#used = true;
    const chunks: Buffer[] = [];
    const stream = this.#web ? Readable.fromWeb(this.#web as import('node:stream/web').ReadableStream) : this.#source;
    if (stream) for await (const chunk of stream) chunks.push(chunk as Buffer);
    return chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks);
  }

  override async text(): Promise<string> {
    const text = (await this.#bytes()).toString('utf8');
    // As `fetch` does, a UTF-8 byte order mark is not part of the text.
    return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  }

  override async json(): Promise<unknown> {
    return JSON.parse(await this.text()) as unknown;
  }

  override async arrayBuffer(): Promise<ArrayBuffer> {
    const bytes = await this.#bytes();
    return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  }

  override async blob(): Promise<Blob> {
    return new Blob([await this.arrayBuffer()], { type: this.headers.get('content-type') ?? '' });
  }

  override async formData(): Promise<FormData> {
    return new Response(await this.arrayBuffer(), { headers: this.headers }).formData();
  }

  override clone(): Response {
    throw new TypeError('A response of the undici transport cannot be cloned; read it once');
  }
}

/** The request's headers as the record undici takes; the clients already give one, so it is copied only otherwise. */
function toHeaderRecord(headers: HeadersInit | undefined): Record<string, string> {
  if (headers === undefined) return {};
  if (!(headers instanceof Headers) && !Array.isArray(headers)) return { ...headers };
  const result: Record<string, string> = {};
  if (headers instanceof Headers) headers.forEach((value, name) => (result[name] = value));
  else for (const [name, value] of headers) result[name.toLowerCase()] = value;
  return result;
}

type UndiciBody = NonNullable<Dispatcher.DispatchOptions['body']> | null;

/**
 * Turns a fetch body into one undici sends: strings, bytes and Blobs as they are, streams chunk by chunk as they
 * come. A multipart form is encoded in memory first (its parts already are), because upload storages refuse a
 * multipart body without a `Content-Length`.
 */
async function toUndiciBody(body: BodyInit | null | undefined, headers: Record<string, string>): Promise<UndiciBody> {
  if (body === null || body === undefined) return null;
  if (body instanceof URLSearchParams) {
    headers['content-type'] ??= 'application/x-www-form-urlencoded;charset=UTF-8';
    return body.toString();
  }
  if (body instanceof ArrayBuffer) return new Uint8Array(body);
  if (body instanceof FormData) {
    const encoded = new Response(body);
    headers['content-type'] = encoded.headers.get('content-type') as string;
    return new Uint8Array(await encoded.arrayBuffer());
  }
  return body as NonNullable<UndiciBody>;
}

/**
 * Creates a fetch-shaped transport over undici's `request`, for `createPachcaClient({ fetch: … })` and the
 * other clients on Node.
 */
export function createUndiciFetch(options: UndiciFetchOptions = {}): UndiciFetch {
  const own = options.dispatcher === undefined;
  const pool = options.dispatcher ?? createDispatcher(options);
  // Composing wraps the pool without changing it: closing stays with whoever created the pool.
  const dispatcher = options.decompress === false ? pool : pool.compose(decompressInterceptor());

  const send = async (url: string, init: RequestInit = {}): Promise<Response> => {
    const method = (init.method ?? 'GET').toUpperCase() as Dispatcher.HttpMethod;
    const headers = toHeaderRecord(init.headers);
    const body = await toUndiciBody(init.body, headers);
    let written = false;
    // A dispatcher of this one request that notes when undici starts writing it; everything else is the pool's.
    const watched = {
      dispatch(options: Dispatcher.DispatchOptions, handler: Dispatcher.DispatchHandler): boolean {
        const onConnect = handler.onConnect;
        if (onConnect) {
          handler.onConnect = (...args: Parameters<typeof onConnect>) => {
            written = true;
            onConnect.apply(handler, args);
          };
        }
        // A handler of undici's newer shape, should `request` ever hand one over, counts as written: the safe side.
        else written = true;
        return dispatcher.dispatch(options, handler);
      },
    };
    let answer: Dispatcher.ResponseData;
    const signal = init.signal ?? undefined;
    try {
      const pending = request(url, { dispatcher: watched as Dispatcher, method, headers, body, signal });
      // undici ends a request aborted while its connection is still being made only when the connection succeeds
      // or fails (up to its 10 s connect timeout); until the request is written, the call rejects at once with
      // the signal's reason instead, and undici drops the request when the connection is ready.
      answer = await (signal && !signal.aborted ? untilAborted(pending, signal, () => !written) : pending);
    } catch (error) {
      throw written ? error : new NotSent(error);
    }
    const noBody = NULL_BODY_STATUSES.has(answer.statusCode) || method === 'HEAD';
    if (noBody) await answer.body.dump();
    const source = noBody ? null : answer.body;
    return new NodeStreamResponse(source, url, answer.statusCode, answer.statusText, answer.headers);
  };

  return Object.assign(send, {
    close: async () => {
      if (own) await pool.close();
    },
  });
}
