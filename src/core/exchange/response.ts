/**
 * Reads one response into what the call resolves to: the parsed success body, or the error body with its typed
 * error. The status is looked at before the body is parsed, so an HTML page from a proxy never becomes a
 * `SyntaxError`. A body that breaks off while it is read is a `NetworkError` (phase `body`), which the transport
 * may retry for idempotent calls; a redirect or a success of the wrong shape is thrown as its typed error, except
 * where the spec's only success is a redirect: that call resolves to the redirect's address.
 */
import type { HttpError } from '../errors/errors.js';
import type { ErrorBodyHandling, FailedRequest, Failures } from '../errors/failures.js';
import { parseJson } from './json.js';
import type { OperationEntry } from '../client/operation.js';
import { describeType } from '../errors/shape.js';
import type { Redactor } from '../errors/redact.js';

/** The outcome of one call before the calling style is applied. */
export type Outcome =
  | { readonly data: unknown; readonly error?: undefined; readonly response: Response }
  | { readonly data?: undefined; readonly error: unknown; readonly response: Response; readonly failure: HttpError };

/** What the reader needs to know of the operation. */
export interface ReadPlan {
  readonly entry: OperationEntry | undefined;
  /** The compiled int64 paths of the success body. */
  readonly int64: readonly (readonly string[])[] | undefined;
  /** Whether the spec declares a JSON success body (false for a raw call of a path the spec does not have). */
  readonly declared: boolean;
  /** A check of the parsed success body; returns what is missing, or `undefined` when it is fine. */
  readonly check: ((data: unknown) => string | undefined) | undefined;
}

/** Reads a response of one call. */
export type ResponseReader = (
  response: Response,
  request: FailedRequest,
  plan: ReadPlan,
  signal: AbortSignal | undefined,
  retryAfterMs: number | undefined,
) => Promise<Outcome>;

/** Whether a response declares a content coding (gzip, br, …) other than identity. */
function isEncoded(response: Response): boolean {
  const coding = response.headers.get('content-encoding');
  return coding !== null && coding.trim() !== '' && coding.trim().toLowerCase() !== 'identity';
}

/** Creates the reader of one client. */
export function createResponseReader(failures: Failures, handling: ErrorBodyHandling, redactor: Redactor): ResponseReader {
  async function readText(response: Response, request: FailedRequest, signal: AbortSignal | undefined, plan: ReadPlan): Promise<string> {
    try {
      const text = await response.text();
      // A token endpoint's answer: its secrets are known before anything (a check, an error) is built from it.
      if (plan.entry?.secretAnswer) redactor.learnFromAnswer(text);
      return text;
    } catch (error) {
      // The caller's abort or the timeout is reported as such by the client; anything else broke the body.
      if (signal?.aborted) throw error;
      throw failures.network(request, error, 'body');
    }
  }

  /** The absolute address a redirect points to; a missing or unparsable Location is an unexpected answer. */
  function redirectTarget(response: Response, request: FailedRequest): string {
    const location = response.headers.get('location');
    if (!location) throw failures.unexpected(request, response, '', `it is a ${response.status} redirect without a Location`);
    try {
      // A relative Location is relative to the request's URL, taken without its query, which may hold a credential.
      const base = new URL(request.url);
      base.search = '';
      base.hash = '';
      const target = new URL(location, base);
      if (target.protocol !== 'https:' && target.protocol !== 'http:') throw new Error('not an HTTP address');
      return target.href;
    } catch {
      throw failures.unexpected(request, response, '', `its Location is not an HTTP address`);
    }
  }

  return async function read(response, request, plan, signal, retryAfterMs) {
    const { status } = response;
    if (status >= 300 && status < 400) {
      await response.body?.cancel().catch(() => undefined);
      if (plan.entry?.redirect && status !== 304) return { data: { location: redirectTarget(response, request) }, response };
      throw failures.redirect(request, response);
    }
    if (status >= 400) {
      const text = await readText(response, request, signal, plan);
      let body: unknown = text === '' ? undefined : text;
      try {
        if (text !== '') body = JSON.parse(text);
      } catch {
        // Not JSON (an HTML page from a proxy, say): the error keeps the text.
      }
      return { error: body, response, failure: failures.http(request, response, body, retryAfterMs) };
    }
    // A declared empty success (204, or an upload answered by a storage server) is not parsed.
    if (plan.entry?.noContent || request.method === 'HEAD' || (status === 204 && !plan.declared)) {
      await response.body?.cancel().catch(() => undefined);
      return { data: undefined, response };
    }
    if (status === 204) throw failures.unexpected(request, response, '', 'it is 204 No Content');
    const text = await readText(response, request, signal, plan);
    // Node's fetch ends a corrupt compressed stream as an empty body instead of an error (undici's transport
    // reports it). An encoded body that decodes to nothing broke in transit, so it fails as the body's read would.
    if (text === '' && isEncoded(response)) throw failures.network(request, new Error('the compressed body decoded to nothing'), 'body');
    let data: unknown;
    try {
      data = parseJson(text, plan.int64);
    } catch {
      throw failures.unexpected(request, response, text);
    }
    if (handling.isError?.(data)) return { error: data, response, failure: failures.http(request, response, data, undefined) };
    if (plan.entry?.object && (data === null || typeof data !== 'object' || Array.isArray(data))) {
      throw failures.unexpected(request, response, text, `the body is ${describeType(data)} instead of an object`);
    }
    const problem = plan.check?.(data);
    if (problem !== undefined) throw failures.unexpected(request, response, text, problem);
    return { data, response };
  };
}
