/**
 * One call's time limit, merged with the caller's `AbortSignal`: a single signal that aborts when either fires,
 * plus the moment (on the retry clock) after which no new attempt or wait should start.
 */
import type { Clock } from './clock.js';

/** The timers of one call. */
export interface Deadline {
  /** Aborts on the caller's abort or the timeout; `undefined` when there is neither. */
  readonly signal: AbortSignal | undefined;
  /** When the call must be over, on the retry clock; `undefined` without a timeout. */
  readonly at: number | undefined;
  /** Whether the timeout (not the caller) ended the call. */
  readonly timedOut: () => boolean;
  /** Stops the timer and forgets the caller's signal. */
  clear(): void;
}

const NO_DEADLINE: Deadline = { signal: undefined, at: undefined, timedOut: () => false, clear() {} };

/** Starts the timers of a call; `timeoutMs` of 0 means no limit. */
export function startDeadline(clock: Clock, callerSignal: AbortSignal | undefined, timeoutMs: number): Deadline {
  if (timeoutMs <= 0 && !callerSignal) return NO_DEADLINE;
  const controller = new AbortController();
  let timedOut = false;
  const onCallerAbort = (): void => controller.abort(callerSignal?.reason);
  if (callerSignal?.aborted) onCallerAbort();
  else callerSignal?.addEventListener('abort', onCallerAbort, { once: true });
  const timer =
    timeoutMs > 0
      ? setTimeout(() => {
          timedOut = true;
          controller.abort(new DOMException(`Timed out after ${timeoutMs} ms`, 'TimeoutError'));
        }, timeoutMs)
      : undefined;
  return {
    signal: controller.signal,
    at: timeoutMs > 0 ? clock.now() + timeoutMs : undefined,
    timedOut: () => timedOut,
    clear() {
      clearTimeout(timer);
      callerSignal?.removeEventListener('abort', onCallerAbort);
    },
  };
}
