/**
 * A `fetch` for Node servers built on undici's `request`, the lower-level call of the library Node's own `fetch`
 * is built on. It skips the WHATWG `Request` machinery the global `fetch` runs for every call, and keeps what a
 * client needs: a keep-alive connection pool, gzip/deflate/br decoding, streamed request and response bodies, TLS
 * options (a custom CA) and proxies (from the environment, a URL, or any undici dispatcher the caller passes).
 *
 * It follows no redirects (the clients ask for `redirect: 'manual'` and turn a 3xx into a `RedirectError`), and
 * it returns a standard `Response`, so the clients read it exactly as they read the platform's.
 */
import { Agent, EnvHttpProxyAgent, interceptors, ProxyAgent, request, type Dispatcher } from 'undici';
import type { FetchFunction } from '../core/types.js';

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
   * Decode `Content-Encoding: gzip`, `deflate` and `br` response bodies, as `fetch` does.
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

/** Statuses whose responses have no body, and which `Response` refuses one for. */
const NULL_BODY_STATUSES = new Set([101, 103, 204, 205, 304]);

function toHeaderRecord(headers: HeadersInit | undefined): Record<string, string> {
  const result: Record<string, string> = {};
  if (headers instanceof Headers) headers.forEach((value, name) => (result[name] = value));
  else if (Array.isArray(headers)) for (const [name, value] of headers) result[name.toLowerCase()] = value;
  else if (headers) for (const [name, value] of Object.entries(headers)) result[name.toLowerCase()] = value;
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
  const base = options.dispatcher ?? createDispatcher(options);
  const dispatcher = options.decompress === false ? base : base.compose(interceptors.decompress());

  const send = async (url: string, init: RequestInit = {}): Promise<Response> => {
    const method = (init.method ?? 'GET').toUpperCase() as Dispatcher.HttpMethod;
    const headers = toHeaderRecord(init.headers);
    const body = await toUndiciBody(init.body, headers);
    const answer = await request(url, {
      dispatcher,
      method,
      headers,
      body,
      signal: init.signal ?? undefined,
    });
    const responseHeaders = new Headers();
    for (const [name, value] of Object.entries(answer.headers)) {
      if (Array.isArray(value)) for (const item of value) responseHeaders.append(name, item);
      else if (value !== undefined) responseHeaders.append(name, value);
    }
    const noBody = NULL_BODY_STATUSES.has(answer.statusCode) || method === 'HEAD';
    if (noBody) await answer.body.dump();
    // undici's body is an async iterable of chunks; Response streams it without reading it first.
    const response = new Response(noBody ? null : (answer.body as unknown as ReadableStream<Uint8Array>), {
      status: answer.statusCode,
      statusText: answer.statusText,
      headers: responseHeaders,
    });
    // A constructed Response has no URL; fetch's has the one it fetched, and errors name it.
    Object.defineProperty(response, 'url', { value: url });
    return response;
  };

  return Object.assign(send, {
    close: async () => {
      if (own) await base.close();
    },
  });
}
