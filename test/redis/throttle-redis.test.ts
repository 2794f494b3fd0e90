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

const run = promisify(execFile);
let client: Redis;

beforeAll(() => {
  client = new Redis({ port: inject('redisPort'), host: '127.0.0.1', maxRetriesPerRequest: 0, commandTimeout: 1000 });
});
afterAll(() => client.disconnect());

describe('the Redis store', () => {
  it('takes slots within the windows, says how long to wait, and lets the key expire', async () => {
    const store = createRedisThrottleStore({ client, prefix: `t1:${Date.now()}:` });
    const windows = [{ limit: 3, windowMs: 400 }];
    const waits = [];
    for (let i = 0; i < 4; i++) waits.push(await store.take('chat', windows));
    expect(waits.slice(0, 3)).toEqual([0, 0, 0]);
    expect(waits[3]).toBeGreaterThan(0);
    expect(waits[3]).toBeLessThanOrEqual(400);
    const keys = await client.keys('t1:*');
    for (const key of keys) {
      const left = await client.pttl(key);
      expect(left).toBeGreaterThan(0);
      expect(left).toBeLessThanOrEqual(400);
    }
  });

  it('takes atomically: 50 concurrent takes against a limit of 10 let exactly 10 through', async () => {
    const store = createRedisThrottleStore({ client, prefix: `t2:${Date.now()}:` });
    const results = await Promise.all(Array.from({ length: 50 }, () => store.take('chat', [{ limit: 10, windowMs: 60_000 }])));
    expect(results.filter((wait) => wait === 0)).toHaveLength(10);
  });

  it('pauses a key for a 429’s Retry-After', async () => {
    const store = createRedisThrottleStore({ client, prefix: `t3:${Date.now()}:` });
    await store.pause('chat', 300);
    const wait = await store.take('chat', [{ limit: 100, windowMs: 1000 }]);
    expect(wait).toBeGreaterThan(200);
    expect(wait).toBeLessThanOrEqual(300);
  });

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
    await client.flushdb();
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
