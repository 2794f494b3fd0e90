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
import { listWebhookEventsCheck, type DeleteWebhookEventInput, type ListWebhookEventsInput, type ListWebhookEventsResult } from '../../generated/pachca.js';
import { systemClock } from '../core/exchange/clock.js';
import { NotFoundError } from '../core/errors/errors.js';
import type { CallOptions } from '../core/client/types.js';
import { checkEventDestination, type EventDestination } from '../core/webhooks/destination.js';
import { HandoffFullError, LeaseLostError } from '../core/webhooks/handoff.js';
import type { LeaseHolder } from '../core/webhooks/lease-holder.js';
import { checkPollLoopSettings, DEFAULT_MAX_BACKOFF_MS, runPollLoop, type PollLoopSettings } from '../core/webhooks/poll-loop.js';
import { optionalNumber, requireObject } from '../core/request/arguments.js';
import { dispatchPachcaEvent, PACHCA_HANDLER_NAMES, pachcaEventKey, pachcaOrderKey, type PachcaEventHandlers } from './webhooks.js';
import { DEFAULT_REMEMBER_MS } from '../core/webhooks/deliveries.js';

/**
 * Where polled events go: your code in this process, or a durable queue (`createRedisEventQueue(...).handoff`)
 * into which each event is queued, then deleted at Pachca; workers run your code.
 */
export type PollWebhookEventsTarget = EventDestination<PachcaEventHandlers>;

/** The bounds of a page of stored events: the spec's `minimum` and `maximum` of `listWebhookEvents`' `limit`. */
const [MIN_LIMIT, MAX_LIMIT] = listWebhookEventsCheck.params?.limit?.range ?? [null, null];

/** Checks the poller's options before the first request. */
function checkPollOptions(options: unknown): void {
  const fields = requireObject(options, 'options');
  checkEventDestination(fields, PACHCA_HANDLER_NAMES, 'here');
  checkPollLoopSettings(fields);
  optionalNumber(fields.limit, 'limit', { min: MIN_LIMIT ?? 1, ...(MAX_LIMIT === null ? {} : { max: MAX_LIMIT }), integer: true });
}

/** Options of {@link PachcaPoller.pollWebhookEvents}. */
export type PollWebhookEventsOptions = PollWebhookEventsTarget & PollWebhookEventsSettings;

/** The settings of a polling loop, whatever the target. */
export interface PollWebhookEventsSettings extends PollLoopSettings {
  /**
   * With `handoff`: how long a queued event's key is remembered, so a second copy is dropped, in milliseconds.
   * @default 3600000 (one hour)
   */
  readonly rememberMs?: number;
  /**
   * The pause after an empty or last page, in milliseconds (the API allows about 5 requests in 2 seconds).
   * @default 2000
   */
  readonly intervalMs?: number;
  /**
   * Events fetched per page, within the spec's bounds of `limit`.
   * @default the most the spec allows on a page (50)
   */
  readonly limit?: number;
}

/** What the poller needs of the client. */
export interface EventsApi {
  listWebhookEvents(input?: ListWebhookEventsInput, options?: CallOptions): Promise<ListWebhookEventsResult>;
  deleteWebhookEvent(input: DeleteWebhookEventInput, options?: CallOptions): Promise<undefined>;
}

/** Runs the polling loop until the signal fires. */
export async function pollWebhookEvents(api: EventsApi, options: PollWebhookEventsOptions): Promise<void> {
  checkPollOptions(options);
  const { signal, handoff, on } = options;
  if (options.rememberMs !== undefined && !handoff) throw new TypeError('rememberMs has an effect only with handoff');
  const rememberMs = options.rememberMs ?? DEFAULT_REMEMBER_MS;
  const limit = options.limit ?? MAX_LIMIT;
  const call: CallOptions = signal ? { signal } : {};
  /** Events whose code finished but whose deletion did not. */
  const handled = new Set<string>();

  const remove = async (holder: LeaseHolder, id: string): Promise<void> => {
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

  await runPollLoop({
    lease: options.lease,
    signal,
    clock: options.clock ?? systemClock,
    intervalMs: options.intervalMs ?? 2000,
    maxBackoffMs: options.maxBackoffMs ?? DEFAULT_MAX_BACKOFF_MS,
    onError: options.onError,
    async round(holder) {
      for (const id of [...handled]) await remove(holder, id);
      await holder.fence('fetching events');
      const page = await api.listWebhookEvents(limit === null ? {} : { limit }, call);
      for (const stored of page.data) {
        if (!handled.has(stored.id)) {
          await run(stored.payload);
          handled.add(stored.id);
        }
        await remove(holder, stored.id);
      }
      // A full page may have more behind it: go on at once. Otherwise wait for new events.
      return page.data.length > 0 && page.meta.paginate.has_next !== false;
    },
    failed(error) {
      // Another replica polls now and will delete what this one handled.
      if (error instanceof LeaseLostError) handled.clear();
    },
  });
}

type StoredEvent = ListWebhookEventsResult['data'][number];
