/**
 * The loop every poller runs (Pachca's stored events, OK's long polling): wait for the lease, run one round
 * (which checks the lease's fencing token before it consumes anything at the API, fetches, and runs or queues
 * what came), pause, and start again until the signal fires. An error is reported to `onError` and followed by an
 * exponential backoff up to `maxBackoffMs`; a lost lease is followed by no backoff, only by waiting for the lease
 * again. The lease is given up however the loop ends.
 */
import type { Clock } from '../exchange/clock.js';
import { optionalFunction, optionalMethods, optionalNumber, optionalSignal } from '../request/arguments.js';
import { LeaseLostError, type PollLease } from './handoff.js';
import { holdLease, type LeaseHolder } from './lease-holder.js';

/** The longest pause after repeated errors when the caller names none, in milliseconds. */
export const DEFAULT_MAX_BACKOFF_MS = 60_000;

/** The first pause after an error, in milliseconds; each error in a row doubles it. */
const FIRST_BACKOFF_MS = 1000;

/** The settings every poller takes, whatever it fetches. */
export interface PollLoopSettings {
  /**
   * One replica at a time fetches (`createRedisLease` from the node entry); the others wait and take over when it
   * stops.
   * @default none: this process fetches on its own
   */
  readonly lease?: PollLease;
  /** Stops the loop. */
  readonly signal?: AbortSignal;
  /**
   * The longest pause after repeated errors, in milliseconds.
   * @default 60000
   */
  readonly maxBackoffMs?: number;
  /**
   * Hears of every error the loop recovers from (your code's, the API's, a lost lease).
   * @default nothing
   */
  readonly onError?: (error: unknown) => void;
  /**
   * The clock, for tests.
   * @default the system clock
   */
  readonly clock?: Clock;
}

/** Checks the settings of {@link PollLoopSettings} and the poller's `intervalMs` before anything is fetched. */
export function checkPollLoopSettings(fields: Readonly<Record<string, unknown>>): void {
  optionalSignal(fields.signal, 'signal');
  optionalNumber(fields.intervalMs, 'intervalMs', { min: 0 });
  optionalNumber(fields.maxBackoffMs, 'maxBackoffMs', { min: 0 });
  optionalFunction(fields.onError, 'onError');
  optionalMethods(fields.clock, 'clock', ['now', 'sleep']);
}

/** One poller's loop: its settings, resolved, and what one round does. */
export interface PollLoop {
  readonly lease: PollLease | undefined;
  readonly signal: AbortSignal | undefined;
  readonly clock: Clock;
  /** The pause after a round that left nothing waiting, in milliseconds. */
  readonly intervalMs: number;
  readonly maxBackoffMs: number;
  readonly onError: ((error: unknown) => void) | undefined;
  /**
   * One round, run once the lease is held: fence, fetch, run or queue. Resolves to `true` when more may be waiting
   * at the API (a full page), so that the next round starts at once instead of after `intervalMs`.
   */
  round(holder: LeaseHolder): Promise<boolean>;
  /**
   * Hears of a failed round before `onError` does, for what the poller must forget then (a subscription that is
   * gone, deletions another replica will make).
   */
  failed?(error: unknown): void;
}

/** Runs a poller's loop until its signal fires, giving the lease up at the end. */
export async function runPollLoop(loop: PollLoop): Promise<void> {
  const { signal, clock } = loop;
  const holder = holdLease(loop.lease, signal);
  let backoff = 0;
  try {
    while (!signal?.aborted) {
      try {
        await holder.ensure();
        const more = await loop.round(holder);
        backoff = 0;
        if (!more) await clock.sleep(loop.intervalMs, signal);
      } catch (error) {
        if (signal?.aborted) break;
        loop.failed?.(error);
        loop.onError?.(error);
        // Another replica fetches now: wait for the lease again, with no backoff.
        if (error instanceof LeaseLostError) continue;
        backoff = Math.min(loop.maxBackoffMs, backoff === 0 ? FIRST_BACKOFF_MS : backoff * 2);
        await clock.sleep(backoff, signal).catch(() => undefined);
      }
    }
  } finally {
    await holder.stop();
  }
}
