/**
 * What a call reports while it runs, for telemetry: the hook the transport and the client call at each step.
 * A call gets an observer only when a tracer or a meter is registered, so every report site is a single
 * `observer?.…` check when telemetry is off. Nothing passed here may be a credential: URLs are redacted by the
 * caller, and the rest are numbers, statuses and error names.
 */

/** Why the transport waits before another attempt. */
export type RetryReason =
  /** A 429: the server asked to slow down (retried for every method). */
  | 'rate_limited'
  /** A status of the policy's `retryStatuses` (408, 5xx) on an idempotent request. */
  | 'status'
  /** No response arrived (an idempotent request). */
  | 'network_error'
  /** The response's body broke off while it was read (an idempotent request). */
  | 'body_error'
  /** A 401 was answered by renewing the credentials; the request is replayed at once. */
  | 'credentials_renewed';

/** How a renewal of credentials after a 401 ended. */
export type RenewalOutcome = 'renewed' | 'not_renewed' | 'failed';

/**
 * How the look-up of an unclear send (one whose request may have reached the server) ended: `recovered` when
 * the message was found, `absent` when it was not (and is sent once more), `undecided` when it could not tell.
 */
export type LookupOutcome = 'recovered' | 'absent' | 'undecided';

/** The reports of one call. */
export interface CallObserver {
  /** An attempt is about to be sent (a replay after renewed credentials counts as one). */
  attemptStarted(): void;
  /**
   * The attempt ended: a response's headers arrived with `status`, or no response came (`error` is the name of
   * the error the client made of it, `code` the system code at its root, such as `ECONNRESET`).
   */
  attemptEnded(outcome: { readonly status: number } | { readonly error: string; readonly code?: string | undefined }): void;
  /** The transport will wait `waitMs` and try again; `status` is the status that caused it, when one did. */
  retryScheduled(reason: RetryReason, waitMs: number, status?: number): void;
  /** Renewing the credentials after a 401 has started; call the returned function with how it ended. */
  renewalStarted(): (outcome: RenewalOutcome) => void;
  /** The request waited `queuedMs` in the outgoing throttle for room in `budget`. */
  throttled(budget: string, queuedMs: number): void;
  /** A 429 paused the request's throttle key for `pauseMs`, for every request of that key. */
  paused(budget: string, pauseMs: number): void;
  /**
   * A send whose outcome was unclear was looked up to learn whether it took effect (`sendExactlyOnce`),
   * reported as its own event with how long the look-up took, settle time included.
   */
  lookedUp(outcome: LookupOutcome, durationMs: number): void;
}
