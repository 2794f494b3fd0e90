/**
 * A throttle store in Redis, for many processes (or machines) on one token: every worker takes from the same
 * budgets. Taking a slot is one Lua script, so it is atomic; times come from the Redis server's clock, so workers
 * with skewed clocks agree; every key expires with its longest window, so nothing is left behind.
 *
 * Both keys of one budget share a hash tag (`throttle:{default:messageWrites:chat:1}` and `…:paused`), so the
 * store works on a Redis Cluster; the scripts are sent by hash (`EVALSHA`), the source only once per server.
 *
 * It needs a Redis client with ioredis's `evalsha` and `eval(script, numberOfKeys, ...keysAndArgs)` (ioredis
 * `Redis` or `Cluster`, or an adapter). Give the client short timeouts (`commandTimeout`, `maxRetriesPerRequest: 0`): when Redis cannot be
 * reached, the throttle fails closed with a `ThrottleStoreError` (or, with `onUnavailable: 'local'`, falls back to
 * this process's memory).
 */
import type { RateWindow, ThrottleStore } from '../core/limits/throttle-store.js';
import { hashTag, redisScript, runScript, type RedisScriptClient } from './redis-script.js';

/** The part of a Redis client the store uses (ioredis has it). */
export type RedisEvalClient = RedisScriptClient;

/** Options of {@link createRedisThrottleStore}. */
export interface RedisThrottleStoreOptions {
  /** A connected client, e.g. `new Redis({ commandTimeout: 500, maxRetriesPerRequest: 0 })` from ioredis. */
  readonly client: RedisEvalClient;
  /**
   * A prefix for every key this store writes.
   * @default "throttle:"
   */
  readonly prefix?: string;
}

/**
 * KEYS[1]: the sorted set of request times; KEYS[2]: the pause marker.
 * ARGV: a unique member, the number of windows, then limit and window length pairs.
 * Returns 0 when a slot was taken in every window, else the milliseconds to wait.
 */
const TAKE = redisScript(`
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local paused = tonumber(redis.call('GET', KEYS[2]) or '0')
if paused > now then return paused - now end
local count = tonumber(ARGV[2])
local longest = 0
for i = 0, count - 1 do
  local length = tonumber(ARGV[4 + 2 * i])
  if length > longest then longest = length end
end
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - longest)
local wait = 0
for i = 0, count - 1 do
  local limit = tonumber(ARGV[3 + 2 * i])
  local length = tonumber(ARGV[4 + 2 * i])
  local inside = redis.call('ZCOUNT', KEYS[1], '(' .. (now - length), '+inf')
  if inside >= limit then
    local blocking = redis.call('ZRANGEBYSCORE', KEYS[1], '(' .. (now - length), '+inf', 'WITHSCORES', 'LIMIT', inside - limit, 1)
    local until_free = tonumber(blocking[2]) + length - now
    if until_free > wait then wait = until_free end
  end
end
if wait > 0 then return wait end
redis.call('ZADD', KEYS[1], now, now .. ':' .. ARGV[1])
redis.call('PEXPIRE', KEYS[1], longest)
return 0
`);

/** KEYS[1]: the pause marker; ARGV[1]: milliseconds. Keeps the later of two pauses. */
const PAUSE = redisScript(`
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local untilMs = now + tonumber(ARGV[1])
local current = tonumber(redis.call('GET', KEYS[1]) or '0')
if untilMs > current then redis.call('SET', KEYS[1], untilMs, 'PX', tonumber(ARGV[1])) end
return 0
`);

/** Creates a store that keeps budgets in Redis. */
export function createRedisThrottleStore(options: RedisThrottleStoreOptions): ThrottleStore {
  const prefix = options.prefix ?? 'throttle:';
  let counter = 0;
  const unique = (): string => `${process.pid}:${Date.now()}:${counter++}:${Math.random().toString(36).slice(2)}`;
  return {
    async take(key: string, windows: readonly RateWindow[]) {
      const args = windows.flatMap((window) => [window.limit, window.windowMs]);
      const base = `${prefix}${hashTag(key)}`;
      const wait = await runScript(options.client, TAKE, [base, `${base}:paused`], [unique(), windows.length, ...args]);
      return Number(wait);
    },
    async pause(key: string, ms: number) {
      await runScript(options.client, PAUSE, [`${prefix}${hashTag(key)}:paused`], [Math.max(1, Math.ceil(ms))]);
    },
  };
}
