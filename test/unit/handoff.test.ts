/**
 * The hand-off and lease contracts without Redis: what a webhook handler answers for each outcome of a queue,
 * what it hands over (key, chat, source, rememberMs), and how the pollers use a lease (no deletion or fetch
 * without it, nothing deleted that was not queued, a lost lease waited for again) and a queue (OK's fetched events
 * never given up while the queue is unreachable).
 */
import { describe, expect, it } from 'vitest';
import { HandoffFullError, LeaseLostError, type EventHandoff, type HandoffEntry, type HandoffOutcome, type PollLease } from '../../src/core/index.js';
import { createOkClient, createOkWebhookHandler } from '../../src/ok/index.js';
import { createPachcaClient, createPachcaWebhookHandler, pachcaEventKey, signPachcaWebhook, type PachcaWebhookEvent } from '../../src/pachca/index.js';
import { fakeClock, json, scriptedFetch } from './helpers.js';

const SECRET = 'whsec-unit-handoff-0123456789';
const message = (chat: number, id: number) =>
  ({ type: 'message', id, event: 'new', entity_type: 'discussion', entity_id: chat, chat_id: chat, content: 'x', user_id: 1, created_at: '2026-01-01T00:00:00.000Z', url: 'u' }) as unknown as PachcaWebhookEvent;

/** A queue in memory that answers what it is told to. */
function fakeHandoff(answers: (HandoffOutcome | Error)[] = []) {
  const entries: HandoffEntry[] = [];
  const seen = new Set<string>();
  const handoff: EventHandoff = {
    async enqueue(entry) {
      const planned = answers.shift();
      if (planned instanceof Error) throw planned;
      if (planned) return planned;
      if (seen.has(entry.key)) return 'duplicate';
      seen.add(entry.key);
      entries.push(entry);
      return 'queued';
    },
  };
  return { handoff, entries };
}

/** A lease that is held until `steal()`, counting renewals. */
function fakeLease() {
  let holder: string | undefined;
  let next = 0;
  const calls: string[] = [];
  const lease: PollLease = {
    async acquire(signal) {
      calls.push('acquire');
      for (;;) {
        signal?.throwIfAborted();
        if (holder === undefined) break;
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
      holder = `token-${++next}`;
      return holder;
    },
    async renew(token) {
      calls.push('renew');
      return token === holder ? 1000 : 0;
    },
    async release(token) {
      calls.push('release');
      if (token === holder) holder = undefined;
    },
  };
  return { lease, calls, steal: () => (holder = 'another-replica'), free: () => (holder = undefined) };
}

describe('a webhook handler with a hand-off', () => {
  it('queues the verified event with its key, chat, source and rememberMs, and answers 200 at once', async () => {
    const { handoff, entries } = fakeHandoff();
    const handler = createPachcaWebhookHandler({ signingSecret: SECRET, handoff, rememberMs: 90_000 });
    const { body, headers } = await signPachcaWebhook(message(42, 1), SECRET);
    const answer = await handler.fetch(new Request('http://x/', { method: 'POST', body, headers }));
    expect(answer.status).toBe(200);
    expect(await answer.json()).toEqual({ ok: true, queued: true });
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ orderKey: 'pachca:chat:42', source: 'pachca', rememberMs: 90_000, key: await pachcaEventKey(message(42, 1)) });
    expect(entries[0]!.event).toMatchObject({ id: 1, chat_id: 42 });
  });

  it('answers a duplicate 200, a full queue 503 with Retry-After, and an unreachable queue 500', async () => {
    const errors: unknown[] = [];
    const { handoff } = fakeHandoff(['duplicate', 'full', new Error('connection refused')]);
    const handler = createPachcaWebhookHandler({ signingSecret: SECRET, handoff, onError: (error) => errors.push(error) });
    const answers = [];
    for (let i = 0; i < 3; i++) {
      const { body, headers } = await signPachcaWebhook(message(1, i), SECRET);
      answers.push(await handler.fetch(new Request('http://x/', { method: 'POST', body, headers })));
    }
    expect(answers.map((answer) => answer.status)).toEqual([200, 503, 500]);
    expect(await answers[0]!.json()).toEqual({ ok: true, duplicate: true });
    expect(answers[1]!.headers.get('retry-after')).toBe('5');
    expect(errors.map((error) => (error as Error).name)).toEqual(['HandoffFullError', 'Error']);
  });

  it('keys OK events by their chat, and refuses a handler with neither code nor a queue', async () => {
    const { handoff, entries } = fakeHandoff();
    const handler = createOkWebhookHandler({ handoff });
    const body = JSON.stringify({ webhookType: 'MESSAGE_CREATED', recipient: { chat_id: 'chat:C7' }, message: { mid: 'mid:1', seq: 1 }, timestamp: 1 });
    expect((await handler.fetch(new Request('http://x/', { method: 'POST', body }))).status).toBe(200);
    expect(entries[0]).toMatchObject({ key: 'ok:MESSAGE_CREATED:mid:1', orderKey: 'ok:chat:C7', source: 'ok' });
    expect(() => createOkWebhookHandler({} as Parameters<typeof createOkWebhookHandler>[0])).toThrow(TypeError);
  });
});

