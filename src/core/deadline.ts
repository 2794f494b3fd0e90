/**
 * One call's time limit, merged with the caller's `AbortSignal`: a single signal that aborts when either fires,
 * plus the moment (on the retry clock) after which no new attempt or wait should start.
 *
 * The timeout is `AbortSignal.timeout()`: undici has to watch whatever signal a request carries, and this one is
 * the cheapest to make; Node clears its timer once the signal is garbage, so finished calls leave no timers
 * behind.
 */
import type { Clock } from './clock.js';

/** The timers of one call. */
export interface Deadline {
  /** Aborts on the caller's abort or the timeout; `undefined` when there is neither. */
  readonly signal: AbortSignal | undefined;
  /** When the call must be over, on the retry clock; `undefined` without a timeout. */
  readonly at: number | undefined;
  /** Whether the timeout (not the caller) ended the call. */
  timedOut(): boolean;
}

const NO_DEADLINE: Deadline = { signal: undefined, at: undefined, timedOut: () => false };

/** Starts the timers of a call; `timeoutMs` of 0 means no limit. */
export function startDeadline(clock: Clock, callerSignal: AbortSignal | undefined, timeoutMs: number): Deadline {
  if (timeoutMs <= 0) return callerSignal ? { signal: callerSignal, at: undefined, timedOut: () => false } : NO_DEADLINE;
  const timeout = AbortSignal.timeout(timeoutMs);
  const signal = callerSignal ? AbortSignal.any([callerSignal, timeout]) : timeout;
  return { signal, at: clock.now() + timeoutMs, timedOut: () => timeout.aborted && !callerSignal?.aborted };
}
