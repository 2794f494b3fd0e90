/**
 * Polling Pachca's stored webhook events, for a bot without a public URL: fetch the oldest page, run the bot's
 * code for each event, delete the event only once the code has finished, and repeat. An event whose code threw
 * stays stored and is tried again; an event whose code finished but whose deletion failed is remembered, deleted
 * first on the next round, and never run twice. Errors back off exponentially; a 429 is honoured by the client's
 * retry policy. The loop ends when the signal fires.
 *
 * Many replicas: give a `lease` (`createRedisLease` from the node entry) and one replica polls at a time, the others
 * taking over within the lease time when it stops; every deletion is preceded by a check of the lease's fencing
 * token and bounded by the time the lease is still guaranteed, so a replica paused past its lease deletes nothing.
 * Give a `handoff` too (a durable queue) and fetched events are queued (duplicates dropped) instead of run here,
 * then deleted: an event is deleted only once it is safely queued, and a takeover never runs one twice.
 */
import type { DeleteWebhookEventInput, ListWebhookEventsInput, ListWebhookEventsResult } from '../../generated/pachca.js';
import type { Clock } from '../core/exchange/clock.js';
import { systemClock } from '../core/exchange/clock.js';
import { NotFoundError } from '../core/errors/errors.js';
import type { CallOptions } from '../core/client/types.js';
import { HandoffFullError, LeaseLostError, type EventHandoff, type PollLease } from '../core/webhooks/handoff.js';
import { holdLease } from '../core/webhooks/lease-holder.js';
import { dispatchPachcaEvent, PACHCA_HANDLER_NAMES, pachcaEventKey, pachcaOrderKey, type PachcaEventHandlers } from './webhooks.js';

/** Where polled events go: your code in this process, or a durable queue that workers read. */
export type PollWebhookEventsTarget =
  | {
      /** Your code, per kind of event. */
      readonly on: PachcaEventHandlers;
      readonly handoff?: never;
    }
  | {
      readonly on?: never;
      /**
       * A durable queue (`createRedisEventQueue(...).handoff`): each event is queued, then deleted at Pachca;
       * workers run your code.
       */
      readonly handoff: EventHandoff;
    };
import { optionalFunction, optionalMethods, optionalNumber, optionalSignal, requireHandlers, requireObject } from '../core/request/arguments.js';

/** Checks the poller's options before the first request. */
function checkPollOptions(options: unknown): void {
  const fields = requireObject(options, 'options');
  if (fields.on !== undefined) requireHandlers(fields.on, 'on', PACHCA_HANDLER_NAMES);
  optionalSignal(fields.signal, 'signal');
  optionalNumber(fields.intervalMs, 'intervalMs', { min: 0 });
  optionalNumber(fields.limit, 'limit', { min: 1, integer: true });
  optionalNumber(fields.maxBackoffMs, 'maxBackoffMs', { min: 0 });
  optionalFunction(fields.onError, 'onError');
  optionalMethods(fields.clock, 'clock', ['now', 'sleep']);
}

/** Options of {@link PachcaPoller.pollWebhookEvents}. */
export type PollWebhookEventsOptions = PollWebhookEventsTarget & PollWebhookEventsSettings;

/** The settings of a polling loop, whatever the target. */
export interface PollWebhookEventsSettings {
  /**
   * One replica at a time polls (`createRedisLease` from the node entry); the others wait and take over when it
   * stops.
   * @default none: this process polls on its own
   */
  readonly lease?: PollLease;
  /**
   * With `handoff`: how long a queued event's key is remembered, so a second copy is dropped, in milliseconds.
   * @default 3600000 (one hour)
   */
  readonly rememberMs?: number;
  /** Stops the loop. */
  readonly signal?: AbortSignal;
  /**
   * The pause after an empty or last page, in milliseconds (the API allows about 5 requests in 2 seconds).
   * @default 2000
   */
  readonly intervalMs?: number;
  /**
   * Events fetched per page.
   * @default 50
   */
  readonly limit?: number;
  /**
   * The longest pause after repeated errors, in milliseconds.
   * @default 60000
   */
  readonly maxBackoffMs?: number;
  /**
   * Hears of every error the loop recovers from (your code's, the API's).
   * @default nothing
   */
  readonly onError?: (error: unknown) => void;
  /**
   * The clock, for tests.
   * @default the system clock
   */
  readonly clock?: Clock;
}

