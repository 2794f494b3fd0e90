/**
 * Holding a polling lease inside a loop: take it before the first fetch, renew it in the background, and check it
 * (renewing it, which compares the fencing token) right before anything that consumes events at the API, so that
 * a replica paused past its lease finds out before acting rather than after.
 */
import { LeaseLostError, type PollLease } from './handoff.js';

/** A loop's hold on an optional lease. */
export interface LeaseHolder {
  /** Waits until the lease is held (at once without a lease). */
  ensure(): Promise<void>;
  /**
   * Confirms the lease is still held and returns the milliseconds it is guaranteed for (undefined without a
   * lease); throws `LeaseLostError` naming `what` when another replica holds it.
   */
  fence(what: string): Promise<number | undefined>;
  /** Stops renewing and gives the lease up. */
  stop(): Promise<void>;
}

/** Wraps an optional lease for one polling loop. */
export function holdLease(lease: PollLease | undefined, signal: AbortSignal | undefined): LeaseHolder {
  let token: string | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const schedule = (ms: number): void => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      const held = token;
      if (!lease || held === undefined) return;
      lease.renew(held).then(
        (left) => {
          if (token !== held) return;
          if (left > 0) schedule(left);
          else token = undefined;
        },
        // A failed renewal is retried soon; the next fence decides.
        () => schedule(ms),
      );
    }, Math.max(10, Math.floor(ms / 3)));
    (timer as { unref?: () => void }).unref?.();
  };
  return {
    async ensure() {
      if (!lease || token !== undefined) return;
      token = await lease.acquire(signal);
      const left = await lease.renew(token);
      if (left === 0) {
        token = undefined;
        throw new LeaseLostError('polling started');
      }
      schedule(left);
    },
    async fence(what) {
      if (!lease) return undefined;
      const held = token;
      if (held === undefined) throw new LeaseLostError(what);
      const left = await lease.renew(held);
      if (left === 0) {
        if (token === held) token = undefined;
        clearTimeout(timer);
        throw new LeaseLostError(what);
      }
      return left;
    },
    async stop() {
      clearTimeout(timer);
      const held = token;
      token = undefined;
      if (lease && held !== undefined) await lease.release(held).catch(() => undefined);
    },
  };
}
