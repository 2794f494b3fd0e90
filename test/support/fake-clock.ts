/**
 * A clock for tests: time moves only when the code under test sleeps, every sleep is recorded and resolves at
 * once (or rejects when its signal has aborted), so retry and backoff tests are exact and instant.
 */
import type { Clock } from '../../src/core/exchange/clock.js';

/** A fake clock starting at `start`, with the waits it was asked for. */
export function fakeClock(start = Date.parse('2026-11-21T12:00:00Z')): Clock & { readonly waits: number[] } {
  const waits: number[] = [];
  let now = start;
  return {
    waits,
    now: () => now,
    sleep(ms, signal) {
      waits.push(ms);
      if (signal?.aborted) return Promise.reject(signal.reason);
      now += ms;
      return Promise.resolve();
    },
  };
}
