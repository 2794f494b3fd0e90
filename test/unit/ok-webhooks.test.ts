/**
 * Receiving OK events: every example of the spec through both handler forms, each as its own variant, int64
 * values exact; the source-network check (off by default, through trusted proxies); duplicates dropped; a
 * throwing handler answered with 500; and the long-polling loop.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleApi, listApis, writeBundles } from '../../scripts/lib/apis.js';
import { clientAddress, inNetworks, parseNetwork } from '../../src/core/webhooks/networks.js';
import { createOkClient, createOkWebhookHandler, type OkEventHandlers, type OkWebhookEvent } from '../../src/ok/index.js';
import { OK_EVENT_TYPES } from '../../src/ok/event-types.js';
import { deliverExampleEvents } from '../../src/testing/index.js';
import { fakeClock, json, scriptedFetch } from './helpers.js';

const EXPECTED: Record<string, keyof OkEventHandlers> = {
  messageCreated: 'message',
  messageCreatedTyped: 'message',
  messageCallback: 'callback',
  chatSystem: 'chatSystem',
};

let work: string;
let specPath: string;
beforeAll(async () => {
  work = await mkdtemp(path.join(tmpdir(), 'ok-webhooks-'));
  specPath = (await writeBundles(work)).ok as string;
});
afterAll(() => rm(work, { recursive: true, force: true }));

function recorder() {
  const seen: [keyof OkEventHandlers, OkWebhookEvent][] = [];
  const on: OkEventHandlers = {
    message: (event) => void seen.push(['message', event]),
    callback: (event) => void seen.push(['callback', event]),
    chatSystem: (event) => void seen.push(['chatSystem', event]),
  };
  return { seen, on };
}

describe('every example event of the spec', () => {
  it('passes the Fetch form as its own variant, with seq and timestamp exact', async () => {
    const { seen, on } = recorder();
    const results = await deliverExampleEvents('ok', createOkWebhookHandler({ on }), { specPath });
    expect(results.map((result) => result.name).sort()).toEqual(Object.keys(EXPECTED).sort());
    for (const result of results) expect(result.status, result.name).toBe(200);
    expect(seen.map(([kind]) => kind)).toEqual(results.map((result) => EXPECTED[result.name]));
    const first = seen[0]?.[1] as { webhookType: string; message: { seq: string }; timestamp: string };
    expect(first).toMatchObject({ webhookType: 'MESSAGE_CREATED', message: { seq: '98211023614189660' }, timestamp: '1498581292941' });
  });

  it('passes the Node form behind a real node:http server', async () => {
    const { seen, on } = recorder();
    const handler = createOkWebhookHandler({ on });
    const server = createServer((req, res) => handler.node(req, res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/ok`;
      const results = await deliverExampleEvents('ok', { fetch: (request) => fetch(request) }, { specPath, url });
      for (const result of results) expect(result.status, result.name).toBe(200);
      expect(seen.map(([kind]) => kind)).toEqual(results.map((result) => EXPECTED[result.name]));
    } finally {
      server.close();
    }
  });
});

describe('the source check', () => {
  const body = JSON.stringify({ webhookType: 'MESSAGE_CALLBACK', callbackId: 'cb-1', payload: 'x' });

  it('is off by default, and refuses a peer outside OK’s networks when on', async () => {
    const errors: unknown[] = [];
    const open = createOkWebhookHandler({ on: {}, peerAddress: () => '10.1.2.3' });
    expect((await open.fetch(new Request('http://x/', { method: 'POST', body }))).status).toBe(200);
    const strict = createOkWebhookHandler({ on: {}, sourceNetworks: true, peerAddress: () => '10.1.2.3', onError: (error) => errors.push(error) });
    expect((await strict.fetch(new Request('http://x/', { method: 'POST', body }))).status).toBe(403);
    expect(errors[0]).toMatchObject({ reason: 'untrusted-source' });
    const fromOk = createOkWebhookHandler({ on: {}, sourceNetworks: true, peerAddress: () => '217.20.151.170' });
    expect((await fromOk.fetch(new Request('http://x/', { method: 'POST', body }))).status).toBe(200);
  });

  it('reads X-Forwarded-For only behind trusted proxies', async () => {
    const behindProxy = createOkWebhookHandler({ on: {}, sourceNetworks: true, trustedProxies: ['10.0.0.0/8'], peerAddress: () => '10.0.0.5' });
    const headers = { 'x-forwarded-for': '217.20.145.193' };
    expect((await behindProxy.fetch(new Request('http://x/', { method: 'POST', body, headers }))).status).toBe(200);
    const untrusted = createOkWebhookHandler({ on: {}, sourceNetworks: true, peerAddress: () => '10.0.0.5' });
    expect((await untrusted.fetch(new Request('http://x/', { method: 'POST', body: body.replace('cb-1', 'cb-2'), headers }))).status).toBe(403);
  });

  it('matches IPv4, IPv4-mapped IPv6 and IPv6 networks', () => {
    const networks = ['217.20.145.192/28', '2001:db8::/32'].map(parseNetwork);
    expect(inNetworks('217.20.145.207', networks)).toBe(true);
    expect(inNetworks('217.20.145.208', networks)).toBe(false);
    expect(inNetworks('::ffff:217.20.145.200', networks)).toBe(true);
    expect(inNetworks('2001:db8:1::5', networks)).toBe(true);
    expect(inNetworks('not an address', networks)).toBe(false);
    expect(clientAddress('10.0.0.1', '1.2.3.4, 10.0.0.2', [parseNetwork('10.0.0.0/8')])).toBe('1.2.3.4');
    expect(() => parseNetwork('300.1.1.1/8')).toThrow(TypeError);
  });
});

describe('at-least-once delivery', () => {
  it('drops a duplicate, and answers 500 to a throwing handler so that OK delivers again', async () => {
    let runs = 0;
    const handler = createOkWebhookHandler({
      on: {
        callback: () => {
          runs++;
          if (runs === 1) throw new Error('busy');
        },
      },
    });
    const send = () => handler.fetch(new Request('http://x/', { method: 'POST', body: JSON.stringify({ webhookType: 'MESSAGE_CALLBACK', callbackId: 'cb-9' }) }));
    expect((await send()).status).toBe(500);
    expect((await send()).status).toBe(200);
    expect(await (await send()).json()).toMatchObject({ duplicate: true });
    expect(runs).toBe(2);
  });

  it('refuses a body that is not an event', async () => {
    const handler = createOkWebhookHandler({ on: {} });
    for (const body of ['nope', '[]', '{"webhookType":"DANCE"}', '{"webhookType":"MESSAGE_CALLBACK"}']) {
      expect((await handler.fetch(new Request('http://x/', { method: 'POST', body }))).status, body).toBe(400);
    }
  });
});

describe('event types', () => {
  it('are the types a subscription keeps, which are every webhookType a delivery of the spec names', async () => {
    const api = (await listApis()).find((entry) => entry.name === 'ok');
    if (!api) throw new Error('no ok in redocly.yaml');
    type Schema = { anyOf?: { $ref: string }[]; properties?: { webhookType?: { enum?: string[] } } };
    const schemas = (await bundleApi(api)).components?.schemas as Record<string, Schema>;
    const branches = (schemas.OkWebhookEvent?.anyOf ?? []).map(({ $ref }) => schemas[$ref.replace('#/components/schemas/', '')]);
    expect(branches).toHaveLength(3);
    const delivered = branches.flatMap((branch) => branch?.properties?.webhookType?.enum ?? []);
    expect(OK_EVENT_TYPES).toEqual(['MESSAGE_CREATED', 'MESSAGE_CALLBACK', 'CHAT_SYSTEM']);
    expect([...OK_EVENT_TYPES].sort()).toEqual(delivered.sort());
  });
});

describe('long polling', () => {
  it('subscribes, runs each event once, retries a failing handler, and subscribes again after error_code 5000', async () => {
    const controller = new AbortController();
    const requests: string[] = [];
    const created = (mid: string) => ({ webhookType: 'MESSAGE_CREATED', sender: { user_id: 'user:1' }, recipient: { chat_id: 'chat:C1' }, message: { mid, seq: 98211023614189660 }, timestamp: 1 });
    const answers: Response[] = [
      json(200, [created('mid:a'), created('mid:b')]),
      json(200, { error_code: 5000, error_msg: 'SUBSCRIPTION_EXPIRED : gone', error_data: null }),
      json(200, { events: [created('mid:b'), created('mid:c')] }),
      json(429, {}, { 'retry-after': '0' }),
    ];
    const fetch = scriptedFetch(async (url) => {
      const { pathname } = new URL(url);
      requests.push(pathname);
      if (pathname.endsWith('/subscribe')) return json(200, { success: true });
      const next = answers.shift();
      if (next) return next;
      controller.abort();
      return json(200, []);
    });
    const ok = createOkClient({ accessToken: 'tkn-long-polling-1', fetch, retry: { clock: fakeClock() } });
    const handled: string[] = [];
    let failOnce = true;
    const errors: unknown[] = [];
    await ok.pollUpdates({
      signal: controller.signal,
      clock: fakeClock(),
      on: {
        message: (event) => {
          if (event.message.mid === 'mid:b' && failOnce) {
            failOnce = false;
            throw new Error('handler failed');
          }
          handled.push(`${event.message.mid}:${event.message.seq}`);
        },
      },
      onError: (error) => errors.push(error),
    });
    expect(handled).toEqual(['mid:a:98211023614189660', 'mid:b:98211023614189660', 'mid:c:98211023614189660']);
    expect(requests.filter((request) => request.endsWith('/subscribe'))).toHaveLength(2);
    expect(errors.map((error) => (error as Error).name)).toEqual(['Error', 'OkApiError']);
  });
});
