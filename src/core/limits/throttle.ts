/**
 * The outgoing throttle: holds each request back until its budget has room, so that a client (or many workers on
 * one shared store) stays within the API's limits instead of reacting to 429s. Requests of one key (one chat)
 * leave in the order they were made; different keys proceed in parallel. A waiting request still honours its
 * call's timeout and AbortSignal and leaves the queue when either fires. A 429's Retry-After pauses its key.
 */
import { untilAborted } from '../exchange/abortable.js';
import type { Clock } from '../exchange/clock.js';
import { ClientError } from '../errors/errors.js';
import { createMemoryThrottleStore, type RateWindow, type ThrottleStore } from './throttle-store.js';

/** The store could not be reached, and the throttle is set to fail closed; nothing was sent. */
export class ThrottleStoreError extends ClientError {
  override name = 'ThrottleStoreError';
  constructor(cause: unknown) {
    super('The rate-limit store is unavailable, so the request was not sent (throttle.onUnavailable is "fail")', { cause });
  }
}

/** Which budget a request draws from, and under which key. */
export interface ThrottleSlot {
  /** The budget's name in the API's table (`messageWrites`, `reads`, …). */
  readonly budget: string;
  /** The key the budget is kept under (`chat:334`, `token`). */
  readonly key: string;
}

/** The `throttle` option of every client. */
export interface ThrottleOptions<BudgetName extends string = string> {
  /**
   * Where budgets are kept: the default in-memory store, or `createRedisThrottleStore(…)` from `/node` for many
   * processes on one token.
   * @default an in-memory store
   */
  readonly store?: ThrottleStore;
  /**
   * Budgets that replace the API's own, by name; `[]` turns one off.
   * @default the API's table (Pachca's documented limits; none for OK and uNet, whose documents give none)
   */
  readonly budgets?: Partial<Readonly<Record<BudgetName, readonly RateWindow[]>>>;
  /**
   * A prefix for every key, so that different tokens sharing one store keep separate budgets.
   * @default "default"
   */
  readonly scope?: string;
  /**
   * What to do when the store fails: `fail` refuses the request with a `ThrottleStoreError` (nothing is sent);
   * `local` falls back to a budget in this process's memory for that request.
   * @default "fail"
   */
  readonly onUnavailable?: 'fail' | 'local';
}

/** A client's throttle. */
export interface Throttle {
  /** Waits until the slot's budget has room (in order, per key), or until the signal fires. */
  acquire(slot: ThrottleSlot, signal: AbortSignal | undefined): Promise<void>;
  /** Pauses a slot's key after a 429. */
  pause(slot: ThrottleSlot, ms: number): Promise<void>;
}

/** Builds a throttle over an API's budget table and the user's options. */
export function createThrottle(
  table: Readonly<Record<string, readonly RateWindow[]>>,
  options: ThrottleOptions,
  clock: Clock,
): Throttle {
  const budgets: Record<string, readonly RateWindow[] | undefined> = { ...table, ...options.budgets };
  const store = options.store ?? createMemoryThrottleStore({ now: () => clock.now() });
  const local = createMemoryThrottleStore({ now: () => clock.now() });
  const scope = options.scope ?? 'default';
  const failClosed = (options.onUnavailable ?? 'fail') === 'fail';
  /** The last request queued per key: each waits for the one before it. */
  const tails = new Map<string, Promise<void>>();

  async function take(key: string, windows: readonly RateWindow[]): Promise<number> {
    try {
      return await store.take(key, windows);
    } catch (error) {
      if (failClosed) throw new ThrottleStoreError(error);
      return local.take(key, windows);
    }
  }

  return {
    async acquire(slot, signal) {
      const windows = budgets[slot.budget];
      if (!windows || windows.length === 0) return;
      const key = `${scope}:${slot.budget}:${slot.key}`;
      const previous = tails.get(key) ?? Promise.resolve();
      let release!: () => void;
      const mine = new Promise<void>((resolve) => (release = resolve));
      const tail = previous.then(() => mine);
      tails.set(key, tail);
      try {
        await untilAborted(previous, signal);
        for (;;) {
          const wait = await take(key, windows);
          if (wait <= 0) return;
          await clock.sleep(wait, signal);
        }
      } finally {
        release();
        if (tails.get(key) === tail) tails.delete(key);
      }
    },
    async pause(slot, ms) {
      const key = `${scope}:${slot.budget}:${slot.key}`;
      try {
        await store.pause(key, ms);
      } catch {
        await local.pause(key, ms);
      }
    },
  };
}
