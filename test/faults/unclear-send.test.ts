/**
 * Unclear sends, in the fault tier: every client over both transports, against loopback servers that misbehave
 * at the socket level. First, that `NetworkError`, `TimeoutError` and `AbortError` say whether the request can
 * have reached the server; then, that `sendExactlyOnce` leaves exactly one message in the chat (or none, with the
 * typed error), within the timeout plus the settle time.
 */
import { createServer as createTcpServer, type Server as TcpServer, type Socket } from 'node:net';
import { createServer as createTlsServer, type Server as TlsServer } from 'node:https';
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { AbortError, NetworkError, RequestValidationError, ServerError, TimeoutError, type RequestLogEntry } from '../../src/core/index.js';
import type { FetchFunction } from '../../src/core/client/types.js';
import { createUndiciFetch } from '../../src/node/index.js';
import { createOkClient, sendText, sendToUsers } from '../../src/ok/index.js';
import { createPachcaClient } from '../../src/pachca/index.js';
import { createUnetClient } from '../../src/unet/index.js';
import { freePort } from '../../src/testing/index.js';
import { startHostileServer, type HostileServer } from './hostile-server.js';
import { BOT_USER, OK_GROUP, startChatServer, THREAD_CHAT, type Api, type ChatServer, type SendFault } from './chat-server.js';

const TIMEOUT_MS = 300;
const SETTLE_MS = 500;
/** A late store lands after the client's timeout and well within the settle time. */
const LATE_MS = TIMEOUT_MS + 200;
/** Scheduling slack on a shared machine. */
const SLACK_MS = 1500;
const RETRY = { maxRetries: 2, baseDelayMs: 1, maxDelayMs: 2, random: () => 1 };

let hostile: HostileServer;
let chat: ChatServer;
const undici = createUndiciFetch();
const TRANSPORTS: Record<string, FetchFunction> = { fetch: (url, init) => globalThis.fetch(url, init), undici };
const CLIENTS: Api[] = ['pachca', 'ok', 'unet'];

beforeAll(async () => {
  hostile = await startHostileServer();
  chat = await startChatServer();
});

afterAll(async () => {
  await hostile.close();
  await chat.close();
  await undici.close();
});

/** What a test drives of one client: an exactly-once send, a plain send, and a read, with the ids they return. */
interface Subject {
  /** The chat the sends go to, as the server names it. */
  readonly chat: string;
  sendOnce(text: string, options?: Record<string, unknown>): Promise<{ recovered: boolean; id: number }>;
  send(text: string): Promise<number>;
  read(options?: { signal?: AbortSignal; timeoutMs?: number }): Promise<unknown>;
}

