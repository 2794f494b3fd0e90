/**
 * Receiving Pachca webhooks: every example event of the spec through both handler forms (the Fetch form with
 * real Request objects, the Node form behind a real node:http server), each arriving as its own variant; each
 * failed check refused with its own typed reason; duplicates dropped; a throwing handler answered with 500 so the
 * vendor delivers again; and the poller over stored events.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeBundles } from '../../scripts/lib/apis.js';
import { WebhookVerificationError } from '../../src/core/errors/errors.js';
import {
  createPachcaClient,
  createPachcaWebhookHandler,
  signPachcaWebhook,
  verifyPachcaWebhook,
  type PachcaEventHandlers,
  type PachcaWebhookEvent,
} from '../../src/pachca/index.js';
import { deliverExampleEvents } from '../../src/testing/index.js';
import { fakeClock, json, scriptedFetch } from './helpers.js';

const SECRET = 'whsec-pachca-0123456789abcdef';
/** Which handler each example of the spec must reach. */
const EXPECTED: Record<string, keyof PachcaEventHandlers> = {
  newMessage: 'message',
  editedMessage: 'message',
  deletedMessage: 'message',
  reaction: 'reaction',
  buttonClick: 'button',
  formSubmit: 'view',
  memberAdded: 'chatMember',
  companyMember: 'companyMember',
  linkShared: 'linkShared',
  videoCall: 'videoCall',
};

let work: string;
let specPath: string;

beforeAll(async () => {
  work = await mkdtemp(path.join(tmpdir(), 'pachca-webhooks-'));
  specPath = (await writeBundles(work)).pachca as string;
});
afterAll(() => rm(work, { recursive: true, force: true }));

/** Handlers that record which kind each event reached. */
function recorder() {
  const seen: [keyof PachcaEventHandlers, PachcaWebhookEvent][] = [];
  const on: PachcaEventHandlers = Object.fromEntries(
    (['message', 'reaction', 'button', 'view', 'chatMember', 'companyMember', 'linkShared', 'videoCall'] as const).map((kind) => [
      kind,
      (event: PachcaWebhookEvent) => void seen.push([kind, event]),
    ]),
  );
  return { seen, on };
}

