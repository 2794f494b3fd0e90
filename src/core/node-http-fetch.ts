/**
 * An opt-in `fetch` for Node that runs over `node:http`/`node:https` with keep-alive agents instead of undici's
 * `fetch`. It keeps the parts of the fetch contract the clients and their users rely on: a standard `Response`
 * whose body is a stream read as it arrives, `Headers`, abort through `AbortSignal` (before and during the
 * exchange, and while the body streams), redirects (`follow`, `manual`, `error`), and a `TypeError('fetch failed')`
 * with the socket error as `cause` for network failures. It skips what a server-side API client does not use
 * (CORS, caches, credentials modes), which is where most of `fetch`'s cost per request goes.
 */
import { Agent as HttpAgent, request as httpRequest, type IncomingMessage, type OutgoingHttpHeaders } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';

/** Options of {@link createNodeHttpFetch}. */
export interface NodeHttpFetchOptions {
  /**
   * The most sockets kept open per host.
   * @default 256
   */
  readonly maxSockets?: number;
  /**
   * How long an idle keep-alive socket stays open, in milliseconds.
   * @default 30000
   */
  readonly keepAliveMsecs?: number;
  /** Agents to use instead of the ones this function creates (e.g. for a proxy or custom TLS settings). */
  readonly agents?: { readonly http?: HttpAgent; readonly https?: HttpsAgent };
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);
const MAX_REDIRECTS = 20;
const NULL_BODY_STATUSES = new Set([101, 204, 205, 304]);

function headersOf(init: HeadersInit | undefined): OutgoingHttpHeaders {
  const result: OutgoingHttpHeaders = {};
  if (!init) return result;
  if (init instanceof Headers) {
    init.forEach((value, name) => {
      result[name] = value;
    });
  } else if (Array.isArray(init)) {
    for (const [name, value] of init) if (name !== undefined && value !== undefined) result[name.toLowerCase()] = value;
  } else {
    for (const name of Object.keys(init)) result[name.toLowerCase()] = (init as Record<string, string>)[name];
  }
  return result;
}

/** Turns any fetch body into bytes (or a string) that `node:http` can write, setting its content type if needed. */
async function bodyOf(body: BodyInit | null | undefined, headers: OutgoingHttpHeaders): Promise<string | Uint8Array | undefined> {
  if (body === null || body === undefined) return undefined;
  if (typeof body === 'string') return body;
  if (body instanceof Uint8Array) return body;
  if (body instanceof ArrayBuffer) return new Uint8Array(body);
  if (ArrayBuffer.isView(body)) return new Uint8Array(body.buffer, body.byteOffset, body.byteLength);
  if (body instanceof URLSearchParams) {
    headers['content-type'] ??= 'application/x-www-form-urlencoded;charset=UTF-8';
    return body.toString();
  }
  // Blobs, FormData and streams: let the platform encode them exactly as fetch would (multipart boundary included).
  const encoded = new Response(body);
  const type = encoded.headers.get('content-type');
  if (type && headers['content-type'] === undefined) headers['content-type'] = type;
  return new Uint8Array(await encoded.arrayBuffer());
}

function responseHeaders(message: IncomingMessage): Headers {
  const headers = new Headers();
  const raw = message.rawHeaders;
  for (let i = 0; i < raw.length; i += 2) headers.append(raw[i] as string, raw[i + 1] as string);
  return headers;
}

/** A web stream over a Node response, read as the consumer pulls; ends once, by its end, an error or an abort. */
function streamOf(message: IncomingMessage, signal: AbortSignal | undefined): ReadableStream<Uint8Array> {
  let finished = false;
  let onAbort = (): void => {};
  const finish = (action: () => void): void => {
    if (finished) return;
    finished = true;
    signal?.removeEventListener('abort', onAbort);
    action();
  };
  return new ReadableStream<Uint8Array>({
    start(controller) {
      message.on('data', (chunk: Buffer) => {
        if (finished) return;
        controller.enqueue(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength));
        if ((controller.desiredSize ?? 0) <= 0) message.pause();
      });
      message.once('end', () => finish(() => controller.close()));
      message.once('error', (error) => finish(() => controller.error(error)));
      onAbort = () =>
        finish(() => {
          controller.error(signal?.reason);
          message.destroy();
        });
      signal?.addEventListener('abort', onAbort, { once: true });
    },
    pull() {
      message.resume();
    },
    cancel() {
      finish(() => message.destroy());
    },
  });
}