function subject(api: Api, base: string, fetch: FetchFunction, extra: { onLog?: (entry: RequestLogEntry) => void; throttle?: boolean } = {}): Subject {
  const common = { fetch, retry: RETRY, timeoutMs: TIMEOUT_MS, ...(extra.onLog ? { onLog: extra.onLog } : {}) };
  if (api === 'pachca') {
    const pachca = createPachcaClient({
      ...common,
      token: 'pc-token-1234567',
      baseUrl: `${base}/pachca`,
      ...(extra.throttle ? { throttle: { budgets: { messageWrites: [{ limit: 1, windowMs: 60_000 }], reads: [{ limit: 1, windowMs: 60_000 }] } } } : {}),
    });
    const body = (content: string) => ({ body: { message: { entity_id: 334, content } } });
    return {
      chat: '334',
      sendOnce: async (text, options) => {
        const result = await pachca.sendExactlyOnce(body(text), options);
        return { recovered: result.recovered, id: result.data.id };
      },
      send: async (text) => (await pachca.createMessage(body(text))).data.id,
      read: (options) => pachca.getMessage({ id: 1 }, options),
    };
  }
  if (api === 'ok') {
    const ok = createOkClient({
      ...common,
      accessToken: 'ok-token-1234567',
      baseUrl: `${base}/ok`,
      ...(extra.throttle ? { throttle: { budgets: { sends: [{ limit: 1, windowMs: 60_000 }], other: [{ limit: 1, windowMs: 60_000 }] } } } : {}),
    });
    const id = (mid: unknown): number => Number(String(mid).slice(4));
    return {
      chat: 'chat:C1',
      sendOnce: async (text, options) => {
        const result = await ok.sendExactlyOnce(sendText('chat:C1', text), options);
        return { recovered: result.recovered, id: id((result as { message_id?: unknown }).message_id) };
      },
      send: async (text) => id(((await ok.sendMessage({ chat_id: 'chat:C1', body: sendText('chat:C1', text) })) as { message_id?: unknown }).message_id),
      read: (options) => ok.getChat({ chat_id: 'chat:C1' }, options),
    };
  }
  const unet = createUnetClient({
    ...common,
    tokens: { accessToken: 'un-token-1234567', resourceUri: `${base}/unet`, userId: String(BOT_USER) },
    ...(extra.throttle ? { throttle: { budgets: { sends: [{ limit: 1, windowMs: 60_000 }], other: [{ limit: 1, windowMs: 60_000 }] } } } : {}),
  });
  return {
    chat: '42',
    sendOnce: async (text, options) => {
      const result = await unet.sendExactlyOnce({ q: { chat_id: 42, message: text } }, options);
      return { recovered: result.recovered, id: Number(result.id) };
    },
    send: async (text) => Number((await unet.addMessage({ q: { chat_id: 42, message: text } })).id),
    read: (options) => unet.getMessage({ id: 1 }, options),
  };
}

/** Runs a call; returns its result or what it threw, and how long it took. */
async function timed<T>(call: () => Promise<T>): Promise<{ result?: T; error?: unknown; ms: number }> {
  const started = performance.now();
  try {
    const result = await call();
    return { result, ms: performance.now() - started };
  } catch (error) {
    return { error, ms: performance.now() - started };
  }
}

/** A TLS server whose certificate no client trusts, and a TCP server that accepts and never says a word. */
let untrusted: TlsServer;
let silent: TcpServer;
const silentSockets = new Set<Socket>();
beforeAll(async () => {
  untrusted = createTlsServer({ cert: readFileSync(new URL('../fixtures/loopback-cert.pem', import.meta.url)), key: readFileSync(new URL('../fixtures/loopback-key.pem', import.meta.url)) }, (_request, response) => response.end('{}'));
  silent = createTcpServer((socket) => {
    silentSockets.add(socket);
    socket.on('close', () => silentSockets.delete(socket));
  });
  await Promise.all([untrusted, silent].map((server) => new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))));
});
afterAll(async () => {
  for (const socket of silentSockets) socket.destroy();
  await Promise.all([untrusted, silent].map((server) => new Promise((resolve) => server.close(resolve))));
});
const portOf = (server: TcpServer | TlsServer): number => (server.address() as AddressInfo).port;

