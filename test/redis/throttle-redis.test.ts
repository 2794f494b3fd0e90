/**
 * The Redis throttle store against a real redis-server: windows, pauses, expiry, atomic takes under concurrency,
 * an unreachable server, and three worker processes on one chat that together never exceed the budget.
 */
import { execFile } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { promisify } from 'node:util';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { repoRoot } from '../../scripts/lib/apis.js';
import { ThrottleStoreError } from '../../src/core/index.js';
import { createThrottle } from '../../src/core/limits/throttle.js';
import { systemClock } from '../../src/core/exchange/clock.js';
import { createRedisThrottleStore } from '../../src/node/index.js';
import { freePort } from '../../src/testing/index.js';
import { removeKeys, targets, type RedisClient } from './targets.js';

const run = promisify(execFile);
let client: Redis;

beforeAll(() => {
  client = new Redis({ port: inject('redisPort'), host: '127.0.0.1', maxRetriesPerRequest: 0, commandTimeout: 1000 });
});
afterAll(() => client.disconnect());

describe.each(targets)('the Redis store on a $name', (target) => {
  let redis: RedisClient;
  beforeAll(() => {
    redis = target.connect();
  });
  afterAll(() => redis.disconnect());

  it('takes slots within the windows, says how long to wait, and lets the key expire', async () => {
    const prefix = `t1:${Date.now()}:`;
    const store = createRedisThrottleStore({ client: redis, prefix });
    const windows = [{ limit: 3, windowMs: 400 }];
    const waits = [];
    for (let i = 0; i < 4; i++) waits.push(await store.take('chat', windows));
    expect(waits.slice(0, 3)).toEqual([0, 0, 0]);
    expect(waits[3]).toBeGreaterThan(0);
    expect(waits[3]).toBeLessThanOrEqual(400);
    const key = `${prefix}{chat}`;
    const left = await redis.pttl(key);
    expect(left).toBeGreaterThan(0);
    expect(left).toBeLessThanOrEqual(400);
  });

  it('takes atomically: 50 concurrent takes against a limit of 10 let exactly 10 through', async () => {
    const store = createRedisThrottleStore({ client: redis, prefix: `t2:${Date.now()}:` });
    const results = await Promise.all(Array.from({ length: 50 }, () => store.take('chat', [{ limit: 10, windowMs: 60_000 }])));
    expect(results.filter((wait) => wait === 0)).toHaveLength(10);
  });

  it('pauses a key for a 429’s Retry-After, the pause and the budget sharing one hash slot', async () => {
    const prefix = `t3:${Date.now()}:`;
    const store = createRedisThrottleStore({ client: redis, prefix });
    await store.pause('default:messageWrites:chat:1', 300);
    const wait = await store.take('default:messageWrites:chat:1', [{ limit: 100, windowMs: 1000 }]);
    expect(wait).toBeGreaterThan(200);
    expect(wait).toBeLessThanOrEqual(300);
    // Both keys carry the budget's hash tag, so one script can touch both on a cluster.
    expect(await redis.exists(`${prefix}{default:messageWrites:chat:1}:paused`)).toBe(1);
  });

  it('keeps a caller’s braces inside the hash tag, so two keys never share a budget by accident', async () => {
    const store = createRedisThrottleStore({ client: redis, prefix: `t4:${Date.now()}:` });
    const windows = [{ limit: 1, windowMs: 60_000 }];
    expect(await store.take('a}b', windows)).toBe(0);
    expect(await store.take('a{b', windows)).toBe(0);
    expect(await store.take('a}b', windows)).toBeGreaterThan(0);
  });
});

describe('scripts sent once', () => {
  it('sends each script’s source once per server and then only its hash (EVALSHA), also after SCRIPT FLUSH', async () => {
    const sent = { eval: 0, evalsha: 0, noscript: 0 };
    // A client that counts what the store sends, in front of the real one.
    const counting = {
      eval: (...args: Parameters<Redis['eval']>) => {
        sent.eval++;
        return client.eval(...args);
      },
      evalsha: async (...args: Parameters<Redis['evalsha']>) => {
        sent.evalsha++;
        return client.evalsha(...args).catch((error: Error) => {
          if (error.message.startsWith('NOSCRIPT')) sent.noscript++;
          throw error;
        });
      },
    } as unknown as Redis;
    const store = createRedisThrottleStore({ client: counting, prefix: `t5:${Date.now()}:` });
    await client.script('FLUSH');
    for (let i = 0; i < 20; i++) await store.take(`chat:${i}`, [{ limit: 5, windowMs: 1000 }]);
    // The first call finds the cache empty (NOSCRIPT) and sends the source once; the other 19 send the hash only.
    expect(sent).toEqual({ eval: 1, evalsha: 20, noscript: 1 });
  });
});

describe('an unreachable Redis', () => {
  it('fails closed with a ThrottleStoreError when Redis is unreachable, or falls back to memory when told to', async () => {
    const down = new Redis({ port: await freePort(), host: '127.0.0.1', maxRetriesPerRequest: 0, enableOfflineQueue: false, lazyConnect: true, retryStrategy: () => null });
    down.on('error', () => undefined);
    const budgets = { writes: [{ limit: 1, windowMs: 1000 }] };
    const closed = createThrottle(budgets, { store: createRedisThrottleStore({ client: down }) }, systemClock);
    await expect(closed.acquire({ budget: 'writes', key: 'k' }, undefined)).rejects.toBeInstanceOf(ThrottleStoreError);
    const local = createThrottle(budgets, { store: createRedisThrottleStore({ client: down }), onUnavailable: 'local' }, systemClock);
    await expect(local.acquire({ budget: 'writes', key: 'k' }, undefined)).resolves.toBeUndefined();
    down.disconnect();
  });
});

describe('three worker processes on one chat', () => {
  it('never exceed the shared budget in any window', async () => {
    const arrivals: number[] = [];
    const server = createServer((request, response) => {
      request.resume();
      request.on('end', () => {
        if (request.url?.endsWith('/warm-up')) return void response.end('ok');
        arrivals.push(performance.now());
        response.writeHead(201, { 'content-type': 'application/json' }).end('{"data":{"id":1}}');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    // A fresh scope per run: earlier runs' stamps must not count.
    await removeKeys(client, 'throttle:');
    const tsx = path.join(repoRoot, 'node_modules', '.bin', 'tsx');
    const started = performance.now();
    try {
      const startAt = String(Date.now() + 3000);
      await Promise.all([1, 2, 3].map(() => run(tsx, [path.join(repoRoot, 'test', 'redis', 'worker.ts'), String(inject('redisPort')), baseUrl, '10', startAt])));
    } finally {
      server.close();
    }
    const elapsed = performance.now() - started;
    expect(arrivals).toHaveLength(30);
    // The highest number of arrivals in any 500 ms window, against the budget of 5. Arrivals are measured at the
    // server, a little after Redis granted them; 20 ms of that skew are allowed for on the window's edge.
    const sorted = [...arrivals].sort((a, b) => a - b);
    const highest = Math.max(...sorted.map((at) => sorted.filter((other) => other >= at && other < at + 500 - 20).length));
    console.log(`three workers, 30 sends to one chat, budget 5 per 500 ms: highest count in a window ${highest}, ${Math.round(elapsed)} ms in all`);
    expect(highest).toBeLessThanOrEqual(5);
    // 30 sends at 5 per 500 ms cannot finish in less than 2.5 s after the first window.
    expect(sorted.at(-1)! - sorted[0]!).toBeGreaterThanOrEqual(2500 - 50);
  }, 60_000);
});