/** Creates a `fetch` that runs over `node:http` and `node:https` with keep-alive agents. */
export function createNodeHttpFetch(options: NodeHttpFetchOptions = {}): typeof fetch {
  const agentOptions = { keepAlive: true, keepAliveMsecs: options.keepAliveMsecs ?? 30_000, maxSockets: options.maxSockets ?? 256 };
  const httpAgent = options.agents?.http ?? new HttpAgent(agentOptions);
  const httpsAgent = options.agents?.https ?? new HttpsAgent(agentOptions);

  async function exchange(url: string, method: string, headers: OutgoingHttpHeaders, body: string | Uint8Array | undefined, signal: AbortSignal | undefined): Promise<IncomingMessage> {
    const secure = url.startsWith('https:');
    if (!secure && !url.startsWith('http:')) throw new TypeError(`fetch failed: unsupported URL ${url.split(':')[0]}:`);
    return new Promise<IncomingMessage>((resolve, reject) => {
      if (signal?.aborted) {
        reject(signal.reason);
        return;
      }
      const send = secure ? httpsRequest : httpRequest;
      const request = send(url, { method, headers, agent: secure ? httpsAgent : httpAgent }, (message) => {
        signal?.removeEventListener('abort', onAbort);
        resolve(message);
      });
      const onAbort = (): void => {
        request.destroy();
        reject(signal?.reason);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      request.once('error', (error) => {
        signal?.removeEventListener('abort', onAbort);
        reject(signal?.aborted ? signal.reason : new TypeError('fetch failed', { cause: error }));
      });
      request.end(body);
    });
  }

  return async function nodeHttpFetch(input: RequestInfo | URL, init: RequestInit = {}): Promise<Response> {
    if (typeof input === 'object' && !(input instanceof URL)) {
      // A Request object: take its parts, the init's overriding them, as fetch does.
      const body = init.body ?? (input.body ? await input.arrayBuffer() : undefined);
      return nodeHttpFetch(input.url, { method: input.method, headers: input.headers, redirect: input.redirect, signal: input.signal, ...init, body: body ?? null });
    }
    let url = typeof input === 'string' ? input : input.href;
    let method = (init.method ?? 'GET').toUpperCase();
    const headers = headersOf(init.headers);
    let body = await bodyOf(init.body, headers);
    const signal = init.signal ?? undefined;
    for (let redirects = 0; ; redirects++) {
      const message = await exchange(url, method, headers, body, signal);
      const status = message.statusCode ?? 0;
      const location = message.headers.location;
      if (REDIRECTS.has(status) && location && init.redirect !== 'manual') {
        message.resume();
        if (init.redirect === 'error') throw new TypeError('fetch failed', { cause: new Error(`redirected to ${location}`) });
        if (redirects >= MAX_REDIRECTS) throw new TypeError('fetch failed', { cause: new Error('too many redirects') });
        // 303, and 301/302 after a POST, continue as a GET without a body (the Fetch standard's rule).
        if (status === 303 || ((status === 301 || status === 302) && method === 'POST')) {
          method = 'GET';
          body = undefined;
          delete headers['content-type'];
          delete headers['content-length'];
        }
        const next = new URL(location, url);
        if (next.origin !== new URL(url).origin) delete headers.authorization;
        url = next.href;
        continue;
      }
      const hasBody = !NULL_BODY_STATUSES.has(status) && method !== 'HEAD';
      if (!hasBody) message.resume();
      const response = new Response(hasBody ? streamOf(message, signal) : null, {
        status,
        statusText: message.statusMessage ?? '',
        headers: responseHeaders(message),
      });
      Object.defineProperty(response, 'url', { value: url });
      if (redirects > 0) Object.defineProperty(response, 'redirected', { value: true });
      return response;
    }
  };
}