describe.each(Object.keys(TRANSPORTS))('whether a failed request can have reached the server, over %s', (transportName) => {
  const fetch = TRANSPORTS[transportName] as FetchFunction;

  describe.each(CLIENTS)('%s', (api) => {
    it('a refused connection and an untrusted certificate: certainly not', async () => {
      for (const base of [`http://127.0.0.1:${await freePort()}`, `https://127.0.0.1:${portOf(untrusted)}`]) {
        const target = subject(api, base, fetch);
        for (const call of [() => target.send('x'), () => target.read()]) {
          const { error } = await timed(call);
          expect(error, base).toBeInstanceOf(NetworkError);
          expect((error as NetworkError).reached, `${base}: ${String(error)}`).toBe('no');
        }
      }
    });

    it('a connection reset after the request was written, and a body that broke off: possibly', async () => {
      for (const behaviour of ['reset-before-response', 'reset-mid-body']) {
        const { error } = await timed(() => subject(api, `${hostile.url}/s/${behaviour}`, fetch).send('x'));
        expect(error, behaviour).toBeInstanceOf(NetworkError);
        expect((error as NetworkError).reached, behaviour).toBe('possibly');
      }
    });

    it('a timeout or an abort while the server holds the request: possibly', async () => {
      const target = subject(api, `${hostile.url}/s/stall-headers`, fetch);
      const timedOut = await timed(() => target.send('x'));
      expect(timedOut.error).toBeInstanceOf(TimeoutError);
      expect((timedOut.error as TimeoutError).reached).toBe('possibly');
      const controller = new AbortController();
      setTimeout(() => controller.abort(new Error('caller gave up')), 100);
      const aborted = await timed(() => target.read({ signal: controller.signal, timeoutMs: 0 }));
      expect(aborted.error).toBeInstanceOf(AbortError);
      expect((aborted.error as AbortError).reached).toBe('possibly');
    });

    it('a timeout or an abort while the request waits in the throttle: certainly not', async () => {
      const target = subject(api, `${hostile.url}/s/stall-headers`, fetch, { throttle: true });
      // The first read takes the only slot of the minute and stalls; the next waits in the queue until it ends.
      void target.read({ timeoutMs: 2000 }).catch(() => undefined);
      const timedOut = await timed(() => target.read({ timeoutMs: 200 }));
      expect(timedOut.error).toBeInstanceOf(TimeoutError);
      expect((timedOut.error as TimeoutError).reached).toBe('no');
      const controller = new AbortController();
      setTimeout(() => controller.abort(), 100);
      const aborted = await timed(() => target.read({ signal: controller.signal, timeoutMs: 0 }));
      expect(aborted.error).toBeInstanceOf(AbortError);
      expect((aborted.error as AbortError).reached).toBe('no');
    });

    it('a timeout before the connection was made (a TLS handshake that never ends)', async () => {
      const { error, ms } = await timed(() => subject(api, `https://127.0.0.1:${portOf(silent)}`, fetch).send('x'));
      expect(error).toBeInstanceOf(TimeoutError);
      // undici alone would hold an abort while connecting until its 10 s connect timeout.
      expect(ms).toBeLessThan(TIMEOUT_MS + SLACK_MS);
      // The undici transport knows that nothing was written; a platform fetch cannot tell, so it says possibly.
      expect((error as TimeoutError).reached).toBe(transportName === 'undici' ? 'no' : 'possibly');
    });
  });
});

/** One scenario of an exactly-once send: the fault, what the chat holds at the end, and what the call returns. */
interface Scenario {
  readonly fault: SendFault;
  /** Reads of the chat answer 403. */
  readonly forbidReads?: boolean;
  /** The bot sent the same text a moment before, successfully. */
  readonly earlier?: boolean;
  /** Messages of this call the chat holds at the end. */
  readonly stored: number;
  /** `recovered` or `resent` for a result, or the error the call throws. */
  readonly returns: 'recovered' | 'resent' | typeof NetworkError | typeof TimeoutError | typeof ServerError;
}

