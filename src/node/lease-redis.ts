/**
 * A lease in Redis: one holder at a time, with a fencing token (a counter that grows with every new holder, plus
 * the holder's name) so that a holder paused past its lease cannot act on it afterwards: every renewal compares
 * the token, and a lapsed lease is never renewed under the old token. Used by the pollers (one replica polls an
 * API at a time) and by the event queue's partitions.
 */
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { PollLease } from '../core/webhooks/handoff.js';
import { hashTag, redisScript, runScript, type RedisScriptClient } from './redis-script.js';

/**
 * KEYS: lease, fence. ARGV: holder, ms, token ('' to take a free lease). Renews the caller's lease, or takes a
 * free one with a new fencing token; returns the token, or nil when another holds it (or a renewed one lapsed).
 */
export const LEASE = redisScript(`
local current = redis.call('GET', KEYS[1])
if current and current == ARGV[3] then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  return current
end
if current or ARGV[3] ~= '' then return false end
local token = redis.call('INCR', KEYS[2]) .. ':' .. ARGV[1]
redis.call('SET', KEYS[1], token, 'PX', ARGV[2])
return token
`);

/** KEYS: lease. ARGV: token. Gives a lease up when the token still holds it. */
export const UNLEASE = redisScript(`
if redis.call('GET', KEYS[1]) == ARGV[1] then redis.call('DEL', KEYS[1]) end
return 1
`);

/** Options of {@link createRedisLease}. */
export interface RedisLeaseOptions {
  /** A connected client (ioredis `Redis` or `Cluster`, or an adapter). */
  readonly client: RedisScriptClient;
  /** The lease's name; every replica that competes for it uses the same. */
  readonly name: string;
  /**
   * A prefix for the lease's keys.
   * @default "lease:"
   */
  readonly prefix?: string;
  /**
   * How long the lease lasts without renewal, in milliseconds: a replica that stops is replaced within this time.
   * @default 10000
   */
  readonly leaseMs?: number;
  /**
   * This replica's name, part of its fencing token.
   * @default host name, process id and a random suffix
   */
  readonly holder?: string;
}

/** Creates a lease that replicas compete for through Redis. */
export function createRedisLease(options: RedisLeaseOptions): PollLease {
  const leaseMs = options.leaseMs ?? 10_000;
  if (!Number.isInteger(leaseMs) || leaseMs < 30) throw new RangeError(`leaseMs must be a whole number of at least 30, got ${String(options.leaseMs)}`);
  if (typeof options.name !== 'string' || options.name === '') throw new TypeError('name must be a non-empty string');
  const base = `${options.prefix ?? 'lease:'}${hashTag(options.name)}`;
  const keys = [base, `${base}:fence`];
  const holder = options.holder ?? `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`;
  return {
    async acquire(signal) {
      for (;;) {
        signal?.throwIfAborted();
        const token = await runScript(options.client, LEASE, keys, [holder, leaseMs, '']);
        if (typeof token === 'string') return token;
        await new Promise<void>((resolve) => {
          const done = (): void => {
            clearTimeout(timer);
            signal?.removeEventListener('abort', done);
            resolve();
          };
          const timer = setTimeout(done, Math.ceil(leaseMs / 3));
          signal?.addEventListener('abort', done, { once: true });
        });
      }
    },
    async renew(token) {
      return (await runScript(options.client, LEASE, keys, [holder, leaseMs, token])) === token ? leaseMs : 0;
    },
    async release(token) {
      await runScript(options.client, UNLEASE, [base], [token]);
    },
  };
}
