/**
 * The Redis delivery store against a single server and a three-node cluster: claims are atomic across replicas
 * and expire, a released claim can be taken again, and an unreachable Redis fails closed or falls back to memory;
 * two webhook handlers (two replicas) sharing the store run an event delivered to both once.
 */
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DeliveryStoreError } from '../../src/core/index.js';
import { createRedisDeliveryStore } from '../../src/node/index.js';
import { createPachcaWebhookHandler } from '../../src/pachca/index.js';
import { freePort } from '../../src/testing/index.js';
import { pachcaMessage, SECRET, signedRequest } from './events.js';
import { targets, type RedisClient } from './targets.js';

describe.each(targets)('the Redis delivery store on a $name', (target) => {
  let first: RedisClient;
  let second: RedisClient;
  beforeAll(() => {
    first = target.connect();
    second = target.connect();
  });
  afterAll(() => {
    first.disconnect();
    second.disconnect();
  });

  it('lets exactly one of 40 concurrent claims from two replicas through', async () => {
    const prefix = `d1:${Date.now()}:`;
    const stores = [createRedisDeliveryStore({ client: first, prefix }), createRedisDeliveryStore({ client: second, prefix })];
    const results = await Promise.all(Array.from({ length: 40 }, (_, i) => stores[i % 2]!.claim('pachca:event-1', 60_000)));
    expect(results.filter(Boolean)).toHaveLength(1);
  });

  it('forgets a claim after its time, and at once when released', async () => {
    const store = createRedisDeliveryStore({ client: first, prefix: `d2:${Date.now()}:` });
    expect(await store.claim('a', 150)).toBe(true);
    expect(await store.claim('a', 150)).toBe(false);
    await new Promise((resolve) => setTimeout(resolve, 250));
    expect(await store.claim('a', 150)).toBe(true);
    expect(await store.claim('b', 60_000)).toBe(true);
    await store.release('b');
    expect(await store.claim('b', 60_000)).toBe(true);
  });

  it('refuses a claim time that is not a positive whole number of milliseconds', async () => {
    const store = createRedisDeliveryStore({ client: first });
    await expect(store.claim('c', 0)).rejects.toBeInstanceOf(RangeError);
    await expect(store.claim('c', 1.5)).rejects.toBeInstanceOf(RangeError);
  });

  it('lets two replicas behind one URL run an event delivered to both once', async () => {
    const prefix = `d3:${Date.now()}:`;
    const runs: number[] = [];
    const replicas = [first, second].map((client, replica) =>
      createPachcaWebhookHandler({ signingSecret: SECRET, store: createRedisDeliveryStore({ client, prefix }), on: { message: () => void runs.push(replica) } }),
    );
    const event = pachcaMessage(1, 1);
    const answers = await Promise.all(replicas.map(async (handler) => handler.fetch(await signedRequest(event))));
    expect(answers.map((answer) => answer.status)).toEqual([200, 200]);
    const bodies = await Promise.all(answers.map((answer) => answer.json() as Promise<{ duplicate?: boolean }>));
    expect(bodies.filter((body) => body.duplicate === true)).toHaveLength(1);
    expect(runs).toHaveLength(1);
  });
});

describe('an unreachable Redis', () => {
  it('fails closed: the claim throws DeliveryStoreError and the handler answers 500 without running the event', async () => {
    const down = new Redis({ port: await freePort(), host: '127.0.0.1', maxRetriesPerRequest: 0, enableOfflineQueue: false, lazyConnect: true, retryStrategy: () => null });
    down.on('error', () => undefined);
    const store = createRedisDeliveryStore({ client: down });
    await expect(store.claim('k', 1000)).rejects.toBeInstanceOf(DeliveryStoreError);
    const errors: unknown[] = [];
    let runs = 0;
    const handler = createPachcaWebhookHandler({ signingSecret: SECRET, store, on: { message: () => void runs++ }, onError: (error) => errors.push(error) });
    const answer = await handler.fetch(await signedRequest(pachcaMessage(2, 1)));
    expect(answer.status).toBe(500);
    expect(runs).toBe(0);
    expect(errors[0]).toBeInstanceOf(DeliveryStoreError);
    down.disconnect();
  });

  it('falls back to this process’s memory when told to, still dropping a duplicate', async () => {
    const down = new Redis({ port: await freePort(), host: '127.0.0.1', maxRetriesPerRequest: 0, enableOfflineQueue: false, lazyConnect: true, retryStrategy: () => null });
    down.on('error', () => undefined);
    const store = createRedisDeliveryStore({ client: down, onUnavailable: 'local' });
    expect(await store.claim('k', 1000)).toBe(true);
    expect(await store.claim('k', 1000)).toBe(false);
    await store.release('k');
    expect(await store.claim('k', 1000)).toBe(true);
    down.disconnect();
  });
});