/** A real node:http server around a handler's Node form. */
async function serve(handler: { node: (req: never, res: never) => void }): Promise<{ url: string; server: Server }> {
  const server = createServer((req, res) => handler.node(req as never, res as never));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhook`, server };
}

describe('every example event of the spec', () => {
  it('passes the Fetch form, signed, and arrives as its own variant', async () => {
    const { seen, on } = recorder();
    const handler = createPachcaWebhookHandler({ signingSecret: SECRET, on });
    const results = await deliverExampleEvents('pachca', handler, { signingSecret: SECRET, specPath });
    expect(results.map((result) => result.name).sort()).toEqual(Object.keys(EXPECTED).sort());
    for (const result of results) expect(result.status, result.name).toBe(200);
    expect(seen.map(([kind]) => kind)).toEqual(results.map((result) => EXPECTED[result.name]));
  });

  it('passes the Node form behind a real node:http server', async () => {
    const { seen, on } = recorder();
    const { url, server } = await serve(createPachcaWebhookHandler({ signingSecret: SECRET, on }));
    try {
      const results = await deliverExampleEvents('pachca', { fetch: (request) => fetch(request) }, { signingSecret: SECRET, specPath, url });
      for (const result of results) expect(result.status, result.name).toBe(200);
      expect(seen.map(([kind]) => kind)).toEqual(results.map((result) => EXPECTED[result.name]));
    } finally {
      server.close();
    }
  });
});

describe('refused deliveries, each with its own reason', () => {
  const event = { type: 'button', event: 'click', message_id: 1, trigger_id: 't', data: 'd', user_id: 2, chat_id: 3 };

  async function refusal(mutate: (signed: { body: string; headers: Record<string, string> }) => { body: string; headers: Record<string, string> }) {
    const signed = await signPachcaWebhook(event, SECRET);
    const { body, headers } = mutate({ body: signed.body, headers: { ...signed.headers } });
    const errors: unknown[] = [];
    const handler = createPachcaWebhookHandler({ signingSecret: SECRET, on: { any: () => expect.unreachable() }, onError: (error) => errors.push(error) });
    const response = await handler.fetch(new Request('http://localhost/webhook', { method: 'POST', headers, body }));
    const error = errors[0] as WebhookVerificationError;
    expect(error).toBeInstanceOf(WebhookVerificationError);
    expect(error.message).not.toContain(SECRET);
    return { status: response.status, reason: error.reason, answer: (await response.json()) as { error: string } };
  }

  it('a changed body byte', async () => {
    const result = await refusal(({ body, headers }) => ({ body: body.replace('"d"', '"e"'), headers }));
    expect(result).toMatchObject({ status: 401, reason: 'bad-signature' });
  });

  it('a wrong secret', async () => {
    const other = await signPachcaWebhook(event, 'another-secret-9876543210');
    const result = await refusal(({ body, headers }) => ({ body, headers: { ...headers, 'pachca-signature': other.headers['pachca-signature'] as string } }));
    expect(result).toMatchObject({ status: 401, reason: 'bad-signature' });
  });

  it('a missing header', async () => {
    const result = await refusal(({ body, headers }) => {
      const { 'pachca-signature': _dropped, ...rest } = headers;
      return { body, headers: rest };
    });
    expect(result).toMatchObject({ status: 401, reason: 'missing-signature' });
  });

  it('a timestamp outside the replay window', async () => {
    const stale = await signPachcaWebhook(event, SECRET, { timestamp: Math.floor(Date.now() / 1000) - 120 });
    const result = await refusal(() => ({ body: stale.body, headers: { ...stale.headers } }));
    expect(result).toMatchObject({ status: 401, reason: 'stale-timestamp' });
  });

  it('a body that was parsed and re-serialised', async () => {
    const signed = await signPachcaWebhook(`{ "type": "button", "event": "click", "webhook_timestamp": ${Math.floor(Date.now() / 1000)} }`, SECRET);
    const errors: unknown[] = [];
    const handler = createPachcaWebhookHandler({ signingSecret: SECRET, on: {}, onError: (error) => errors.push(error) });
    // Express with express.json() in front: req.body is an object, the bytes are gone.
    const server = createServer((req, res) => {
      (req as typeof req & { body: unknown }).body = { type: 'button' };
      handler.node(req, res);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const response = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`, { method: 'POST', headers: signed.headers, body: signed.body });
      expect(response.status).toBe(400);
      expect((errors[0] as WebhookVerificationError).reason).toBe('raw-body-unavailable');
      expect((errors[0] as Error).message).toContain('re-serialising');
    } finally {
      server.close();
    }
    // The Fetch form cannot get the bytes of a request someone already read either.
    const request = new Request('http://localhost/', { method: 'POST', headers: signed.headers, body: signed.body });
    await request.json();
    expect((await handler.fetch(request)).status).toBe(400);
  });

  it('verifyPachcaWebhook can be used on its own, with the window configured', async () => {
    const signed = await signPachcaWebhook(event, SECRET, { timestamp: 1_000 });
    await expect(verifyPachcaWebhook(signed.body, signed.headers['pachca-signature'], { signingSecret: SECRET, now: () => 1_000_000 + 30_000 })).resolves.toMatchObject({ type: 'button' });
    await expect(verifyPachcaWebhook(signed.body, signed.headers['pachca-signature'], { signingSecret: SECRET, now: () => 1_000_000 + 30_000, replayWindowMs: 10_000 })).rejects.toMatchObject({ reason: 'stale-timestamp' });
  });
});

