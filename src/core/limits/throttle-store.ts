/**
 * Where an outgoing rate budget is kept. A budget is a set of sliding windows (`at most limit requests in any
 * windowMs`), all of which must have room; a store takes one slot from each atomically or says how long to wait.
 * The in-memory store serves one process; the Redis store (throttle-redis.ts) serves many.
 */

/** At most `limit` requests in any `windowMs` milliseconds. */
export interface RateWindow {
  readonly limit: number;
  readonly windowMs: number;
}

/** Keeps the budgets of many keys (a chat, a token). Methods may be synchronous or return promises. */
export interface ThrottleStore {
  /**
   * Takes one slot from every window of `key` when all have room, and returns 0; otherwise takes nothing and
   * returns how many milliseconds to wait before asking again.
   */
  take(key: string, windows: readonly RateWindow[]): number | Promise<number>;
  /** Holds every request of `key` back for `ms` milliseconds (a 429's Retry-After). */
  pause(key: string, ms: number): void | Promise<void>;
}

/** How long to wait before a request fits every window, given the sorted times of the requests made. */
export function waitFor(stamps: readonly number[], windows: readonly RateWindow[], now: number): number {
  let wait = 0;
  for (const { limit, windowMs } of windows) {
    const inside = stamps.filter((stamp) => stamp > now - windowMs);
    if (inside.length >= limit) {
      // The window has room again once the request `limit` places before the newest has left it.
      const blocking = inside[inside.length - limit] as number;
      wait = Math.max(wait, blocking + windowMs - now);
    }
  }
  return wait;
}

/** Options of {@link createMemoryThrottleStore}. */
export interface MemoryThrottleStoreOptions {
  /**
   * The clock, for tests.
   * @default Date.now
   */
  readonly now?: () => number;
}

/** A store in this process's memory: the default, with no dependency, on every runtime. */
export function createMemoryThrottleStore(options: MemoryThrottleStoreOptions = {}): ThrottleStore {
  const now = options.now ?? Date.now;
  const logs = new Map<string, number[]>();
  const paused = new Map<string, number>();
  return {
    take(key, windows) {
      const at = now();
      const until = paused.get(key);
      if (until !== undefined && until > at) return until - at;
      const longest = Math.max(...windows.map((window) => window.windowMs));
      const stamps = (logs.get(key) ?? []).filter((stamp) => stamp > at - longest);
      const wait = waitFor(stamps, windows, at);
      if (wait === 0) stamps.push(at);
      if (stamps.length > 0) logs.set(key, stamps);
      else logs.delete(key);
      return wait;
    },
    pause(key, ms) {
      paused.set(key, Math.max(paused.get(key) ?? 0, now() + ms));
    },
  };
}