describe('Pachca polling with a lease and a hand-off', () => {
  const stored = (id: string, messageId: number) => ({ id, event_type: 'message', created_at: '2026-11-23T09:15:00.000Z', payload: { ...message(3, messageId), webhook_timestamp: 1 } });
  const page = (items: unknown[]) => json(200, { data: items, meta: { paginate: { next_page: 'c', prev_page: 'p', has_next: false, has_prev: false } } });

  it('queues each event before deleting it, checks the lease before each deletion, and gives the lease up at the end', async () => {
    const controller = new AbortController();
    const events = new Map([
      ['e1', stored('e1', 1)],
      ['e2', stored('e2', 2)],
    ]);
    const { handoff, entries } = fakeHandoff();
    const { lease, calls } = fakeLease();
    const order: string[] = [];
    const fetch = scriptedFetch(async (url, init) => {
      if (init.method === 'DELETE') {
        const id = new URL(url).pathname.split('/').pop() ?? '';
        order.push(`delete ${id} after ${entries.length} queued`);
        events.delete(id);
        return new Response(null, { status: 204 });
      }
      if (events.size === 0) controller.abort();
      return page([...events.values()]);
    });
    const pachca = createPachcaClient({ token: 'tok-0123456789', fetch });
    await pachca.pollWebhookEvents({ handoff, lease, signal: controller.signal, clock: fakeClock() });
    expect(order).toEqual(['delete e1 after 1 queued', 'delete e2 after 2 queued']);
    expect(calls[0]).toBe('acquire');
    // One renewal on taking the lease, one before the fetch and one before each deletion, then the release.
    expect(calls.filter((call) => call === 'renew').length).toBeGreaterThanOrEqual(4);
    expect(calls.at(-1)).toBe('release');
  });

  it('deletes nothing after the lease passed to another replica, reports LeaseLostError and waits for the lease', async () => {
    const controller = new AbortController();
    const { handoff, entries } = fakeHandoff();
    const { lease, calls, steal, free } = fakeLease();
    const deletes: string[] = [];
    const errors: unknown[] = [];
    const fetch = scriptedFetch(async (url, init) => {
      if (init.method === 'DELETE') {
        deletes.push(url);
        return new Response(null, { status: 204 });
      }
      steal();
      return page([stored('e1', 1)]);
    });
    const pachca = createPachcaClient({ token: 'tok-0123456789', fetch });
    const polling = pachca.pollWebhookEvents({ handoff, lease, signal: controller.signal, clock: fakeClock(), onError: (error) => errors.push(error) });
    while (!errors.some((error) => error instanceof LeaseLostError)) await new Promise((resolve) => setTimeout(resolve, 5));
    // It went back to waiting for the lease.
    while (calls.filter((call) => call === 'acquire').length < 2) await new Promise((resolve) => setTimeout(resolve, 5));
    controller.abort();
    free();
    await polling;
    expect(deletes).toEqual([]);
    expect(entries).toHaveLength(1);
  });

  it('leaves an event stored at Pachca when the queue is full', async () => {
    const controller = new AbortController();
    const { handoff } = fakeHandoff(['full']);
    const errors: unknown[] = [];
    const deletes: string[] = [];
    let lists = 0;
    const fetch = scriptedFetch(async (url, init) => {
      if (init.method === 'DELETE') {
        deletes.push(new URL(url).pathname.split('/').pop() ?? '');
        return new Response(null, { status: 204 });
      }
      if (++lists === 2) controller.abort();
      return page([stored('e1', 1)]);
    });
    const pachca = createPachcaClient({ token: 'tok-0123456789', fetch });
    await pachca.pollWebhookEvents({ handoff, signal: controller.signal, clock: fakeClock(), onError: (error) => errors.push(error) });
    expect(errors[0]).toBeInstanceOf(HandoffFullError);
    // Deleted only on the second round, once it was queued.
    expect(deletes).toEqual(['e1']);
  });

  it('refuses both targets at once, and rememberMs without a hand-off', async () => {
    const pachca = createPachcaClient({ token: 'tok-0123456789', fetch: scriptedFetch(json(200, {})) });
    const { handoff } = fakeHandoff();
    await expect(pachca.pollWebhookEvents({ handoff, on: {} } as unknown as Parameters<typeof pachca.pollWebhookEvents>[0])).rejects.toThrow(TypeError);
    await expect(pachca.pollWebhookEvents({ on: {}, rememberMs: 1000 })).rejects.toThrow(TypeError);
  });
});

