/**
 * Webhook deliveries are at least once: the same event may arrive again after a timeout or a failure. A
 * `DeliveryStore` remembers which events were handled so the second copy is dropped. The in-memory store is
 * bounded; give a shared one (a database, Redis) when several processes receive the same webhook.
 */

import { optionalFunction, optionalNumber, requireObject } from '../request/arguments.js';

/** How long an event's key is remembered, so that a second copy is dropped, when the caller names no time: an hour. */
export const DEFAULT_REMEMBER_MS = 3_600_000;

/** Remembers handled events. Methods may be synchronous or return promises. */
export interface DeliveryStore {
  /**
   * Claims an event: `true` when it was not seen before (and is now being handled), `false` for a duplicate.
   * @param ttlMs - how long to remember it
   */
  claim(key: string, ttlMs: number): boolean | Promise<boolean>;
  /** Forgets a claim whose handling failed, so that the redelivery is handled. */
  release(key: string): void | Promise<void>;
}

/** Options of {@link createMemoryDeliveryStore}. */
export interface MemoryDeliveryStoreOptions {
  /**
   * The most events remembered; the oldest are forgotten first.
   * @default 10000
   */
  readonly maxEntries?: number;
  /**
   * The clock, for tests.
   * @default Date.now
   */
  readonly now?: () => number;
}

/** An in-memory, bounded delivery store (one process). */
export function createMemoryDeliveryStore(options: MemoryDeliveryStoreOptions = {}): DeliveryStore {
  requireObject(options, 'options');
  optionalNumber(options.maxEntries, 'maxEntries', { min: 1, integer: true });
  optionalFunction(options.now, 'now');
  const maxEntries = options.maxEntries ?? 10_000;
  const now = options.now ?? Date.now;
  /** Key → expiry; a Map keeps insertion order, so the first key is the oldest. */
  const entries = new Map<string, number>();
  return {
    claim(key, ttlMs) {
      const expiry = entries.get(key);
      if (expiry !== undefined && expiry > now()) return false;
      entries.delete(key);
      entries.set(key, now() + ttlMs);
      while (entries.size > maxEntries) entries.delete(entries.keys().next().value as string);
      return true;
    },
    release(key) {
      entries.delete(key);
    },
  };
}
