/** Waiting on a promise that a signal can cut short. */

/**
 * Waits for a promise, or rejects with the signal's reason as soon as it fires. `abortable`, when given, is asked
 * when the signal fires: once it says no (undici wrote the request), the abort is left to the promise itself.
 */
export function untilAborted<T>(promise: Promise<T>, signal: AbortSignal | undefined, abortable?: () => boolean): Promise<T> {
  if (!signal) return promise;
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => {
      if (!abortable || abortable()) reject(signal.reason);
    };
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}