describe('OK long polling with a hand-off', () => {
  it('keeps a fetched event until the queue takes it, since OK keeps no copy', async () => {
    const controller = new AbortController();
    const { handoff, entries } = fakeHandoff([new Error('redis down'), 'full']);
    const errors: unknown[] = [];
    let fetches = 0;
    const fetch = scriptedFetch(async (url) => {
      if (new URL(url).pathname.endsWith('/subscribe')) return json(200, { success: true });
      if (++fetches > 1) {
        controller.abort();
        return json(200, []);
      }
      return json(200, [{ webhookType: 'MESSAGE_CREATED', recipient: { chat_id: 'chat:C1' }, message: { mid: 'mid:a', seq: 1 }, timestamp: 1 }]);
    });
    const ok = createOkClient({ accessToken: 'tkn-long-polling-1', fetch });
    await ok.pollUpdates({ handoff, signal: controller.signal, clock: fakeClock(), onError: (error) => errors.push(error) });
    expect(entries.map((entry) => entry.key)).toEqual(['ok:MESSAGE_CREATED:mid:a']);
    expect(errors.map((error) => (error as Error).name)).toEqual(['Error', 'HandoffFullError']);
  });

  it('fetches only while holding the lease', async () => {
    const controller = new AbortController();
    const { handoff } = fakeHandoff();
    const { lease, steal, free } = fakeLease();
    const errors: unknown[] = [];
    let fetches = 0;
    const fetch = scriptedFetch(async (url) => {
      if (new URL(url).pathname.endsWith('/subscribe')) return json(200, { success: true });
      fetches++;
      steal();
      return json(200, []);
    });
    const ok = createOkClient({ accessToken: 'tkn-long-polling-1', fetch });
    const polling = ok.pollUpdates({ handoff, lease, signal: controller.signal, clock: fakeClock(), onError: (error) => errors.push(error) });
    while (!errors.some((error) => error instanceof LeaseLostError)) await new Promise((resolve) => setTimeout(resolve, 5));
    await new Promise((resolve) => setTimeout(resolve, 30));
    controller.abort();
    free();
    await polling;
    expect(fetches).toBe(1);
  });
});