const SCENARIOS: Record<string, Scenario> = {
  'stores, then resets before answering': { fault: 'store-then-reset', stored: 1, returns: 'recovered' },
  'stores, then stalls past the timeout': { fault: 'store-then-stall', stored: 1, returns: 'recovered' },
  'resets before storing, the body partly read': { fault: 'reset-before-store', stored: 1, returns: 'resent' },
  'stores late, after the timeout and within the settle time': { fault: 'store-late', stored: 1, returns: 'recovered' },
  'the same text sent a moment earlier, then a reset before storing': { fault: 'reset-before-store', earlier: true, stored: 1, returns: 'resent' },
  'the same text sent a moment earlier, then a store and a reset': { fault: 'store-then-reset', earlier: true, stored: 1, returns: 'recovered' },
  'the look-up is refused (403) after a store and a reset': { fault: 'store-then-reset', forbidReads: true, stored: 1, returns: NetworkError },
  'the look-up is refused (403) after a reset before storing': { fault: 'reset-before-store', forbidReads: true, stored: 0, returns: NetworkError },
  'the look-up is refused (403) after a stall': { fault: 'store-then-stall', forbidReads: true, stored: 1, returns: TimeoutError },
  'stores, then a gateway answers 502': { fault: 'store-then-502', stored: 1, returns: 'recovered' },
  'answers 503 without storing': { fault: '503-before-store', stored: 1, returns: 'resent' },
  'the look-up is refused (403) after a 502': { fault: 'store-then-502', forbidReads: true, stored: 1, returns: ServerError },
};

describe.each(Object.keys(TRANSPORTS))('exactly-once sends over %s', (transportName) => {
  const fetch = TRANSPORTS[transportName] as FetchFunction;

  describe.each(CLIENTS)('%s', (api) => {
    beforeEach(() => chat.reset());

    it.each(Object.entries(SCENARIOS))('%s', async (_name, scenario) => {
      const log: RequestLogEntry[] = [];
      const target = subject(api, chat.url, fetch, { onLog: (entry) => log.push(entry) });
      const earlier = scenario.earlier ? await target.send('Report is ready') : undefined;
      chat.fault = scenario.fault;
      chat.lateMs = LATE_MS;
      chat.forbidReads = scenario.forbidReads ?? false;
      const { result, error, ms } = await timed(() => target.sendOnce('Report is ready', { settleMs: SETTLE_MS }));

      const mine = chat.messages.filter((message) => message.id !== earlier && message.chat === target.chat);
      expect(mine, JSON.stringify(chat.messages)).toHaveLength(scenario.stored);
      expect(chat.messages).toHaveLength(scenario.stored + (earlier === undefined ? 0 : 1));
      expect(ms).toBeLessThan(TIMEOUT_MS + SETTLE_MS + SLACK_MS);
      if (typeof scenario.returns === 'string') {
        expect(error, String(error)).toBeUndefined();
        expect(result).toEqual({ recovered: scenario.returns === 'recovered', id: mine[0]?.id });
        expect(log.filter((entry) => entry.unclearSend !== undefined).map((entry) => entry.unclearSend)).toEqual([scenario.returns === 'recovered' ? 'recovered' : 'absent']);
      } else {
        expect(error).toBeInstanceOf(scenario.returns);
        const failure = error as NetworkError | TimeoutError | ServerError;
        if (!(failure instanceof ServerError)) expect(failure.reached).toBe('possibly');
        expect(failure.undecided).toMatch(/look-up failed: .*403/);
        expect(failure.message).toContain('whether the message was posted is unknown');
        for (const token of ['pc-token-1234567', 'ok-token-1234567', 'un-token-1234567']) expect(`${failure.message} ${failure.undecided} ${failure.stack}`).not.toContain(token);
      }
    });

    it('a successful send with the option on makes no request but the send', async () => {
      const target = subject(api, chat.url, fetch);
      const { result } = await timed(() => target.sendOnce('hello'));
      expect(result).toEqual({ recovered: false, id: chat.messages[0]?.id });
      expect(chat.requests).toHaveLength(1);
    });

    it('a send that certainly did not reach the server is thrown at once, without a look-up', async () => {
      const target = subject(api, `http://127.0.0.1:${await freePort()}`, fetch);
      const { error, ms } = await timed(() => target.sendOnce('hello', { settleMs: 5000 }));
      expect(error).toBeInstanceOf(NetworkError);
      expect((error as NetworkError).reached).toBe('no');
      expect((error as NetworkError).undecided).toBeUndefined();
      expect(ms).toBeLessThan(SLACK_MS);
    });
  });
});

