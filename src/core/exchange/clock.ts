/**
 * Time, as the retry loop sees it. Injecting a clock makes backoff tests exact and instant.
 */
export interface Clock {
  /** The current time in milliseconds since the epoch. */
  now(): number;
  /**
   * Waits `ms` milliseconds. Rejects with the signal's reason as soon as `signal` aborts, so a caller's abort
   * or the request timeout ends a backoff wait at once.
   */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

/** The real clock: `Date.now()` and an abortable `setTimeout`. */
export const systemClock: Clock = {
  now: () => Date.now(),
  sleep(ms, signal) {
    return new Promise((resolve, reject) => {
      if (signal?.aborted) {
        reject(signal.reason);
        return;
      }
      const onAbort = (): void => {
        clearTimeout(timer);
        reject(signal?.reason);
      };
      const timer = setTimeout(() => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      }, ms);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  },
};
