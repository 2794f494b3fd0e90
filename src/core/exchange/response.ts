/**
 * Reads one response into one outcome, and never throws: the parsed success body; an error answer (its body and
 * its typed error, which the raw style returns and the typed methods throw); or a failure every style throws (a
 * redirect, a success of the wrong shape, or a body that broke off, which the transport may retry for idempotent
 * calls). The status is looked at before the body is parsed, so an HTML page from a proxy never becomes a
 * `SyntaxError`. Where the spec's only success is a redirect, the call resolves to the redirect's address.
 */
import { NetworkError, type ClientError, type HttpError } from '../errors/errors.js';
import type { ErrorBodyHandling, FailedRequest, Failures, Interruption } from '../errors/failures.js';
import { parseJson } from './json.js';
import type { OperationEntry } from '../client/operation.js';
import { describeType } from '../errors/shape.js';
import type { Redactor } from '../errors/redact.js';

/** The outcome of one call before the calling style is applied. */
export type Outcome =
  | { readonly kind: 'data'; readonly data: unknown; readonly response: Response }
  /** The server answered with an error: the raw style returns its body, the typed methods throw `failure`. */
  | { readonly kind: 'answer'; readonly error: unknown; readonly response: Response; readonly failure: HttpError }
  /** The body broke off while it was read; the transport may try again. */
  | { readonly kind: 'broken'; readonly failure: NetworkError }
  /** An answer no calling style returns: a redirect, or a success of the wrong shape. */
  | { readonly kind: 'failed'; readonly failure: ClientError };

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
  interruption: Interruption | undefined,
  retryAfterMs: number | undefined,
) => Promise<Outcome>;

/** A body that could not be read: the caller's abort or the timeout, or a connection that broke. */
class Unreadable {
  constructor(readonly failure: ClientError) {}
}

/** Whether a response declares a content coding (gzip, br, …) other than identity. */
function isEncoded(response: Response): boolean {
  const coding = response.headers.get('content-encoding');
  return coding !== null && coding.trim() !== '' && coding.trim().toLowerCase() !== 'identity';
}

/** Creates the reader of one client. */
export function createResponseReader(failures: Failures, handling: ErrorBodyHandling, redactor: Redactor): ResponseReader {
  async function readText(response: Response, request: FailedRequest, interruption: Interruption | undefined, plan: ReadPlan): Promise<string | Unreadable> {
    try {
      const text = await response.text();
      // A token endpoint's answer: its secrets are known before anything (a check, an error) is built from it.
      if (plan.entry?.secretAnswer) redactor.learnFromAnswer(text);
      return text;
    } catch (error) {
      return new Unreadable(failures.thrown(request, error, 'body', interruption));
    }
  }

  /** A body that could not be read as an outcome: a broken connection may be retried, an abort or timeout not. */
  function unreadable({ failure }: Unreadable): Outcome {
    return failure instanceof NetworkError ? { kind: 'broken', failure } : { kind: 'failed', failure };
  }

  /** The absolute address a redirect points to; a missing or unparsable Location is an unexpected answer. */
  function redirectTarget(response: Response, request: FailedRequest): string | ClientError {
    const location = response.headers.get('location');
    if (!location) return failures.unexpected(request, response, '', `it is a ${response.status} redirect without a Location`);
    try {
      // A relative Location is relative to the request's URL, taken without its query, which may hold a credential.
      const base = new URL(request.url);
      base.search = '';
      base.hash = '';
      const target = new URL(location, base);
      if (target.protocol !== 'https:' && target.protocol !== 'http:') throw new Error('not an HTTP address');
      return target.href;
    } catch {
      return failures.unexpected(request, response, '', `its Location is not an HTTP address`);
    }
  }

  return async function read(response, request, plan, interruption, retryAfterMs) {
    const { status } = response;
    if (status >= 300 && status < 400) {
      await response.body?.cancel().catch(() => undefined);
      if (!plan.entry?.redirect || status === 304) return { kind: 'failed', failure: failures.redirect(request, response) };
      const location = redirectTarget(response, request);
      return typeof location === 'string' ? { kind: 'data', data: { location }, response } : { kind: 'failed', failure: location };
    }
    if (status >= 400) {
      const text = await readText(response, request, interruption, plan);
      if (text instanceof Unreadable) return unreadable(text);
      let body: unknown = text === '' ? undefined : text;
      try {
        if (text !== '') body = JSON.parse(text);
      } catch {
        // Not JSON (an HTML page from a proxy, say): the error keeps the text.
      }
      return { kind: 'answer', error: body, response, failure: failures.http(request, response, body, retryAfterMs) };
    }
    // A declared empty success (204, or an upload answered by a storage server) is not parsed.
    if (plan.entry?.noContent || request.method === 'HEAD' || (status === 204 && !plan.declared)) {
      await response.body?.cancel().catch(() => undefined);
      return { kind: 'data', data: undefined, response };
    }
    if (status === 204) return { kind: 'failed', failure: failures.unexpected(request, response, '', 'it is 204 No Content') };
    const text = await readText(response, request, interruption, plan);
    if (text instanceof Unreadable) return unreadable(text);
    // Node's fetch ends a corrupt compressed stream as an empty body instead of an error (undici's transport
    // reports it). An encoded body that decodes to nothing broke in transit, so it fails as the body's read would.
    if (text === '' && isEncoded(response)) return { kind: 'broken', failure: failures.network(request, new Error('the compressed body decoded to nothing'), 'body') };
    let data: unknown;
    try {
      data = parseJson(text, plan.int64);
    } catch {
      return { kind: 'failed', failure: failures.unexpected(request, response, text) };
    }
    if (handling.isError?.(data)) return { kind: 'answer', error: data, response, failure: failures.http(request, response, data, undefined) };
    // A success the spec declares as `null` or an object resolves to `null` as it is; nothing more to check.
    if (data === null && plan.entry?.nullable) return { kind: 'data', data, response };
    if (plan.entry?.object && (data === null || typeof data !== 'object' || Array.isArray(data))) {
      return { kind: 'failed', failure: failures.unexpected(request, response, text, `the body is ${describeType(data)} instead of an object`) };
    }
    const problem = plan.check?.(data);
    if (problem !== undefined) return { kind: 'failed', failure: failures.unexpected(request, response, text, problem) };
    return { kind: 'data', data, response };
  };
}
