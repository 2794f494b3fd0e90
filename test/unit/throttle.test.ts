/**
 * The outgoing throttle with a fake clock: sliding windows, order per key, parallel keys, a queued call leaving
 * on its timeout or signal, a 429 pausing its key, the store failing closed or falling back, and Pachca's budgets
 * applied per chat.
 */
import { describe, expect, it } from 'vitest';
import { AbortError, ThrottleStoreError, TimeoutError } from '../../src/core/index.js';
import { createMemoryThrottleStore, waitFor } from '../../src/core/limits/throttle-store.js';
import { createThrottle } from '../../src/core/limits/throttle.js';
import { createOkClient, sendText } from '../../src/ok/index.js';
import { createPachcaClient, PACHCA_BUDGETS } from '../../src/pachca/index.js';
import { fakeClock, json, scriptedFetch } from './helpers.js';

describe('sliding windows', () => {
  it('lets `limit` requests through in any window, then says how long until the oldest leaves it', () => {
    const windows = [{ limit: 3, windowMs: 1000 }];
    expect(waitFor([0, 100, 200], windows, 300)).toBe(700);
    expect(waitFor([0, 100], windows, 300)).toBe(0);
    expect(waitFor([0, 100, 200], windows, 1001)).toBe(0);
  });

  it('holds every window at once: the longest wait wins', () => {
    const windows = [{ limit: 2, windowMs: 100 }, { limit: 3, windowMs: 1000 }];
    expect(waitFor([0, 150, 160], windows, 170)).toBe(830);
  });

  it('takes a slot only when every window has room', () => {
    let now = 0;
    const store = createMemoryThrottleStore({ now: () => now });
    const windows = [{ limit: 2, windowMs: 1000 }];
    expect(store.take('k', windows)).toBe(0);
    expect(store.take('k', windows)).toBe(0);
    expect(store.take('k', windows)).toBe(1000);
    now = 1000;
    expect(store.take('k', windows)).toBe(0);
    expect(store.take('other', windows)).toBe(0);
  });
});

describe('the throttle', () => {
  const budgets = { writes: [{ limit: 2, windowMs: 1000 }] };

  it('keeps order per key and lets other keys go in parallel', async () => {
    const clock = fakeClock(0);
    const throttle = createThrottle(budgets, {}, clock);
    const order: string[] = [];
    await Promise.all(
      ['a1', 'a2', 'a3', 'b1', 'a4', 'b2'].map((name) =>
        throttle.acquire({ budget: 'writes', key: name[0] as string }, undefined).then(() => order.push(`${name}@${clock.now()}`)),
      ),
    );
    expect(order.filter((entry) => entry.startsWith('a'))).toEqual(['a1@0', 'a2@0', 'a3@1000', 'a4@1000']);
    expect(order.filter((entry) => entry.startsWith('b'))).toEqual(['b1@0', 'b2@0']);
  });

  it('lets a queued call leave when its signal fires, and the queue goes on', async () => {
    let now = 0;
    const sleepers: (() => void)[] = [];
    const clock = {
      now: () => now,
      sleep: (ms: number, signal?: AbortSignal) =>
        new Promise<void>((resolve, reject) => {
          signal?.addEventListener('abort', () => reject(signal.reason));
          sleepers.push(() => {
            now += ms;
            resolve();
          });
        }),
    };
    const throttle = createThrottle(budgets, {}, clock);
    await throttle.acquire({ budget: 'writes', key: 'k' }, undefined);
    await throttle.acquire({ budget: 'writes', key: 'k' }, undefined);
    const controller = new AbortController();
    const leaving = throttle.acquire({ budget: 'writes', key: 'k' }, controller.signal);
    const staying = throttle.acquire({ budget: 'writes', key: 'k' }, undefined);
    controller.abort(new Error('gave up'));
    await expect(leaving).rejects.toThrow('gave up');
    await new Promise((resolve) => setTimeout(resolve, 0));
    sleepers.shift()?.();
    await expect(staying).resolves.toBeUndefined();
  });

  it('fails closed with a ThrottleStoreError when the store is down, or falls back to memory when told to', async () => {
    const broken = { take: () => Promise.reject(new Error('ECONNREFUSED')), pause: () => Promise.reject(new Error('ECONNREFUSED')) };
    const closed = createThrottle(budgets, { store: broken }, fakeClock(0));
    await expect(closed.acquire({ budget: 'writes', key: 'k' }, undefined)).rejects.toBeInstanceOf(ThrottleStoreError);
    const local = createThrottle(budgets, { store: broken, onUnavailable: 'local' }, fakeClock(0));
    await expect(local.acquire({ budget: 'writes', key: 'k' }, undefined)).resolves.toBeUndefined();
  });

  it('holds nothing back for a budget turned off with []', async () => {
    const clock = fakeClock(0);
    const throttle = createThrottle(budgets, { budgets: { writes: [] } }, clock);
    for (let i = 0; i < 10; i++) await throttle.acquire({ budget: 'writes', key: 'k' }, undefined);
    expect(clock.waits).toEqual([]);
  });
});

