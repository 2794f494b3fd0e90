/** The shared core: errors, the retry policy and the types every client's options use. */
export {
  AbortError,
  AuthenticationError,
  BadRequestError,
  ClientError,
  ConflictError,
  HttpError,
  NetworkError,
  NotFoundError,
  PaymentRequiredError,
  PermissionDeniedError,
  RateLimitError,
  RequestError,
  RequestValidationError,
  ServerError,
  TimeoutError,
  TokenRefreshError,
  UnexpectedResponseError,
  UnprocessableEntityError,
} from './errors.js';
export type { HttpErrorInit, RequestDetails } from './errors.js';
export { defaultRetryPolicy } from './retry.js';
export type { RetryPolicy } from './retry.js';
export type { Clock } from './clock.js';
export type { RequestLogEntry } from './transport.js';
export type { CallOptions, CommonClientOptions, OperationData, OperationInit, RawClient } from './client.js';
export { REDACTED } from './redact.js';
