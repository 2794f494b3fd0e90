/**
 * The errors every client throws. All of them extend {@link ClientError}, so one `instanceof` check catches
 * anything this library raises; those tied to one HTTP exchange extend {@link RequestError} and say which
 * request it was. None of them carries a credential: URLs, messages and causes are redacted before an error is
 * built (see redact.ts).
 */

import { reachOf, type Reach } from './reach.js';

export type { Reach };

/** The base class of every error this library throws. */
export class ClientError extends Error {
  override name = 'ClientError';
}

/** What every error tied to one HTTP exchange knows about it. */
export interface RequestDetails {
  /** The HTTP method, upper case. */
  readonly method: string;
  /** The request URL with every credential replaced by `[REDACTED]`. */
  readonly url: string;
  /** The operationId from the spec, when the request went through a typed operation. */
  readonly operationId?: string | undefined;
  /** How many times the request was repeated before this outcome (0 when it was sent once). */
  readonly retries?: number | undefined;
  /** Why a failure the retry policy covers was not repeated (`not retried: …`), added to the message. */
  readonly notRetried?: string | undefined;
}

/** `after 3 retries`, or nothing for a request sent once. */
function afterRetries(retries: number | undefined): string {
  return retries ? ` after ${retries} ${retries === 1 ? 'retry' : 'retries'}` : '';
}

/** An error tied to one HTTP exchange: it names the method, the redacted URL and the operation. */
export class RequestError extends ClientError implements RequestDetails {
  override name = 'RequestError';
  readonly method: string;
  readonly url: string;
  readonly operationId: string | undefined;
  /** How many times the request was repeated before this outcome: 0 when it was sent once. */
  readonly retries: number;
  /**
   * Set by an exactly-once send that failed with an unclear outcome and could not find out whether its message
   * was posted: why the look-up could not decide (the chat could not be read, say). `undefined` otherwise.
   */
  readonly undecided: string | undefined = undefined;

  constructor(details: RequestDetails, message: string, options?: { cause: unknown }) {
    const operation = details.operationId ? ` (${details.operationId})` : '';
    super(`${details.method} ${details.url}${operation} ${message}`, options);
    this.method = details.method;
    this.url = details.url;
    this.operationId = details.operationId;
    this.retries = details.retries ?? 0;
  }
}

/** The fields an {@link HttpError} is built from. */
export interface HttpErrorInit<TBody> extends RequestDetails {
  readonly status: number;
  readonly statusText?: string;
  /** The parsed JSON body, the raw text when it was not JSON, or `undefined` when it was empty. */
  readonly body: TBody;
  /** The response headers, with lower-case names. */
  readonly headers: Readonly<Record<string, string>>;
  /** A one-line explanation taken from the body by the API's client, when it has one. */
  readonly detail?: string | undefined;
  /** The permission the spec says the operation needs (named by a {@link PermissionDeniedError}). */
  readonly scope?: string | undefined;
  /** What the API's client adds to a refusal for want of permission (named by a {@link PermissionDeniedError}). */
  readonly hint?: string | undefined;
}

/** Response headers that servers commonly use to identify a request in their logs. */
const REQUEST_ID_HEADERS = ['x-request-id', 'request-id', 'x-requestid', 'x-correlation-id', 'x-amzn-requestid'];

/** The server's identifier for a request: the first of the usual request id headers that `get` finds. */
export function findRequestId(get: (name: string) => string | null | undefined): string | undefined {
  for (const name of REQUEST_ID_HEADERS) {
    const value = get(name);
    if (value !== null && value !== undefined) return value;
  }
  return undefined;
}

/**
 * The server answered with an error status (or, for APIs that do so, with an error body under a 2xx status).
 * `TBody` is the API's error body type, so `error.body` is typed per client.
 */
export class HttpError<TBody = unknown> extends RequestError {
  override name = 'HttpError';
  readonly status: number;
  readonly body: TBody;
  readonly headers: Readonly<Record<string, string>>;
  /** The server's identifier for the request, from the first of the usual request id headers it sent. */
  readonly requestId: string | undefined;

  constructor(init: HttpErrorInit<TBody>) {
    const statusLine = init.statusText ? `${init.status} ${init.statusText}` : init.status;
    const why = init.notRetried ? `; ${init.notRetried}` : '';
    super(init, `failed with ${statusLine}${afterRetries(init.retries)}${init.detail ? `: ${init.detail}` : ''}${why}`);
    this.status = init.status;
    this.body = init.body;
    this.headers = init.headers;
    this.requestId = findRequestId((name) => init.headers[name]);
  }
}

