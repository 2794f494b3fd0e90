/**
 * The one factory that builds every error of a call. Whatever goes into an error passes through the client's
 * redactor here and nowhere else: the URL, the reason phrase, the headers, the body, the detail line and the
 * cause chain. Callers hand over what they saw; they never build an error themselves.
 */
import {
  AbortError,
  ClientError,
  createHttpError,
  NetworkError,
  RedirectError,
  TimeoutError,
  UnexpectedResponseError,
  type HttpError,
  type HttpErrorInit,
} from './errors.js';
import { reachOf, unwrapNotSent, type Reach } from './reach.js';
import type { Redactor } from './redact.js';

/** How an API's error bodies are recognised, described and turned into errors. */
export interface ErrorBodyHandling {
  /** Tells whether a successful response's body is in fact an error (some APIs answer errors with 200). */
  readonly isError?: (body: unknown) => boolean;
  /** A one-line explanation of an error body, used in the error's message. */
  readonly describe?: (body: unknown) => string | undefined;
  /**
   * What a refusal for want of permission (403) should add to its message beyond the scope it names, when the
   * API has more to say (Pachca also weighs the token owner's role).
   */
  readonly permissionHint?: (body: unknown) => string | undefined;
  /** Builds the error; defaults to the status-based classes of errors.ts. */
  readonly create?: (init: HttpErrorInit<unknown> & { readonly retryAfterMs?: number | undefined }) => HttpError;
}

/** The request an error is about, before redaction. */
export interface FailedRequest {
  readonly method: string;
  /** The URL as sent, credentials included: the factory redacts it. */
  readonly url: string;
  readonly operationId: string | undefined;
  /** How many times the request was repeated before this outcome. */
  readonly retries?: number | undefined;
  /** Why a failure the retry policy covers was not repeated, for the message. */
  readonly notRetried?: string | undefined;
}

/** What a thrown value is weighed against: the call's own timeout and the caller's signal. */
export interface Interruption {
  /** Whether the call's own timeout (not the caller) ended it. */
  timedOut(): boolean;
  /** The call's time limit, named in a `TimeoutError`. */
  readonly timeoutMs: number;
  /** The caller's signal, whose reason an `AbortError` carries. */
  readonly callerSignal: AbortSignal | undefined;
}

/** Builds the errors of one client. */
export interface Failures {
  /**
   * What a value thrown during a call means: the one place that tells the call's timeout, the caller's abort and
   * a failed connection apart. A `ClientError` is already classified and passes through. `reached` is how far
   * the call got, when the caller knows; otherwise a body that broke off was `possibly` received, and anything
   * else is judged by the error itself (see reach.ts).
   */
  thrown(request: FailedRequest, error: unknown, phase: 'request' | 'body', interruption: Interruption | undefined, reached?: Reach): ClientError;
  /**
   * An error status, or an error body under a success status. `scope` is the permission the spec says the
   * operation needs; a 403 names it.
   */
  http(request: FailedRequest, response: Response, body: unknown, retryAfterMs: number | undefined, scope?: string): HttpError;
  /** A success whose body is not what the spec declares. */
  unexpected(request: FailedRequest, response: Response, bodyText: string, problem?: string): UnexpectedResponseError;
  /** A redirect, which is never followed. */
  redirect(request: FailedRequest, response: Response): RedirectError;
  /**
   * A failure of the connection, before the response or while its body was read. `reached` is decided on the
   * cause before redaction, which keeps only its codes; by default it is read from those codes.
   */
  network(request: FailedRequest, cause: unknown, phase: 'request' | 'body', reached?: Reach): NetworkError;
  /** The call's own timeout fired. */
  timeout(request: FailedRequest, timeoutMs: number, cause: unknown, reached?: Reach): TimeoutError;
  /** The caller's signal fired. */
  abort(request: FailedRequest, reason: unknown, reached?: Reach): AbortError;
}

/** Creates the error factory of a client. */
export function createFailures(redactor: Redactor, handling: ErrorBodyHandling = {}): Failures {
  const details = (request: FailedRequest) => ({
    method: request.method,
    url: redactor.url(request.url),
    operationId: request.operationId,
    retries: request.retries,
    notRetried: request.notRetried,
  });
  const failures: Failures = {
    thrown(request, error, phase, interruption, reached) {
      if (error instanceof ClientError) return error;
      const reach = reached ?? (phase === 'body' ? 'possibly' : reachOf(error));
      if (interruption?.timedOut()) return failures.timeout(request, interruption.timeoutMs, error, reach);
      if (interruption?.callerSignal?.aborted) return failures.abort(request, interruption.callerSignal.reason, reach);
      // Whatever else a fetch implementation or a body stream throws is a failure of the connection.
      return failures.network(request, error, phase, reach);
    },
    http(request, response, body, retryAfterMs, scope) {
      const safeBody = typeof body === 'string' ? redactor.answerText(body) : redactor.value(body);
      const detail = handling.describe?.(safeBody);
      const hint = response.status === 403 ? handling.permissionHint?.(safeBody) : undefined;
      return (handling.create ?? createHttpError)({
        ...details(request),
        status: response.status,
        statusText: redactor.text(response.statusText),
        body: safeBody,
        headers: redactor.headers(response.headers),
        detail: detail ? redactor.text(detail) : undefined,
        retryAfterMs,
        scope,
        hint: hint ? redactor.text(hint) : undefined,
      });
    },
    unexpected(request, response, bodyText, problem) {
      return new UnexpectedResponseError({
        ...details(request),
        status: response.status,
        headers: redactor.headers(response.headers),
        // Redacted before it is cut, so a secret across the cut cannot leave a recognisable half behind.
        bodyText: redactor.answerText(bodyText.slice(0, 4096)).slice(0, 1000),
        ...(problem === undefined ? {} : { problem }),
      });
    },
    redirect(request, response) {
      const location = response.headers.get('location');
      return new RedirectError({
        ...details(request),
        status: response.status,
        location: location === null ? undefined : redactor.url(location),
        headers: redactor.headers(response.headers),
      });
    },
    network(request, cause, phase, reached) {
      const decided = reached ?? (phase === 'body' ? 'possibly' : reachOf(cause));
      return new NetworkError({ ...details(request), phase, reached: decided }, { cause: redactor.error(unwrapNotSent(cause)) });
    },
    timeout(request, timeoutMs, cause, reached) {
      return new TimeoutError({ ...details(request), timeoutMs, reached }, { cause: redactor.error(unwrapNotSent(cause)) });
    },
    abort(request, reason, reached) {
      return new AbortError({ ...details(request), reached }, { cause: redactor.error(reason) });
    },
  };
  return failures;
}
