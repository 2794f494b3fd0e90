/**
 * The names this library records under: its instrumentation scope, the attributes it adds to the HTTP semantic
 * conventions and its metrics. A file of its own, so that reading a name does not load OpenTelemetry.
 */

/** The instrumentation scope of the tracer and the meter. */
export const INSTRUMENTATION_SCOPE = 'messaging-api-clients';

/** The names of the attributes this library adds to the HTTP semantic conventions. */
export const ATTRIBUTES = {
  api: 'api_client.api',
  operation: 'api_client.operation',
  attempts: 'api_client.attempts',
  attempt: 'api_client.attempt',
  outcome: 'api_client.outcome',
  durationMs: 'api_client.duration_ms',
  errorCode: 'api_client.error.code',
  retryReason: 'api_client.retry.reason',
  retryWaitMs: 'api_client.retry.wait_ms',
  budget: 'api_client.throttle.budget',
  queuedMs: 'api_client.throttle.queued_ms',
  pauseMs: 'api_client.rate_limit.pause_ms',
  renewal: 'api_client.renewal.outcome',
  lookup: 'api_client.lookup.outcome',
} as const;

/** The metrics, by name. */
export const METRICS = {
  duration: 'api_client.call.duration',
  retries: 'api_client.retries',
  queueTime: 'api_client.throttle.queue_time',
} as const;
