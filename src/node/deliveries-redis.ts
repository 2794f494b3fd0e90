/**
 * A delivery store in Redis, shared by every replica behind one webhook URL: a claim is one `SET NX PX`, so two
 * replicas that receive the same event at once cannot both claim it, and every claim expires after `rememberMs`.
 * Each event's key is its own hash tag, so the store works on a Redis Cluster.
 *
 * When Redis cannot be reached the store fails closed (the handler answers 500 and the vendor delivers again) or,
 * with `onUnavailable: 'local'`, falls back to this process's memory, as the throttle store does.
 */
import { createMemoryDeliveryStore, type DeliveryStore } from '../core/webhooks/deliveries.js';
import { DeliveryStoreError } from '../core/webhooks/handoff.js';
import { hashTag, redisScript, runScript, type RedisScriptClient } from './redis-script.js';

/** Options of {@link createRedisDeliveryStore}. */
export interface RedisDeliveryStoreOptions {
  /** A connected client, e.g. `new Redis({ commandTimeout: 500, maxRetriesPerRequest: 0 })` from ioredis. */
  readonly client: RedisScriptClient;
  /**
   * A prefix for every key this store writes.
   * @default "delivery:"
   */
  readonly prefix?: string;
  /**
   * What to do when Redis fails: `fail` throws a `DeliveryStoreError` (the handler answers 500, so the vendor
   * delivers again); `local` remembers the event in this process's memory instead.
   * @default "fail"
   */
  readonly onUnavailable?: 'fail' | 'local';
}

/** KEYS[1]: the claim; ARGV[1]: milliseconds to keep it. Returns 1 when claimed, 0 for a duplicate. */
const CLAIM = redisScript(`
if redis.call('SET', KEYS[1], '1', 'NX', 'PX', ARGV[1]) then return 1 end
return 0
`);

/** KEYS[1]: the claim. */
const RELEASE = redisScript(`return redis.call('DEL', KEYS[1])`);

/** Creates a delivery store in Redis. */
export function createRedisDeliveryStore(options: RedisDeliveryStoreOptions): DeliveryStore {
  const prefix = options.prefix ?? 'delivery:';
  const failClosed = (options.onUnavailable ?? 'fail') === 'fail';
  const local = createMemoryDeliveryStore();
  const keyOf = (key: string): string => `${prefix}${hashTag(key)}`;
  return {
    async claim(key, ttlMs) {
      if (!(Number.isInteger(ttlMs) && ttlMs > 0)) throw new RangeError(`ttlMs must be a positive whole number of milliseconds, got ${ttlMs}`);
      try {
        return Number(await runScript(options.client, CLAIM, [keyOf(key)], [ttlMs])) === 1;
      } catch (error) {
        if (failClosed) throw new DeliveryStoreError(error);
        return local.claim(key, ttlMs);
      }
    },
    async release(key) {
      local.release(key);
      try {
        await runScript(options.client, RELEASE, [keyOf(key)], []);
      } catch (error) {
        if (failClosed) throw new DeliveryStoreError(error);
      }
    },
  };
}
