/**
 * Long polling for OK, for a group without a public webhook URL (FACTS §7, §11; the path and answer are inferred):
 * subscribe with `longPolling: true`, then fetch the kept events every few seconds. OK keeps no copy of an event
 * once fetched, so an event whose code throws is tried again (up to `maxAttempts`) before it is reported to
 * `onError`; duplicates are dropped by a delivery store. `error_code` 5000 (the subscription is gone) subscribes
 * again. Errors back off exponentially; a 429 is honoured by the client's retry policy. The loop ends when the
 * signal fires.
 *
 * Many replicas: give a `lease` (`createRedisLease` from the node entry) and one replica fetches at a time, the
 * others taking over within the lease time; a fetch (which consumes the events at OK) starts only after the
 * lease's fencing token was checked. Give a `handoff` (a durable queue) too and fetched events are queued
 * (duplicates dropped) instead of run here, so none is lost when a replica stops mid-way.
 */
import { checkOkEventType, type components, type GetUpdatesResult, type SubscribeInput, type SubscribeResult } from '../../generated/ok.js';
import { systemClock } from '../core/exchange/clock.js';
import { createMemoryDeliveryStore, type DeliveryStore, DEFAULT_REMEMBER_MS } from '../core/webhooks/deliveries.js';
import { checkEventDestination, type EventDestination } from '../core/webhooks/destination.js';
import { HandoffFullError } from '../core/webhooks/handoff.js';
import { checkPollLoopSettings, DEFAULT_MAX_BACKOFF_MS, runPollLoop, type PollLoopSettings } from '../core/webhooks/poll-loop.js';
import type { CallOptions } from '../core/client/types.js';
import { OkApiError } from './errors.js';
import { dispatchOkEvent, OK_HANDLER_NAMES, okEventKey, okOrderKey, parseOkEvent, type OkEventHandlers, type OkWebhookEvent } from './webhooks.js';
import { optionalMethods, optionalNumber, requireObject, requireOneOf } from '../core/request/arguments.js';
import { RequestValidationError } from '../core/errors/errors.js';
import { OK_EVENT_TYPES as EVENT_TYPES, type OkEventType } from './event-types.js';

/** Checks the poller's options before it subscribes. */
function checkPollOptions(options: unknown): void {
  const fields = requireObject(options, 'options');
  checkEventDestination(fields, OK_HANDLER_NAMES, 'here');
  if (fields.types !== undefined) {
    if (!Array.isArray(fields.types) || fields.types.length === 0) throw new RequestValidationError('types', `must be a non-empty array of ${EVENT_TYPES.join(', ')}`);
    fields.types.forEach((type: unknown, index) => requireOneOf(type, `types[${index}]`, EVENT_TYPES));
  }
  checkPollLoopSettings(fields);
  optionalNumber(fields.maxAttempts, 'maxAttempts', { min: 1, integer: true });
  optionalMethods(fields.store, 'store', ['claim', 'release']);
}

export type { OkEventType } from './event-types.js';

/** Where fetched events go: your code in this process, or a durable queue that workers read. */
export type PollUpdatesTarget = EventDestination<OkEventHandlers>;

/** Options of {@link pollUpdates}. */
export type PollUpdatesOptions = PollUpdatesTarget & PollUpdatesSettings;

/** The settings of a long-polling loop, whatever the target. */
export interface PollUpdatesSettings extends PollLoopSettings {
  /**
   * How long a handled (or queued) event's key is remembered, so a second copy is dropped, in milliseconds.
   * @default 3600000 (one hour)
   */
  readonly rememberMs?: number;
  /**
   * The kinds of event to keep.
   * @default every kind the spec's `OkEventType` lists: `MESSAGE_CREATED`, `MESSAGE_CALLBACK`, `CHAT_SYSTEM`
   */
  readonly types?: readonly OkEventType[];
  /**
   * The pause between two fetches, in milliseconds (a public app uses 3 s).
   * @default 3000
   */
  readonly intervalMs?: number;
  /**
   * How many times an event's code is run before the event is given up (and reported to `onError`). Not with
   * `handoff`, whose workers have their own.
   * @default 3
   */
  readonly maxAttempts?: number;
  /**
   * Remembers handled events so that one fetched twice runs once. Not with `handoff`, which drops duplicates
   * itself.
   * @default an in-memory store of the last 10,000 events
   */
  readonly store?: DeliveryStore;
}