/** What the poller needs of the client. */
export interface EventsApi {
  listWebhookEvents(input?: ListWebhookEventsInput, options?: CallOptions): Promise<ListWebhookEventsResult>;
  deleteWebhookEvent(input: DeleteWebhookEventInput, options?: CallOptions): Promise<undefined>;
}

/** Runs the polling loop until the signal fires. */
export async function pollWebhookEvents(api: EventsApi, options: PollWebhookEventsOptions): Promise<void> {
  checkPollOptions(options);
  const clock = options.clock ?? systemClock;
  const { signal, handoff, on } = options;
  if ((handoff === undefined) === (on === undefined)) throw new TypeError('give either on (your code runs here) or handoff (workers run it), not both');
  if (options.rememberMs !== undefined && !handoff) throw new TypeError('rememberMs has an effect only with handoff');
  const rememberMs = options.rememberMs ?? 3_600_000;
  const holder = holdLease(options.lease, signal);
  const intervalMs = options.intervalMs ?? 2000;
  const maxBackoffMs = options.maxBackoffMs ?? 60_000;
  const call: CallOptions = signal ? { signal } : {};
  /** Events whose code finished but whose deletion did not. */
  const handled = new Set<string>();
  let backoff = 0;

  const remove = async (id: string): Promise<void> => {
    // The deletion starts only while the lease is held, and is cut off well before it could lapse.
    const left = await holder.fence(`deleting event ${id}`);
    try {
      await api.deleteWebhookEvent({ id }, left === undefined ? call : { ...call, timeoutMs: Math.max(1, Math.floor(left / 2)) });
    } catch (error) {
      // Already gone is what we wanted.
      if (!(error instanceof NotFoundError)) throw error;
    }
    handled.delete(id);
  };

  const run = async (event: StoredEvent['payload']): Promise<void> => {
    if (!handoff) return dispatchPachcaEvent(event, on as PachcaEventHandlers);
    const key = await pachcaEventKey(event);
    const outcome = await handoff.enqueue({ key, orderKey: pachcaOrderKey(event), source: 'pachca', event, rememberMs });
    // A full queue leaves the event stored at Pachca, to be fetched again after the backoff.
    if (outcome === 'full') throw new HandoffFullError();
  };

  try {
    await pollLoop();
  } finally {
    await holder.stop();
  }

  async function pollLoop(): Promise<void> {
    while (!signal?.aborted) {
      try {
        await holder.ensure();
        for (const id of [...handled]) await remove(id);
        await holder.fence('fetching events');
        const page = await api.listWebhookEvents({ limit: options.limit ?? 50 }, call);
        for (const stored of page.data) {
          if (!handled.has(stored.id)) {
            await run(stored.payload);
            handled.add(stored.id);
          }
          await remove(stored.id);
        }
        backoff = 0;
        // A full page may have more behind it: go on at once. Otherwise wait for new events.
        if (page.data.length === 0 || page.meta.paginate.has_next === false) await clock.sleep(intervalMs, signal);
      } catch (error) {
        if (signal?.aborted) break;
        options.onError?.(error);
        if (error instanceof LeaseLostError) {
          // Another replica polls now and will delete what this one handled; go back to waiting for the lease.
          handled.clear();
          continue;
        }
        backoff = Math.min(maxBackoffMs, backoff === 0 ? 1000 : backoff * 2);
        await clock.sleep(backoff, signal).catch(() => undefined);
      }
    }
  }
}

type StoredEvent = ListWebhookEventsResult['data'][number];
