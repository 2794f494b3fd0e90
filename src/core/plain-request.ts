/**
 * A stand-in for the `Request` class that openapi-fetch builds before calling `fetch`. The real `Request`
 * parses the URL, copies the headers and wires an abort signal, and `fetch(request)` then builds a second one
 * from it; that double work was most of openapi-fetch's overhead over a raw `fetch` call. This class only keeps
 * what the transport needs and hands it to `fetch(url, init)` once.
 */

/** The per-call context the client passes through openapi-fetch to the transport. */
export const CALL_CONTEXT = Symbol('callContext');

/** What openapi-fetch passes to the `Request` constructor. */
export interface PlainRequestInit extends RequestInit {
  readonly [CALL_CONTEXT]?: unknown;
}

/** The minimal request object openapi-fetch builds when given this class as its `Request`. */
export class PlainRequest {
  readonly url: string;
  readonly method: string;
  readonly headers: Headers;
  readonly body: BodyInit | null | undefined;
  readonly signal: AbortSignal | null | undefined;
  readonly redirect: RequestRedirect | undefined;
  readonly context: unknown;

  constructor(url: string, init: PlainRequestInit) {
    this.url = url;
    this.method = init.method ?? 'GET';
    this.headers = init.headers instanceof Headers ? init.headers : new Headers(init.headers);
    this.body = init.body;
    this.signal = init.signal;
    this.redirect = init.redirect;
    this.context = init[CALL_CONTEXT];
  }
}