describe('throttled clients', () => {
  it('keeps Pachca message writes per chat within the documented windows', async () => {
    const clock = fakeClock(0);
    const sent: { chat: number; at: number }[] = [];
    const fetch = scriptedFetch((_url, init) => {
      const body = JSON.parse(String(init.body)) as { message: { entity_id: number } };
      sent.push({ chat: body.message.entity_id, at: clock.now() });
      return json(201, { data: { id: 1 } });
    });
    const pachca = createPachcaClient({ token: 'tok-throttle-0123', fetch, throttle: true, retry: { clock } });
    await Promise.all(
      Array.from({ length: 40 }, (_, i) => pachca.createMessage({ body: { message: { entity_id: i < 35 ? 1 : 2, content: String(i) } } })),
    );
    const chatOne = sent.filter((entry) => entry.chat === 1).map((entry) => entry.at);
    const firstWindow = PACHCA_BUDGETS.messageWrites[0];
    for (const at of chatOne) expect(chatOne.filter((other) => other >= at && other < at + firstWindow.windowMs).length).toBeLessThanOrEqual(firstWindow.limit);
    expect(sent.filter((entry) => entry.chat === 2).every((entry) => entry.at === 0)).toBe(true);
    expect(Math.max(...chatOne)).toBeGreaterThanOrEqual(1000);
  });

  it('lets a 429 pause its chat for every queued send', async () => {
    const clock = fakeClock(0);
    const times: number[] = [];
    const fetch = scriptedFetch(json(429, {}, { 'retry-after': '3' }), () => {
      times.push(clock.now());
      return json(201, { data: { id: 1 } });
    });
    const pachca = createPachcaClient({ token: 'tok-throttle-0123', fetch, throttle: true, retry: { clock, maxRetries: 1 } });
    await pachca.createMessage({ body: { message: { entity_id: 7, content: 'x' } } });
    expect(times[0]).toBeGreaterThanOrEqual(3000);
  });

  it('ends a call queued past its timeout with a TimeoutError, and an aborted one with an AbortError', async () => {
    const ok = createOkClient({
      accessToken: 'tkn-throttle-0123',
      fetch: scriptedFetch(json(200, { success: true })),
      throttle: { budgets: { sends: [{ limit: 1, windowMs: 60_000 }] } },
    });
    await ok.send(sendText('chat:C1', 'first'));
    const started = Date.now();
    await expect(ok.send(sendText('chat:C1', 'second'), { timeoutMs: 50 })).rejects.toBeInstanceOf(TimeoutError);
    expect(Date.now() - started).toBeLessThan(5000);
    const controller = new AbortController();
    const pending = ok.send(sendText('chat:C1', 'third'), { signal: controller.signal, timeoutMs: 0 });
    controller.abort();
    await expect(pending).rejects.toBeInstanceOf(AbortError);
  });
});
