/** The shared core: errors, the retry policy and the types every client's options use. */
export {
  AbortError,
  AuthenticationError,
  BadRequestError,
  ClientError,
  ConflictError,
  GoneError,
  HttpError,
  NetworkError,
  NotFoundError,
  PaginationError,
  PaymentRequiredError,
  PermissionDeniedError,
  RateLimitError,
  RedirectError,
  RequestError,
  RequestValidationError,
  ServerError,
  TimeoutError,
  TokenRefreshError,
  UnexpectedResponseError,
  UnprocessableEntityError,
  WebhookVerificationError,
} from './errors.js';
export type { WebhookRejection } from './errors.js';
export type { HttpErrorInit, RequestDetails } from './errors.js';
export { defaultRetryPolicy } from './retry.js';
export type { RetryPolicy } from './retry.js';
export type { Clock } from './clock.js';
export type { RequestLogEntry } from './transport.js';
export type { CallOptions, CommonClientOptions, FetchFunction, HeadersInput, RawClient, RawInit, RawResult } from './types.js';
export { MAX_EMPTY_PAGES } from './paginate.js';
export { MIN_SECRET_LENGTH, REDACTED } from './redact.js';
export { createMemoryThrottleStore } from './throttle-store.js';
export type { MemoryThrottleStoreOptions, RateWindow, ThrottleStore } from './throttle-store.js';
export { ThrottleStoreError } from './throttle.js';
export type { ThrottleOptions } from './throttle.js';
