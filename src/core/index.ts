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
} from './errors/errors.js';
export type { Reach, WebhookRejection } from './errors/errors.js';
export { MAX_LOOKBACK } from './delivery/exactly-once.js';
export type { ExactlyOnceCallOptions, ExactlyOnceOptions, Recovered } from './delivery/exactly-once.js';
export { REMEMBERED_CHATS, REMEMBERED_SENDS_PER_CHAT } from './delivery/sent-memory.js';
export type { HttpErrorInit, RequestDetails } from './errors/errors.js';
export { defaultRetryPolicy } from './exchange/retry.js';
export type { RetryPolicy } from './exchange/retry.js';
export type { Clock } from './exchange/clock.js';
export type { RequestLogEntry } from './exchange/transport.js';
export type {
  ApiPromise,
  CallOptions,
  CommonClientOptions,
  FetchFunction,
  HeadersInput,
  PageIterator,
  RawClient,
  RawInit,
  RawResult,
  TelemetryOptions,
  WithResponse,
} from './client/types.js';
export { describeAccess } from './client/access.js';
export type { AccessReport, OperationAccess } from './client/access.js';
export { ATTRIBUTES as TELEMETRY_ATTRIBUTES, INSTRUMENTATION_SCOPE, METRICS as TELEMETRY_METRICS } from './telemetry/names.js';
export { MAX_EMPTY_PAGES } from './pagination/paginate.js';
export { MIN_SECRET_LENGTH, REDACTED } from './errors/redact.js';
export { createMemoryThrottleStore } from './limits/throttle-store.js';
export type { MemoryThrottleStoreOptions, RateWindow, ThrottleStore } from './limits/throttle-store.js';
export { ThrottleStoreError } from './limits/throttle.js';
export type { ThrottleOptions } from './limits/throttle.js';
export { createMemoryDeliveryStore } from './webhooks/deliveries.js';
export type { DeliveryStore, MemoryDeliveryStoreOptions } from './webhooks/deliveries.js';
export { DeliveryStoreError, EventDeadLetteredError, HandoffFullError, LeaseLostError } from './webhooks/handoff.js';
export type { EventHandoff, HandoffEntry, HandoffOutcome, PollLease } from './webhooks/handoff.js';
