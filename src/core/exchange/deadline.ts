/**
 * One call's time limit, merged with the caller's `AbortSignal`: a single signal that aborts when either fires,
 * plus the moment (on the retry clock) after which no new attempt or wait should start.
 *
 * Each call gets a plain `AbortController`; one timer per client and per timeout length aborts the calls whose
 * time is up. Calls with the same timeout end their time in the order they started, so each length keeps a
 * queue whose head is always the next to expire, and its timer is re-armed only when it fires. That costs a call
 * one small object, where `AbortSignal.timeout()` and `AbortSignal.any()` cost a timer, weak references and
 * finalization records per call, which the garbage collector then has to process.
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
  /** Releases the call's timer slot and its listener on the caller's signal; call it once the call is over. */
  end(): void;
}

/** Starts the timers of a call; `timeoutMs` of 0 means no limit. */
export type StartDeadline = (callerSignal: AbortSignal | undefined, timeoutMs: number) => Deadline;

const NO_DEADLINE: Deadline = { signal: undefined, at: undefined, timedOut: () => false, end: () => {} };

/** A call waiting for its time to run out; `controller` is dropped once the call ends. */
interface Pending {
  /** When the call's time is up, by `Date.now()`. */
  readonly expiresAt: number;
  controller: AbortController | undefined;
  timedOut: boolean;
  next: Pending | undefined;
}

/** The calls of one timeout length, oldest first, and the one timer that serves them. */
interface Queue {
  readonly timeoutMs: number;
  head: Pending | undefined;
  tail: Pending | undefined;
  /** When the armed timer fires; `undefined` when none is armed. */
  timerAt: number | undefined;
}

/** The deadline factory of one client; `clock` places `at` on the retry clock. */
export function createDeadlines(clock: Clock): StartDeadline {
  const queues = new Map<number, Queue>();

  function arm(queue: Queue, at: number): void {
    queue.timerAt = at;
    const timer = setTimeout(() => expire(queue), Math.max(0, at - Date.now()));
    // A waiting call holds its own socket open; the timer alone must not keep a process alive.
    (timer as { unref?: () => void }).unref?.();
  }

  /** Drops finished calls from the front, so a client making one call at a time keeps an empty queue. */
  function trim(queue: Queue): void {
    let pending = queue.head;
    while (pending && pending.controller === undefined) pending = pending.next;
    queue.head = pending;
    if (!pending) queue.tail = undefined;
  }

  function expire(queue: Queue): void {
    queue.timerAt = undefined;
    const now = Date.now();
    // Expiry times grow along a queue, so the calls whose time is up are all at its front.
    for (let pending = queue.head; pending && pending.expiresAt <= now; pending = pending.next) {
      const { controller } = pending;
      if (!controller) continue;
      pending.timedOut = true;
      pending.controller = undefined;
      controller.abort(new DOMException('The operation timed out.', 'TimeoutError'));
    }
    trim(queue);
    if (queue.head) arm(queue, queue.head.expiresAt);
    // A length no call uses any more leaves nothing behind.
    else if (queues.get(queue.timeoutMs) === queue) queues.delete(queue.timeoutMs);
  }

  return function startDeadline(callerSignal, timeoutMs) {
    if (timeoutMs <= 0) return callerSignal ? { signal: callerSignal, at: undefined, timedOut: () => false, end: () => {} } : NO_DEADLINE;
    const controller = new AbortController();
    const pending: Pending = { expiresAt: Date.now() + timeoutMs, controller, timedOut: false, next: undefined };
    let queue = queues.get(timeoutMs);
    if (!queue) queues.set(timeoutMs, (queue = { timeoutMs, head: undefined, tail: undefined, timerAt: undefined }));
    if (queue.tail) queue.tail.next = pending;
    else queue.head = pending;
    queue.tail = pending;
    // An armed timer that fires earlier re-arms itself for this call; only an idle queue needs a new one.
    if (queue.timerAt === undefined) arm(queue, pending.expiresAt);

    const onCallerAbort = (): void => controller.abort(callerSignal?.reason);
    if (callerSignal?.aborted) controller.abort(callerSignal.reason);
    else callerSignal?.addEventListener('abort', onCallerAbort, { once: true });
    const owner = queue;
    return {
      signal: controller.signal,
      at: clock.now() + timeoutMs,
      timedOut: () => pending.timedOut && !callerSignal?.aborted,
      end() {
        callerSignal?.removeEventListener('abort', onCallerAbort);
        if (pending.controller === undefined) return;
        pending.controller = undefined;
        if (owner.head === pending) trim(owner);
      },
    };
  };
}
