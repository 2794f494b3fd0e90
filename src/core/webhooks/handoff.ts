/**
 * The contracts between receiving an event and running the user's code when they happen in different processes:
 * a durable hand-off (a queue the receiver writes to before it answers 200, read by workers that acknowledge an
 * event only once the user's code finished) and a lease (one replica at a time polls an API). The Redis
 * implementations live in `src/node`; the core only knows these shapes, so it stays free of any Redis client.
 */
import { ClientError } from '../errors/errors.js';

/** One event, as a receiver hands it over. */
export interface HandoffEntry {
  /** The key two copies of one event share; a second copy within the queue's memory is dropped. */
  readonly key: string;
  /** Events with one order key (one chat) are run one at a time, in the order they were handed over. */
  readonly orderKey: string;
  /** Which API the event came from (`pachca`, `ok`), so that one queue can carry several. */
  readonly source: string;
  /** The parsed event. */
  readonly event: unknown;
  /** How long the key is remembered, in milliseconds. */
  readonly rememberMs: number;
}

/** What became of a handed-over event. */
export type HandoffOutcome = 'queued' | 'duplicate' | 'full';

/** A durable queue of events. */
export interface EventHandoff {
  /**
   * Writes an event durably, or says it is a duplicate, or that the queue is full. Throws when the queue cannot
   * be reached; nothing is then written, and the receiver answers so that the vendor delivers again.
   */
  enqueue(entry: HandoffEntry): Promise<HandoffOutcome>;
}

/** A lease held by one replica at a time, with a fencing token that changes with every holder. */
export interface PollLease {
  /** Waits until this replica holds the lease (or the signal fires) and returns its token. */
  acquire(signal?: AbortSignal): Promise<string>;
  /**
   * Extends the lease when `token` still holds it and returns the milliseconds it is now guaranteed for;
   * returns 0 when another replica holds it (this one was paused past its lease, say).
   */
  renew(token: string): Promise<number>;
  /** Gives the lease up at once when `token` holds it, so that another replica takes over without waiting. */
  release(token: string): Promise<void>;
}

/** The delivery store could not be reached and is set to fail closed: the event was not run, the vendor will retry. */
export class DeliveryStoreError extends ClientError {
  override name = 'DeliveryStoreError';
  constructor(cause: unknown) {
    super('The delivery store is unavailable, so the event was not handled (onUnavailable is "fail")', { cause });
  }
}

/** A replica lost its polling lease to another; it fetched or handled nothing more and deleted nothing after. */
export class LeaseLostError extends ClientError {
  override name = 'LeaseLostError';
  constructor(what: string) {
    super(`The polling lease passed to another replica before ${what}; this replica stopped and waits to take it again`);
  }
}

/** The hand-off queue is at its bounded length; the event was refused, so the vendor delivers it again later. */
export class HandoffFullError extends ClientError {
  override name = 'HandoffFullError';
  constructor() {
    super('The event queue is full (maxLength reached); the event was not accepted and will be delivered again');
  }
}

/** An event's code failed `maxAttempts` times; the event was moved to the dead-letter stream. */
export class EventDeadLetteredError extends ClientError {
  override name = 'EventDeadLetteredError';
  /** The queue entry's id. */
  readonly entryId: string;
  /** The event's dedupe key. */
  readonly key: string;
  readonly attempts: number;
  constructor(entryId: string, key: string, attempts: number, cause: unknown) {
    super(`The event ${key} failed ${attempts} times and was moved to the dead-letter stream`, { cause });
    this.entryId = entryId;
    this.key = key;
    this.attempts = attempts;
  }
}
