/**
 * Polling Pachca's stored webhook events, for a bot without a public URL: fetch the oldest page, run the bot's
 * code for each event, delete the event only once the code has finished, and repeat. An event whose code threw
 * stays stored and is tried again; an event whose code finished but whose deletion failed is remembered, deleted
 * first on the next round, and never run twice. Errors back off exponentially; a 429 is honoured by the client's
 * retry policy. The loop ends when the signal fires.
 */
import type { DeleteWebhookEventInput, ListWebhookEventsInput, ListWebhookEventsResult } from '../../generated/pachca.js';
import type { Clock } from '../core/exchange/clock.js';
import { systemClock } from '../core/exchange/clock.js';
import { NotFoundError } from '../core/errors/errors.js';
import type { CallOptions } from '../core/client/types.js';
import { dispatchPachcaEvent, PACHCA_HANDLER_NAMES, type PachcaEventHandlers } from './webhooks.js';
import { optionalFunction, optionalMethods, optionalNumber, optionalSignal, requireHandlers, requireObject } from '../core/request/arguments.js';

/** Checks the poller's options before the first request. */
function checkPollOptions(options: unknown): void {
  const fields = requireObject(options, 'options');
  requireHandlers(fields.on, 'on', PACHCA_HANDLER_NAMES);
  optionalSignal(fields.signal, 'signal');
  optionalNumber(fields.intervalMs, 'intervalMs', { min: 0 });
  optionalNumber(fields.limit, 'limit', { min: 1, integer: true });
  optionalNumber(fields.maxBackoffMs, 'maxBackoffMs', { min: 0 });
  optionalFunction(fields.onError, 'onError');
  optionalMethods(fields.clock, 'clock', ['now', 'sleep']);
}

/** Options of {@link PachcaPoller.pollWebhookEvents}. */
export interface PollWebhookEventsOptions {
  /** Your code, per kind of event. */
  readonly on: PachcaEventHandlers;
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
  const { signal } = options;
  const intervalMs = options.intervalMs ?? 2000;
  const maxBackoffMs = options.maxBackoffMs ?? 60_000;
  const call: CallOptions = signal ? { signal } : {};
  /** Events whose code finished but whose deletion did not. */
  const handled = new Set<string>();
  let backoff = 0;

  const remove = async (id: string): Promise<void> => {
    try {
      await api.deleteWebhookEvent({ id }, call);
    } catch (error) {
      // Already gone is what we wanted.
      if (!(error instanceof NotFoundError)) throw error;
    }
    handled.delete(id);
  };

  while (!signal?.aborted) {
    try {
      for (const id of [...handled]) await remove(id);
      const page = await api.listWebhookEvents({ limit: options.limit ?? 50 }, call);
      for (const stored of page.data) {
        if (!handled.has(stored.id)) {
          await dispatchPachcaEvent(stored.payload, options.on);
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
      backoff = Math.min(maxBackoffMs, backoff === 0 ? 1000 : backoff * 2);
      await clock.sleep(backoff, signal).catch(() => undefined);
    }
  }
}