/** What the poller needs of the client. */
export interface UpdatesApi {
  subscribe(input: SubscribeInput, options?: CallOptions): Promise<SubscribeResult>;
  getUpdates(input?: Record<string, never>, options?: CallOptions): Promise<GetUpdatesResult>;
}

/** The events of an answer: a list, or the first list an object holds (the shape is not documented). */
function eventsOf(answer: unknown): unknown[] {
  if (Array.isArray(answer)) return answer;
  if (answer && typeof answer === 'object') return (Object.values(answer).find(Array.isArray) as unknown[] | undefined) ?? [];
  return [];
}

/** Runs the long-polling loop until the signal fires. */
export async function pollUpdates(api: UpdatesApi, options: PollUpdatesOptions): Promise<void> {
  checkPollOptions(options);
  const clock = options.clock ?? systemClock;
  const { signal, handoff, on } = options;
  if (handoff && options.store !== undefined) throw new TypeError('store has no effect with handoff: the queue drops duplicates itself');
  if (handoff && options.maxAttempts !== undefined) throw new TypeError('maxAttempts has no effect with handoff: give it to the workers');
  const rememberMs = options.rememberMs ?? DEFAULT_REMEMBER_MS;
  const call: CallOptions = signal ? { signal } : {};
  const store = options.store ?? createMemoryDeliveryStore();
  const maxAttempts = options.maxAttempts ?? 3;
  const maxBackoffMs = options.maxBackoffMs ?? DEFAULT_MAX_BACKOFF_MS;
  const types = options.types ?? EVENT_TYPES;
  const subscribe = () => api.subscribe({ body: { types: [...types], longPolling: true } as SubscribeInput['body'] }, call);
  /** The pause before an event's next try, doubling from one second. */
  const retryPause = (attempt: number): number => Math.min(maxBackoffMs, 500 * 2 ** attempt);
  let subscribed = false;

  const runEvent = async (event: OkWebhookEvent): Promise<void> => {
    const key = okEventKey(event);
    if (handoff) {
      // OK keeps no copy of a fetched event, so a full or unreachable queue is waited out here, not given up.
      for (let attempt = 1; ; attempt++) {
        try {
          const outcome = await handoff.enqueue({ key, orderKey: okOrderKey(event), source: 'ok', event, rememberMs });
          if (outcome !== 'full') return;
          options.onError?.(new HandoffFullError());
        } catch (error) {
          options.onError?.(error);
        }
        if (signal?.aborted) return;
        await clock.sleep(retryPause(attempt), signal).catch(() => undefined);
      }
    }
    if (!(await store.claim(key, rememberMs))) return;
    for (let attempt = 1; ; attempt++) {
      try {
        await dispatchOkEvent(event, on as OkEventHandlers);
        return;
      } catch (error) {
        options.onError?.(error);
        if (attempt >= maxAttempts || signal?.aborted) return;
        await clock.sleep(retryPause(attempt), signal);
      }
    }
  };

  await runPollLoop({
    lease: options.lease,
    signal,
    clock,
    intervalMs: options.intervalMs ?? 3000,
    maxBackoffMs,
    onError: options.onError,
    async round(holder) {
      if (!subscribed) {
        await subscribe();
        subscribed = true;
      }
      // Fetching consumes the events at OK: only the lease holder may.
      await holder.fence('fetching updates');
      const answer = await api.getUpdates({}, call);
      for (const raw of eventsOf(answer)) {
        let event: OkWebhookEvent;
        try {
          event = parseOkEvent(raw);
        } catch (error) {
          options.onError?.(error);
          continue;
        }
        await runEvent(event);
      }
      return false;
    },
    failed(error) {
      // 5000: the long-polling subscription is gone; make it again before the next fetch.
      if (error instanceof OkApiError && error.errorCode === 5000) subscribed = false;
    },
  });
}