describe('exactly-once options, each with its effect', () => {
  const fetch = undici;
  beforeEach(() => chat.reset());

  it.each(CLIENTS)('%s: settleMs: a store later than the settle time is sent twice (the limit); within it, once', async (api) => {
    for (const [settleMs, stored, recovered] of [
      [50, 2, false],
      [SETTLE_MS, 1, true],
    ] as const) {
      chat.reset();
      chat.fault = 'store-late';
      chat.lateMs = LATE_MS;
      const target = subject(api, chat.url, fetch);
      const { result } = await timed(() => target.sendOnce('late', { settleMs }));
      // Let the late store land before counting.
      await new Promise((resolve) => setTimeout(resolve, LATE_MS));
      expect(chat.messages.filter((message) => message.chat === target.chat), `settleMs ${settleMs}`).toHaveLength(stored);
      expect(result?.recovered).toBe(recovered);
    }
  });

  it.each(CLIENTS)('%s: clockSkewMs: an identical message from before the window is not taken; inside it, it is', async (api) => {
    for (const [clockSkewMs, stored, recovered] of [
      [1000, 2, false],
      [10_000, 1, true],
    ] as const) {
      chat.reset();
      const target = subject(api, chat.url, fetch);
      // Posted by another process with this token 3 s ago: this client does not know it.
      chat.seed({ chat: target.chat, text: 'twin', author: api === 'ok' ? OK_GROUP : String(BOT_USER), createdAt: Date.now() - 3000 });
      chat.fault = 'reset-before-store';
      const { result } = await timed(() => target.sendOnce('twin', { settleMs: 10, clockSkewMs }));
      expect(chat.messages.filter((message) => message.chat === target.chat), `clockSkewMs ${clockSkewMs}`).toHaveLength(stored);
      expect(result?.recovered).toBe(recovered);
    }
  });

  it.each(CLIENTS)('%s: lookback: more new messages than it reads make the look-up undecidable', async (api) => {
    for (const [lookback, outcome] of [
      [3, 'undecided'],
      [10, 'recovered'],
    ] as const) {
      chat.reset();
      const target = subject(api, chat.url, fetch);
      for (let index = 0; index < 5; index++) chat.seed({ chat: target.chat, text: `chatter ${index}`, author: '1' });
      chat.fault = 'store-then-reset';
      const { result, error } = await timed(() => target.sendOnce('among many', { settleMs: 10, lookback }));
      expect(chat.messages.filter((message) => message.text === 'among many')).toHaveLength(1);
      if (outcome === 'recovered') expect(result?.recovered).toBe(true);
      else expect((error as NetworkError).undecided).toMatch(/more than 3 messages/);
    }
  });

  it.each(CLIENTS)('%s: refuses options that are not numbers of milliseconds or a page count, sending nothing', async (api) => {
    const target = subject(api, chat.url, fetch);
    for (const options of [{ settleMs: -1 }, { clockSkewMs: Number.NaN }, { lookback: 0 }, { lookback: 1.5 }, { settleMs: '5' }]) {
      await expect(target.sendOnce('x', options)).rejects.toBeInstanceOf(RequestValidationError);
    }
    expect(chat.requests).toEqual([]);
  });

  it.each(CLIENTS)('%s: two unclear sends of one text to one chat, only one posted, take turns to look: two messages in the end', async (api) => {
    chat.fault = 'store-then-reset';
    chat.laterFaults.push('reset-before-store');
    const target = subject(api, chat.url, fetch);
    const results = await Promise.all([target.sendOnce('twice', { settleMs: 50 }), target.sendOnce('twice', { settleMs: 50 })]);
    expect(chat.messages.map((message) => message.text)).toEqual(['twice', 'twice']);
    expect(results.map((result) => result.recovered).sort()).toEqual([false, true]);
    expect(new Set(results.map((result) => result.id)).size).toBe(2);
  });

  it.each(CLIENTS)('%s: a caller’s abort is the caller’s: no look-up, no second send', async (api) => {
    chat.fault = 'store-then-stall';
    const target = subject(api, chat.url, fetch);
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    const { error } = await timed(() => target.sendOnce('stop', { signal: controller.signal, timeoutMs: 0, settleMs: 10 }));
    expect(error).toBeInstanceOf(AbortError);
    expect(chat.requests).toHaveLength(1);
  });
});