describe('at-least-once delivery', () => {
  it('drops a duplicate delivery', async () => {
    let runs = 0;
    const handler = createPachcaWebhookHandler({ signingSecret: SECRET, on: { any: () => void runs++ } });
    const signed = await signPachcaWebhook({ type: 'reaction', event: 'new', chat_id: 1, message_id: 2, code: '👍', name: '+1', user_id: 3, created_at: '2026-11-23T09:20:00.000Z' }, SECRET);
    const send = () => handler.fetch(new Request('http://localhost/', { method: 'POST', headers: signed.headers, body: signed.body }));
    expect((await send()).status).toBe(200);
    const second = await send();
    expect(second.status).toBe(200);
    expect(await second.json()).toMatchObject({ duplicate: true });
    expect(runs).toBe(1);
  });

  it('answers 500 when the handler throws, and runs the redelivery', async () => {
    let runs = 0;
    const errors: unknown[] = [];
    const handler = createPachcaWebhookHandler({
      signingSecret: SECRET,
      on: {
        message: () => {
          runs++;
          if (runs === 1) throw new Error('database down');
        },
      },
      onError: (error) => errors.push(error),
    });
    const signed = await signPachcaWebhook({ type: 'message', id: 9, event: 'new', entity_type: 'discussion', entity_id: 1, content: 'x', user_id: 1, created_at: '2026-11-23T09:20:00.000Z', url: 'u', chat_id: 1 }, SECRET);
    const send = () => handler.fetch(new Request('http://localhost/', { method: 'POST', headers: signed.headers, body: signed.body }));
    expect((await send()).status).toBe(500);
    expect((await send()).status).toBe(200);
    expect(runs).toBe(2);
    expect((errors[0] as Error).message).toBe('database down');
  });

  it('answers 200 at once when the handler outlasts ackAfterMs, and lets it finish', async () => {
    let finished = false;
    let release: () => void = () => undefined;
    const handler = createPachcaWebhookHandler({
      signingSecret: SECRET,
      ackAfterMs: 20,
      on: { button: () => new Promise<void>((resolve) => (release = () => { finished = true; resolve(); })) },
    });
    const signed = await signPachcaWebhook({ type: 'button', event: 'click', message_id: 1, trigger_id: 't2', data: 'd', user_id: 2, chat_id: 3 }, SECRET);
    const response = await handler.fetch(new Request('http://localhost/', { method: 'POST', headers: signed.headers, body: signed.body }));
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ pending: true });
    expect(finished).toBe(false);
    release();
    expect(finished).toBe(true);
  });
});

describe('polling stored events', () => {
  const stored = (id: string, messageId: number) => ({
    id,
    event_type: 'message',
    created_at: '2026-11-23T09:15:00.000Z',
    payload: { type: 'message', id: messageId, event: 'new', entity_type: 'discussion', entity_id: 1, content: 'x', user_id: 1, created_at: '2026-11-23T09:15:00.000Z', url: 'u', chat_id: 1, webhook_timestamp: 1 },
  });
  const page = (items: unknown[], hasNext = false) => json(200, { data: items, meta: { paginate: { next_page: 'c', prev_page: 'p', has_next: hasNext, has_prev: false } } });

  it('handles each event once and deletes it after, across a failed list, a 429, a failed handler and a failed delete', async () => {
    const controller = new AbortController();
    // A stateful fake of the two endpoints: stored events, and faults planned per kind of call.
    const events = new Map([
      ['e1', stored('e1', 1)],
      ['e2', stored('e2', 2)],
    ]);
    const listFaults: (() => Response)[] = [() => json(503, {}), () => json(429, {}, { 'retry-after': '0' })];
    const deleteFaults = new Map<string, () => Response>([['e2', () => json(500, {})]]);
    let lists = 0;
    const fetch = scriptedFetch(async (url, init) => {
      if ((init.method ?? 'GET') === 'DELETE') {
        const id = decodeURIComponent(new URL(url).pathname.split('/').pop() ?? '');
        const fault = deleteFaults.get(id);
        if (fault) {
          deleteFaults.delete(id);
          return fault();
        }
        events.delete(id);
        return new Response(null, { status: 204 });
      }
      lists++;
      if (lists === 2) events.set('e3', stored('e3', 3)); // a new event arrives while the bot runs
      const fault = lists > 1 ? listFaults.shift() : undefined;
      if (fault) return fault();
      if (events.size === 0 && lists > 6) controller.abort();
      return page([...events.values()].slice(0, 2), events.size > 2);
    });
    const handledIds: number[] = [];
    const errors: unknown[] = [];
    let failHandlerOnce = true;
    const client = createPachcaClient({ token: 'tok-0123456789', fetch, retry: { clock: fakeClock(), maxRetries: 0 } });
    await client.pollWebhookEvents({
      signal: controller.signal,
      clock: fakeClock(),
      on: {
        message: (event) => {
          if (event.id === 3 && failHandlerOnce) {
            failHandlerOnce = false;
            throw new Error('handler failed');
          }
          handledIds.push(event.id);
        },
      },
      onError: (error) => errors.push(error),
    });
    // Every event handled exactly once, every one deleted, and each fault seen and survived.
    expect(handledIds.sort()).toEqual([1, 2, 3]);
    expect(events.size).toBe(0);
    expect(errors.map((error) => (error as Error).name).sort()).toEqual(['Error', 'RateLimitError', 'ServerError', 'ServerError']);
  });
});