/** 400: the server could not understand the request. */
export class BadRequestError<TBody = unknown> extends HttpError<TBody> {
  override name = 'BadRequestError';
}

/** 401: the credential is missing, expired or invalid. */
export class AuthenticationError<TBody = unknown> extends HttpError<TBody> {
  override name = 'AuthenticationError';
}

/** 402: the account's plan does not include the operation. */
export class PaymentRequiredError<TBody = unknown> extends HttpError<TBody> {
  override name = 'PaymentRequiredError';
}

/**
 * 403: the credential is valid but may not do this. `scope` is the permission the spec says the operation needs,
 * also named in the message; `checkAccess` on the client tells which operations a token's scopes cover.
 */
export class PermissionDeniedError<TBody = unknown> extends HttpError<TBody> {
  override name = 'PermissionDeniedError';
  /** The scope the operation needs, as the spec names it; `undefined` when the spec names none. */
  readonly scope: string | undefined;

  constructor(init: HttpErrorInit<TBody>) {
    const needs = init.scope === undefined ? undefined : `the operation needs the scope ${init.scope}`;
    const detail = [init.detail, needs, init.hint].filter((part) => part !== undefined && part !== '').join('; ');
    super({ ...init, detail: detail || undefined });
    this.scope = init.scope;
  }
}

/** 404: the resource does not exist or is not visible to the credential. */
export class NotFoundError<TBody = unknown> extends HttpError<TBody> {
  override name = 'NotFoundError';
}

/** 409: the request conflicts with the current state of the resource. */
export class ConflictError<TBody = unknown> extends HttpError<TBody> {
  override name = 'ConflictError';
}

/** 410: what the request refers to is gone for good, such as a Pachca form trigger that expired or was used. */
export class GoneError<TBody = unknown> extends HttpError<TBody> {
  override name = 'GoneError';
}

/** 422: the request was understood but breaks a rule of the API. */
export class UnprocessableEntityError<TBody = unknown> extends HttpError<TBody> {
  override name = 'UnprocessableEntityError';
}

/** 429: too many requests; thrown once the retry policy has given up. */
export class RateLimitError<TBody = unknown> extends HttpError<TBody> {
  override name = 'RateLimitError';
  /** How long the server asked to wait, in milliseconds, when it sent a usable `Retry-After`. */
  readonly retryAfterMs: number | undefined;

  constructor(init: HttpErrorInit<TBody> & { readonly retryAfterMs?: number | undefined }) {
    const wait =
      init.retryAfterMs === undefined
        ? 'the server gave no usable Retry-After'
        : `the server asked to wait ${Math.ceil(init.retryAfterMs / 1000)} s`;
    super({ ...init, detail: init.detail ? `${init.detail}; ${wait}` : wait });
    this.retryAfterMs = init.retryAfterMs;
  }
}

/** 5xx, or 408 (the server gave up waiting for the request): the server (or a proxy in front of it) failed. */
export class ServerError<TBody = unknown> extends HttpError<TBody> {
  override name = 'ServerError';
}

const STATUS_CLASSES: Readonly<Record<number, typeof HttpError>> = {
  400: BadRequestError,
  401: AuthenticationError,
  402: PaymentRequiredError,
  403: PermissionDeniedError,
  404: NotFoundError,
  409: ConflictError,
  410: GoneError,
  422: UnprocessableEntityError,
  429: RateLimitError,
};

/** Builds the most specific {@link HttpError} subclass for a status. */
export function createHttpError<TBody>(
  init: HttpErrorInit<TBody> & { readonly retryAfterMs?: number | undefined },
): HttpError<TBody> {
  // A 408 is retried like a 5xx (see the retry policy's statuses), and is typed like one.
  const ErrorClass = init.status >= 500 || init.status === 408 ? ServerError : (STATUS_CLASSES[init.status] ?? HttpError);
  return new ErrorClass(init) as HttpError<TBody>;
}

/** What the chain of causes of a network failure says: its system code, its deepest message, and whether it can pass. */
export interface NetworkFailureCause {
  /** The system error code at the root of the chain (`ECONNREFUSED`, `ENOTFOUND`, `UND_ERR_SOCKET`, …). */
  readonly code: string | undefined;
  /** The deepest message of the chain (`bad port`, `connect ECONNREFUSED 127.0.0.1:1`). */
  readonly reason: string | undefined;
  /** Why no second attempt can succeed, when that is so (a port `fetch` refuses, an invalid URL, a refused certificate). */
  readonly permanent: string | undefined;
}