describe('where each API looks', () => {
  beforeEach(() => chat.reset());

  it('Pachca: a thread send is looked for in the thread’s chat, a direct message in the direct chat', async () => {
    const pachca = createPachcaClient({ token: 'pc-token-1234567', baseUrl: `${chat.url}/pachca`, fetch: undici, timeoutMs: TIMEOUT_MS, retry: RETRY });
    chat.fault = 'store-then-reset';
    const thread = await pachca.sendExactlyOnce({ body: { message: { entity_type: 'thread', entity_id: 5, content: 'in the thread' } } }, { settleMs: 10 });
    expect(thread).toMatchObject({ recovered: true, data: { chat_id: THREAD_CHAT, content: 'in the thread' } });
    chat.fault = 'store-then-reset';
    const direct = await pachca.sendExactlyOnce({ body: { message: { entity_type: 'user', entity_id: 12, content: 'just you' } } }, { settleMs: 10 });
    expect(direct).toMatchObject({ recovered: true, data: { chat_id: 8012, content: 'just you' } });
    expect(chat.messages).toHaveLength(2);
    // The token's owner was looked up once, for both.
    expect(chat.requests.filter((line) => line.endsWith('/oauth/token/info'))).toHaveLength(1);
  });

  it('Pachca: a message with other buttons or files is not this one', async () => {
    const pachca = createPachcaClient({ token: 'pc-token-1234567', baseUrl: `${chat.url}/pachca`, fetch: undici, timeoutMs: TIMEOUT_MS, retry: RETRY });
    chat.seed({ chat: '334', text: 'pick one', buttons: [[{ text: 'A', data: 'a' }]] });
    chat.seed({ chat: '334', text: 'pick one', files: [{ name: 'other.pdf', file_type: 'file' }] });
    chat.fault = 'reset-before-store';
    const result = await pachca.sendExactlyOnce({ body: { message: { entity_id: 334, content: 'pick one', buttons: [[{ text: 'B', data: 'b' }]] } } }, { settleMs: 10 });
    expect(result.recovered).toBe(false);
    expect(chat.messages).toHaveLength(3);
  });

  it('OK: an unclear send to users names no chat, so it throws the original error with the reason', async () => {
    const ok = createOkClient({ accessToken: 'ok-token-1234567', baseUrl: `${chat.url}/ok`, fetch: undici, timeoutMs: TIMEOUT_MS, retry: RETRY });
    chat.fault = 'store-then-reset';
    const error = await ok.sendExactlyOnce(sendToUsers(['user:1', 'user:2'], 'to all'), { settleMs: 10 }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(NetworkError);
    expect((error as NetworkError).undecided).toMatch(/names no chat/);
    expect(chat.messages).toHaveLength(1);
  });

  it('uNet: without the user’s id (a token set without user_id, on an address that names none) it cannot decide', async () => {
    const unet = createUnetClient({ accessToken: 'un-token-1234567', resourceUri: `${chat.url}/unet`, fetch: undici, timeoutMs: TIMEOUT_MS, retry: RETRY });
    chat.fault = 'store-then-reset';
    const error = await unet.sendExactlyOnce({ q: { chat_id: 42, message: 'who am I' } }, { settleMs: 10 }).catch((caught: unknown) => caught);
    expect((error as NetworkError).undecided).toMatch(/user is not known/);
    expect(chat.messages).toHaveLength(1);
  });
});
