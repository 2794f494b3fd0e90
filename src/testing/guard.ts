/**
 * Keeping a test's requests on the machine: the `fetch` a mock or a fake hands to a client sends only to the mock
 * itself (or answers in process) and refuses every other URL before anything is sent, so a test that forgot an
 * option, or a URL an answer carried (a signed upload address), can never reach a production server.
 */
import { ClientError } from '../core/errors/errors.js';

/**
 * A request a mock's or a fake's `fetch` would not send: its URL is not served by the mock. Nothing was sent.
 * The client passes it through as it is (it is not retried and not wrapped in a `NetworkError`).
 */
export class UnmockedRequestError extends ClientError {
  override name = 'UnmockedRequestError';
  /** The HTTP method of the refused request. */
  readonly method: string;
  /** The refused URL's origin and path (its query, which may hold a signature or a token, is left out). */
  readonly url: string;
  /** What the mock serves. */
  readonly served: readonly string[];

  constructor(method: string, url: string, served: readonly string[]) {
    const shown = shortUrl(url);
    super(
      `${method} ${shown} was refused and not sent: the mock only serves ${served.join(', ')}. ` +
        'Pass the mock to the client as `...mock.clientOptions`; a URL an answer gave (an upload address) that names another host cannot be reached from a test.',
    );
    this.method = method;
    this.url = shown;
    this.served = served;
  }
}

/** A URL without its query and fragment. */
function shortUrl(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.origin}${parsed.pathname}`;
  } catch {
    return url.replace(/[?#].*$/, '');
  }
}

/**
 * A pattern for a server URL: at its root or followed by a path, query or fragment. A server variable
 * (`https://{user_id}.unet.com/api`) matches any value within one URL segment.
 */
export function serverPattern(url: string): RegExp {
  const literal = url
    .replace(/\/+$/, '')
    .split(/\{[^}]+\}/)
    .map((part) => part.replace(/[.*+?^$()|[\]\\]/g, '\\$&'));
  return new RegExp(`^${literal.join('[^/]+?')}(?=$|[/?#])`);
}

/** What `fetch` takes first: a URL string, a `URL` or a `Request` (named without the DOM lib's `RequestInfo`). */
type FetchInput = Parameters<typeof fetch>[0];

/** The URL of what `fetch` was given. */
export function requestUrl(input: FetchInput): string {
  return typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
}

/** The method of what `fetch` was given. */
export function requestMethod(input: FetchInput, init: RequestInit | undefined): string {
  return (init?.method ?? (typeof input === 'object' && 'method' in input ? input.method : 'GET')).toUpperCase();
}
