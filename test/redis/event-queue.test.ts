/**
 * The durable hand-off in one process, against a single server and a three-node cluster: the handler answers as
 * soon as the event is stored (both forms), a duplicate is dropped, a full partition answers 503, workers run each
 * event once and in its chat's order, a failing event is retried and moved to the dead-letter stream with its
 * error redacted, a stopping worker finishes the event in hand, and nothing is left pending.
 */
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EventDeadLetteredError, HandoffFullError } from '../../src/core/index.js';
import { createRedisDeliveryStore, createRedisEventQueue, type QueuedEventInfo, type RedisEventQueue } from '../../src/node/index.js';
import { createPachcaWebhookHandler, handlePachcaEvents, signPachcaWebhook, type PachcaMessageEvent } from '../../src/pachca/index.js';
import { pachcaMessage, SECRET, signedRequest } from './events.js';
import { removeKeys, targets, type RedisClient } from './targets.js';

/** Waits until `check` holds, polling; fails after `ms`. */
async function until(check: () => boolean | Promise<boolean>, ms = 15_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('the condition did not hold in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe.each(targets)('the event queue on a $name', (target) => {
  let client: RedisClient;
  let prefix: string;
  let queue: RedisEventQueue;
  beforeAll(() => {
    client = target.connect();
  });
  afterAll(() => client.disconnect());
  const fresh = (options: { maxLength?: number; partitions?: number } = {}) => {
    prefix = `q:${Math.random().toString(36).slice(2)}:`;
    queue = createRedisEventQueue({ client, prefix, partitions: options.partitions ?? 4, ...(options.maxLength ? { maxLength: options.maxLength } : {}) });
    return queue;
  };

  it('answers 200 once the event is stored, in the Fetch and the Node form, and drops a second delivery', async () => {
    fresh();
    const handler = createPachcaWebhookHandler({ signingSecret: SECRET, handoff: queue.handoff });
    const answer = await handler.fetch(await signedRequest(pachcaMessage(1, 1)));
    expect(answer.status).toBe(200);
    expect(await answer.json()).toEqual({ ok: true, queued: true });
    const server = createServer((req, res) => handler.node(req, res));
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
    try {
      const node = await signPachcaWebhook(pachcaMessage(1, 2), SECRET);
      const viaNode = await fetch(url, { method: 'POST', body: node.body, headers: node.headers });
      expect(viaNode.status).toBe(200);
      expect(await viaNode.json()).toEqual({ ok: true, queued: true });
      const again = await signPachcaWebhook(pachcaMessage(1, 2), SECRET);
      const duplicate = await fetch(url, { method: 'POST', body: again.body, headers: again.headers });
      expect(await duplicate.json()).toEqual({ ok: true, duplicate: true });
    } finally {
      server.close();
    }
    expect((await queue.stats()).length).toBe(2);

    const controller = new AbortController();
    const seen: string[] = [];
    const working = queue.work({
      handle: handlePachcaEvents({ message: (event) => void seen.push((event as PachcaMessageEvent).content) }),
      signal: controller.signal,
      leaseMs: 600,
    });
    await until(() => seen.length === 2);
    controller.abort();
    await working;
    expect(seen).toEqual(['1:1', '1:2']);
    expect(await queue.stats()).toEqual({ length: 0, pending: 0, deadLetters: 0 });
    await removeKeys(client, prefix);
  });

  it('refuses an event with 503 and Retry-After when its partition is full, and stores nothing for it', async () => {
    fresh({ maxLength: 2, partitions: 1 });
    const errors: unknown[] = [];
    const handler = createPachcaWebhookHandler({ signingSecret: SECRET, handoff: queue.handoff, onError: (error) => errors.push(error) });
    const statuses = [];
    for (let seq = 1; seq <= 3; seq++) statuses.push((await handler.fetch(await signedRequest(pachcaMessage(5, seq)))).status);
    expect(statuses).toEqual([200, 200, 503]);
    expect(errors[0]).toBeInstanceOf(HandoffFullError);
    const refused = await handler.fetch(await signedRequest(pachcaMessage(5, 3)));
    expect(refused.headers.get('retry-after')).toBe('5');
    // The refused event was not remembered: once there is room, its redelivery is queued.
    expect((await queue.stats()).length).toBe(2);
    await removeKeys(client, prefix);
  });

  it('refuses handoff together with store or ackAfterMs, which it would make meaningless', () => {
    fresh();
    expect(() => createPachcaWebhookHandler({ signingSecret: SECRET, handoff: queue.handoff, store: createRedisDeliveryStore({ client }) })).toThrow(TypeError);
    expect(() => createPachcaWebhookHandler({ signingSecret: SECRET, handoff: queue.handoff, ackAfterMs: 100 })).toThrow(TypeError);
    expect(() => createRedisEventQueue({ client, partitions: 0 })).toThrow(RangeError);
    // Code in the handler and a queue for workers at once: one of them would never run.
    const both = { signingSecret: SECRET, handoff: queue.handoff, on: { message: () => undefined } } as unknown as Parameters<typeof createPachcaWebhookHandler>[0];
    expect(() => createPachcaWebhookHandler(both)).toThrow(TypeError);
  });

  it('runs every event once, each chat in order and one at a time, across two workers', async () => {
    fresh({ partitions: 8 });
    const chats = 6;
    const perChat = 25;
    for (let seq = 1; seq <= perChat; seq++) {
      for (let chat = 1; chat <= chats; chat++) {
        await queue.handoff.enqueue({ key: `k:${chat}:${seq}`, orderKey: `chat:${chat}`, source: 'pachca', event: pachcaMessage(chat, seq), rememberMs: 60_000 });
      }
    }
    const order = new Map<number, number[]>();
    const running = new Set<number>();
    let overlap = false;
    const handle = async (event: unknown) => {
      const message = event as PachcaMessageEvent;
      if (running.has(message.chat_id)) overlap = true;
      running.add(message.chat_id);
      await new Promise((resolve) => setTimeout(resolve, 1));
      order.set(message.chat_id, [...(order.get(message.chat_id) ?? []), Number(message.content.split(':')[1])]);
      running.delete(message.chat_id);
    };
    const controller = new AbortController();
    const workers = [1, 2].map((n) => queue.work({ handle, signal: controller.signal, leaseMs: 600, name: `w${n}` }));
    await until(() => [...order.values()].reduce((sum, list) => sum + list.length, 0) >= chats * perChat);
    controller.abort();
    await Promise.all(workers);
    for (let chat = 1; chat <= chats; chat++) expect(order.get(chat)).toEqual(Array.from({ length: perChat }, (_, i) => i + 1));
    expect(overlap).toBe(false);
    expect(await queue.stats()).toEqual({ length: 0, pending: 0, deadLetters: 0 });
    await removeKeys(client, prefix);
  });

  it('retries a failing event with backoff, then moves it to the dead-letter stream with its error redacted', async () => {
    fresh();
    const secret = 'bot-token-abcdef0123456789';
    await queue.handoff.enqueue({ key: 'bad', orderKey: 'chat:1', source: 'pachca', event: pachcaMessage(1, 1), rememberMs: 60_000 });
    await queue.handoff.enqueue({ key: 'good', orderKey: 'chat:2', source: 'pachca', event: pachcaMessage(2, 1), rememberMs: 60_000 });
    const attempts: { attempt: number; at: number }[] = [];
    const done: string[] = [];
    const errors: unknown[] = [];
    const controller = new AbortController();
    const working = queue.work({
      handle: (event: unknown, info: QueuedEventInfo) => {
        if (info.key === 'good') return void done.push(info.key);
        attempts.push({ attempt: info.attempt, at: Date.now() });
        throw new Error(`POST https://api.example/send?access_token=${secret} failed with ${secret}`);
      },
      signal: controller.signal,
      maxAttempts: 3,
      retryDelayMs: 50,
      leaseMs: 600,
      secrets: [secret],
      onError: (error) => errors.push(error),
    });
    await until(async () => (await queue.stats()).deadLetters === 1);
    controller.abort();
    await working;
    expect(done).toEqual(['good']);
    expect(attempts.map((a) => a.attempt)).toEqual([1, 2, 3]);
    // Backoff: 50 ms before the second attempt, 100 ms before the third.
    expect(attempts[1]!.at - attempts[0]!.at).toBeGreaterThanOrEqual(45);
    expect(attempts[2]!.at - attempts[1]!.at).toBeGreaterThanOrEqual(95);
    const [letter] = await queue.deadLetters();
    expect(letter).toMatchObject({ key: 'bad', orderKey: 'chat:1', source: 'pachca', attempts: 3, event: pachcaMessage(1, 1) });
    expect(letter!.error).toContain('Error: POST https://api.example/send?access_token=[REDACTED] failed with [REDACTED]');
    expect(letter!.error).not.toContain(secret);
    const buried = errors.filter((error) => error instanceof EventDeadLetteredError);
    expect(buried).toHaveLength(1);
    expect(buried[0]).toMatchObject({ key: 'bad', attempts: 3 });
    expect(JSON.stringify(String((buried[0] as Error).cause))).not.toContain(secret);
    expect(await queue.stats()).toEqual({ length: 0, pending: 0, deadLetters: 1 });
    await removeKeys(client, prefix);
  });

  it('finishes the event in hand when the signal fires, acknowledges it, and gives its partitions up', async () => {
    fresh();
    await queue.handoff.enqueue({ key: 'slow', orderKey: 'chat:9', source: 'pachca', event: pachcaMessage(9, 1), rememberMs: 60_000 });
    const controller = new AbortController();
    let started = false;
    let finished = false;
    const working = queue.work({
      handle: async () => {
        started = true;
        await new Promise((resolve) => setTimeout(resolve, 300));
        finished = true;
      },
      signal: controller.signal,
      leaseMs: 600,
    });
    await until(() => started);
    controller.abort();
    await working;
    expect(finished).toBe(true);
    expect(await queue.stats()).toEqual({ length: 0, pending: 0, deadLetters: 0 });
    // Every lease was given up, so another worker starts at once.
    const leases = [];
    for (let partition = 0; partition < 4; partition++) leases.push(await client.exists(`${prefix}{${partition}}:lease`));
    expect(leases).toEqual([0, 0, 0, 0]);
    await removeKeys(client, prefix);
  });

  it('makes its group again when the stream was removed under it, and goes on handling', async () => {
    fresh({ partitions: 1 });
    const seen: number[] = [];
    const controller = new AbortController();
    const working = queue.work({ handle: (event) => void seen.push((event as { id: number }).id), signal: controller.signal, leaseMs: 600, idleMs: 50 });
    await queue.handoff.enqueue({ key: 'a', orderKey: 'chat:1', source: 'pachca', event: pachcaMessage(1, 1), rememberMs: 60_000 });
    await until(() => seen.length === 1);
    await client.del(`${prefix}{0}:stream`);
    await queue.handoff.enqueue({ key: 'b', orderKey: 'chat:1', source: 'pachca', event: pachcaMessage(1, 2), rememberMs: 60_000 });
    await until(() => seen.length === 2);
    controller.abort();
    await working;
    expect(seen).toEqual([100_001, 100_002]);
    await removeKeys(client, prefix);
  });
});