/** TLS certificate problems: the same certificate comes back on every attempt. */
const CERTIFICATE_CODES = new Set([
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);

/** Why a failure cannot pass on a second attempt, or `undefined` when it may (a reset, a refused connection, DNS). */
function permanence(code: string | undefined, messages: readonly string[]): string | undefined {
  if (messages.includes('bad port')) return 'fetch refuses to connect to this port (the Fetch standard blocks it): use another port';
  if (messages.includes('unknown scheme')) return 'the URL is not http or https';
  if (code === 'ERR_INVALID_URL' || code === 'UND_ERR_INVALID_ARG' || code === 'ERR_INVALID_ARG_VALUE') return 'the URL or a request option is invalid';
  if (code !== undefined && CERTIFICATE_CODES.has(code)) {
    return "the server's TLS certificate is not trusted: give its CA with createUndiciFetch({ ca })";
  }
  return undefined;
}

/** Reads a network failure's chain of causes. */
export function networkFailureCause(error: unknown): NetworkFailureCause {
  let code: string | undefined;
  const messages: string[] = [];
  for (let current = error, depth = 0; current instanceof Error && depth < 8; depth++) {
    const own = (current as { code?: unknown }).code;
    if (typeof own === 'string') code = own;
    if (current.message) messages.push(current.message);
    current = current.cause;
  }
  return { code, reason: messages.at(-1), permanent: permanence(code, messages) };
}

/** What the errors of an unfinished exchange add: whether the request can have reached the server. */
export interface UnfinishedDetails extends RequestDetails {
  /** Whether the request can have reached the server; see {@link NetworkError.reached}. */
  readonly reached?: Reach | undefined;
}

/**
 * The exchange failed on the network: no answer arrived (DNS, connection refused or reset, TLS), or the answer's
 * body broke off while it was read (`phase: 'body'`). `code` is the root cause's system code; `cause` has the
 * chain. The message names the root cause (its code, or its message when it has no code), the retries made, and
 * why none was made when a second attempt could not succeed.
 */
export class NetworkError extends RequestError {
  override name = 'NetworkError';
  /** The system error code at the root of the cause chain, when there is one. */
  readonly code: string | undefined;
  /** Whether the failure came before the response's headers or while its body was read. */
  readonly phase: 'request' | 'body';
  /** Why no attempt can succeed (an invalid URL or port, an untrusted certificate); such a failure is never retried. */
  readonly permanent: string | undefined;
  /**
   * Whether the request can have reached the server: `no` when it certainly did not (the connection was refused,
   * the name did not resolve, TLS failed), so sending again cannot post twice; `possibly` when it was, or may have
   * been, written, so the server may have acted on it. The same field is on `TimeoutError` and `AbortError`.
   */
  readonly reached: Reach;

  constructor(details: UnfinishedDetails & { readonly phase?: 'request' | 'body' }, options: { cause: unknown }) {
    const { code, reason, permanent } = networkFailureCause(options.cause);
    const phase = details.phase ?? 'request';
    const what = phase === 'body' ? 'failed while the response body was read' : 'failed before a response arrived';
    const root = code ?? reason;
    const why = permanent ? `; not retried, since no attempt can succeed: ${permanent}` : details.notRetried ? `; ${details.notRetried}` : '';
    super(details, `${what}${afterRetries(details.retries)}${root ? ` (${root})` : ''}${why}`, options);
    this.code = code;
    this.phase = phase;
    this.permanent = permanent;
    // A body that broke off followed an answer: the server had the request.
    this.reached = details.reached ?? (phase === 'body' ? 'possibly' : reachOf(options.cause));
  }
}

/**
 * The server answered with a redirect (3xx). Redirects are never followed: following one could carry a
 * credential or a form body with a secret to another host, or turn a send into a GET that seems to succeed.
 * `location` is where it pointed (redacted).
 */
export class RedirectError extends RequestError {
  override name = 'RedirectError';
  readonly status: number;
  /** The `Location` header, with credentials redacted; `undefined` when the server sent none. */
  readonly location: string | undefined;
  readonly headers: Readonly<Record<string, string>>;

  constructor(
    init: RequestDetails & {
      readonly status: number;
      readonly location: string | undefined;
      readonly headers: Readonly<Record<string, string>>;
    },
  ) {
    super(init, `was answered with a ${init.status} redirect to ${init.location ?? '(no Location)'}, which is not followed`);
    this.status = init.status;
    this.location = init.location;
    this.headers = init.headers;
  }
}

/** The request (its attempts and the waits between them) took longer than the client's `timeoutMs`. */
export class TimeoutError extends RequestError {
  override name = 'TimeoutError';
  readonly timeoutMs: number;
  /**
   * Whether the request can have reached the server: `no` when the time ran out before it was written (while it
   * waited in the throttle, or before its connection was made), `possibly` otherwise, and whenever the transport
   * cannot tell (a platform `fetch` aborted while connecting).
   */
  readonly reached: Reach;

  constructor(details: UnfinishedDetails & { readonly timeoutMs: number }, options?: { cause: unknown }) {
    super(details, `timed out after ${details.timeoutMs} ms`, options);
    this.timeoutMs = details.timeoutMs;
    this.reached = details.reached ?? 'possibly';
  }
}

/** The caller aborted the request through its `AbortSignal`; `cause` is the signal's reason. */
export class AbortError extends RequestError {
  override name = 'AbortError';
  /**
   * Whether the request can have reached the server: `no` when the abort came before it was written (while it
   * waited in the throttle, or before its connection was made), `possibly` otherwise, and whenever the transport
   * cannot tell (a platform `fetch` aborted while connecting).
   */
  readonly reached: Reach;

  constructor(details: UnfinishedDetails, options: { cause: unknown }) {
    super(details, 'was aborted', options);
    this.reached = details.reached ?? 'possibly';
  }
}

/**
 * The server answered with a success status but a body that does not match the spec: empty or not JSON where
 * JSON was declared. The request itself was accepted, so repeating a send may duplicate it.
 */
export class UnexpectedResponseError extends RequestError {
  override name = 'UnexpectedResponseError';
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  /** The start of the body as text (at most 1000 characters). */
  readonly bodyText: string;

  /** What was wrong with the body. */
  readonly problem: string;

  constructor(
    init: RequestDetails & {
      readonly status: number;
      readonly headers: Readonly<Record<string, string>>;
      readonly bodyText: string;
      /** What is wrong, e.g. `the body is not JSON` or `the page has no data list`. */
      readonly problem?: string;
    },
  ) {
    const problem = init.problem ?? (init.bodyText ? 'the body is not JSON' : 'the body is empty');
    super(
      init,
      `answered ${init.status}, but ${problem}, unlike what the spec declares; the server accepted the request, ` +
        'so repeating it may repeat its effect',
    );
    this.problem = problem;
    this.status = init.status;
    this.headers = init.headers;
    this.bodyText = init.bodyText.slice(0, 1000);
  }
}

/**
 * Renewing an expired access token failed (the token endpoint refused the refresh token, say), so the request
 * that needed it cannot be made. Carries the token endpoint's answer; the user must authorize again.
 */
export class TokenRefreshError<TBody = unknown> extends AuthenticationError<TBody> {
  override name = 'TokenRefreshError';
}

/** The caller's input breaks a documented rule; nothing was sent. `field` names the offending field. */
export class RequestValidationError extends ClientError {
  override name = 'RequestValidationError';
  /** The path of the field at fault, such as `message.buttons[1][8]`. */
  readonly field: string;

  constructor(field: string, problem: string) {
    super(`${field}: ${problem}; nothing was sent`);
    this.field = field;
  }
}

/**
 * A paginated list did not end the way a list must: the server handed back a cursor it had already given, or
 * kept sending empty pages with fresh cursors. Iteration stops instead of looping forever.
 */
export class PaginationError extends ClientError {
  override name = 'PaginationError';
  /** The operation whose pages did not end. */
  readonly operationId: string;
  /** How many pages were fetched before giving up. */
  readonly pages: number;

  constructor(operationId: string, pages: number, problem: string) {
    super(`${operationId}: ${problem} after ${pages} pages; iteration stopped`);
    this.operationId = operationId;
    this.pages = pages;
  }
}

/** Why an incoming webhook delivery was refused. */
export type WebhookRejection =
  | 'missing-signature'
  | 'bad-signature'
  | 'stale-timestamp'
  | 'raw-body-unavailable'
  | 'malformed-body'
  | 'untrusted-source'
  | 'too-large';

/**
 * An incoming webhook delivery failed a check; `reason` says which. The message never holds the secret, the
 * signature or the body.
 */
export class WebhookVerificationError extends ClientError {
  override name = 'WebhookVerificationError';
  readonly reason: WebhookRejection;

  constructor(reason: WebhookRejection, explanation: string) {
    super(`Webhook delivery refused (${reason}): ${explanation}`);
    this.reason = reason;
  }
}
