import { describe, expect, it } from 'vitest';
import {
  AbortError,
  AuthenticationError,
  ClientError,
  NetworkError,
  PaginationError,
  RequestValidationError,
  ServerError,
  TimeoutError,
  UnexpectedResponseError,
} from '../../src/core/errors/errors.js';
import type { RequestLogEntry } from '../../src/core/exchange/transport.js';
import {
  addMembers,
  createOkClient,
  OkApiError,
  parseServiceMessage,
  sendAttachments,
  sendText,
  senderAction,
  sendToUsers,
  setTitle,
  type OkMessageEnvelope,
} from '../../src/ok/index.js';
import { connectionReset, fakeClock, json, scriptedFetch } from './helpers.js';

const TOKEN = 'tkn18YdUJZe:CQABPOJKAKEKEKEKE';
const CHAT = 'chat:C3ecb9d02a600';

function envelope(mid: string, timestamp: number): OkMessageEnvelope {
  return {
    sender: { user_id: 'user:1' },
    recipient: { chat_id: CHAT },
    message: { mid: `mid:C3ecb9d02a600.${mid}`, text: mid, seq: String(timestamp) },
    timestamp: String(timestamp),
  };
}

/**
 * A fake chat history served like the API: newest first, at most `count` messages created at or before `from`
 * (inclusive) or strictly before it (exclusive).
 */
function historyServer(history: OkMessageEnvelope[], semantics: 'inclusive' | 'exclusive') {
  const requests: { from: string | null; count: number }[] = [];
  const fetch = scriptedFetch((url) => {
    const query = new URL(url).searchParams;
    const from = query.get('from');
    const count = Number(query.get('count') ?? 50);
    requests.push({ from, count });
    const limit = from === null ? Infinity : Number(from);
    const page = history
      .filter((item) => (semantics === 'inclusive' ? Number(item.timestamp) <= limit : Number(item.timestamp) < limit))
      .sort((a, b) => Number(b.timestamp) - Number(a.timestamp))
      .slice(0, count);
    return json(200, { messages: page });
  });
  return { fetch, requests };
}

describe('iterateMessages at page edges', () => {
  // Five messages share the timestamp 1000, so any page size cuts through them.
  const history = [
    envelope('a', 1300),
    envelope('b', 1200),
    envelope('c1', 1000),
    envelope('c2', 1000),
    envelope('c3', 1000),
    envelope('c4', 1000),
    envelope('c5', 1000),
    envelope('d', 900),
    envelope('e', 800),
  ];

  for (const semantics of ['inclusive', 'exclusive'] as const) {
    for (const count of [1, 2, 3, 4]) {
      it(`yields every message once, in order, with ${semantics} from and pages of ${count}`, async () => {
        const server = historyServer(history, semantics);
        const ok = createOkClient({ accessToken: TOKEN, fetch: server.fetch });
        const seen: string[] = [];
        for await (const item of ok.iterateMessages({ chat_id: CHAT, count })) seen.push(item.message.text ?? '');
        expect(seen).toEqual(['a', 'b', 'c1', 'c2', 'c3', 'c4', 'c5', 'd', 'e']);
      });
    }
  }

  it('asks for the next page just above the oldest timestamp seen', async () => {
    const server = historyServer(history, 'inclusive');
    const ok = createOkClient({ accessToken: TOKEN, fetch: server.fetch });
    for await (const _ of ok.iterateMessages({ chat_id: CHAT, count: 4 })) void _;
    // The second page does not get past the five messages at 1000, so the third asks for a bigger page.
    expect(server.requests).toEqual([
      { from: null, count: 4 },
      { from: '1001', count: 4 },
      { from: '1001', count: 8 },
    ]);
  });

  it('walks the chat node form and the query form of the same read the same way, each at its own address', async () => {
    for (const [walk, address] of [
      ['iterateChatMessages', `/graph/${CHAT}/messages`],
      ['iterateMessagesByQuery', '/graph/me/messages'],
    ] as const) {
      const server = historyServer(history, 'inclusive');
      const seen: string[] = [];
      const ok = createOkClient({ accessToken: TOKEN, fetch: server.fetch });
      for await (const item of ok[walk]({ chat_id: CHAT, count: 3 })) seen.push(item.message.text ?? '');
      expect(seen).toEqual(['a', 'b', 'c1', 'c2', 'c3', 'c4', 'c5', 'd', 'e']);
      expect(server.fetch.seen.map((request) => new URL(request.url).pathname)).toEqual(server.requests.map(() => address));
    }
  });

  it('fetches nothing until the first message is asked for, and stops when the consumer does', async () => {
    const server = historyServer(history, 'inclusive');
    const ok = createOkClient({ accessToken: TOKEN, fetch: server.fetch });
    const iterator = ok.iterateMessages({ chat_id: CHAT, count: 2 });
    expect(server.requests).toHaveLength(0);
    for await (const item of iterator) if (item.message.text === 'b') break;
    expect(server.requests).toHaveLength(1);
  });

  it('keeps big timestamps and seq exact', async () => {
    const text = `{"messages":[{"sender":{"user_id":"user:1"},"recipient":{"chat_id":"${CHAT}"},"message":{"text":"t","seq":98211023614189660,"mid":"mid:C3ecb9d02a600.1"},"timestamp":9223372036854775806}]}`;
    const fetch = scriptedFetch(new Response(text, { status: 200 }));
    const ok = createOkClient({ accessToken: TOKEN, fetch });
    const all: OkMessageEnvelope[] = [];
    for await (const item of ok.iterateMessages({ chat_id: CHAT })) all.push(item);
    const [first] = all;
    expect(first?.message.seq).toBe('98211023614189660');
    expect(first?.timestamp).toBe('9223372036854775806');
    expect(BigInt(first?.message.seq ?? 0) + 1n).toBe(98211023614189661n);
  });

  for (const [kind, from, to] of [
    ['numbers', 1200, 900],
    ['exact decimal strings', '1200', '900'],
  ] as const) {
    it(`starts at from and stops at to, given as ${kind}`, async () => {
      const server = historyServer(history, 'inclusive');
      const ok = createOkClient({ accessToken: TOKEN, fetch: server.fetch });
      const seen: string[] = [];
      for await (const item of ok.iterateMessages({ chat_id: CHAT, from, to, count: 10 })) seen.push(item.message.text ?? '');
      // e (800) is older than to; the first page reached past to, so no second page is asked for.
      expect(seen).toEqual(['b', 'c1', 'c2', 'c3', 'c4', 'c5', 'd']);
      expect(server.requests).toEqual([{ from: '1200', count: 10 }]);
      expect(new URL(server.fetch.seen[0]?.url ?? '').searchParams.get('to')).toBe('900');
    });
  }

  it.each([
    ['a count of 0', { count: 0 }, 'count'],
    ['a count above 1000', { count: 1001 }, 'count'],
    ['a count of 1.5', { count: 1.5 }, 'count'],
    ['a from of 1.5', { from: 1.5 }, 'from'],
    ['a from above 2^53 as a number', { from: 2 ** 53 + 2 }, 'from'],
    ['a from that is no number', { from: 'yesterday' }, 'from'],
    ['a to that is no number', { to: '12:00' }, 'to'],
  ] as const)('refuses %s before any request', async (_name, wrong, field) => {
    const server = historyServer(history, 'inclusive');
    const ok = createOkClient({ accessToken: TOKEN, fetch: server.fetch });
    const error = await ok.iterateMessages({ chat_id: CHAT, ...wrong }).next().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(RequestValidationError);
    expect(error).toMatchObject({ field });
    expect(server.requests).toEqual([]);
  });

  it('ends with a PaginationError, a ClientError, when more than 1000 messages share one timestamp', async () => {
    const crowd = Array.from({ length: 1001 }, (_, index) => envelope(`x${index}`, 1000));
    const server = historyServer(crowd, 'inclusive');
    const ok = createOkClient({ accessToken: TOKEN, fetch: server.fetch });
    let yielded = 0;
    const error = await (async () => {
      for await (const _ of ok.iterateMessages({ chat_id: CHAT, count: 500 })) yielded++;
    })().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(PaginationError);
    expect(error).toBeInstanceOf(ClientError);
    expect(error).toMatchObject({
      operationId: 'listMessages',
      message: 'listMessages: more than 1000 items, the largest page, share timestamp 1000 after 3 pages; iteration stopped',
    });
    // Pages grew from 500 to the cap of 1000, and every message they brought came once.
    expect(server.requests).toEqual([
      { from: null, count: 500 },
      { from: '1001', count: 500 },
      { from: '1001', count: 1000 },
    ]);
    expect(yielded).toBe(1000);
  });
});

describe('OK errors', () => {
  it('throws OkApiError for an error body under 200, and the raw style returns it as the error', async () => {
    const body = { error_code: 102, error_msg: 'PARAM_SESSION_EXPIRED : Session expired', error_data: null };
    const fetch = scriptedFetch(json(200, body));
    const ok = createOkClient({ accessToken: TOKEN, fetch });
    const error = await ok.getInfo().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(OkApiError);
    expect(error).toMatchObject({ status: 200, errorCode: 102, errorName: 'PARAM_SESSION_EXPIRED', body });
    expect((await ok.raw.GET('/me/info')).error).toEqual(body);
  });

  it('does not retry an error answered with 200, even for a GET', async () => {
    const fetch = scriptedFetch(json(200, { error_code: 1, error_msg: 'UNKNOWN : Unknown error' }));
    const ok = createOkClient({ accessToken: TOKEN, fetch, retry: { clock: fakeClock() } });
    await expect(ok.getInfo()).rejects.toBeInstanceOf(OkApiError);
    expect(fetch.seen).toHaveLength(1);
  });
});

describe('the access token is redacted in every error path', () => {
  const encoded = encodeURIComponent(TOKEN);
  const leaks = (value: unknown): boolean => {
    const seen = new Set<unknown>();
    const strings: string[] = [];
    const walk = (item: unknown): void => {
      if (item === null || item === undefined || seen.has(item)) return;
      if (typeof item !== 'object') return void strings.push(String(item));
      seen.add(item);
      if (item instanceof Error) strings.push(item.message, item.stack ?? '');
      for (const key of Reflect.ownKeys(item)) walk((item as Record<string | symbol, unknown>)[key]);
      if (item instanceof Error) walk(item.cause);
    };
    walk(value);
    const text = strings.join('\n');
    return text.includes(TOKEN) || text.includes(encoded) || text.includes('CQABPOJKAKEKEKEKE');
  };

  const cases: [string, () => typeof fetch, new (...args: never[]) => Error, Record<string, unknown>?][] = [
    ['an error body under 200', () => scriptedFetch(json(200, { error_code: 102, error_msg: `bad token ${TOKEN}` })), OkApiError],
    ['a 401', () => scriptedFetch(json(401, { error_code: 102, error_msg: 'expired' })), AuthenticationError],
    ['a 502 page', () => scriptedFetch(new Response(`<pre>upstream ${TOKEN}</pre>`, { status: 502 })), ServerError, { retry: { maxRetries: 0 } }],
    ['a body that is not JSON', () => scriptedFetch(new Response('<html>', { status: 200 })), UnexpectedResponseError],
    [
      'a network failure that quotes the URL',
      () => scriptedFetch(new TypeError(`fetch failed: https://api.ok.ru/graph/me/info?access_token=${encoded}`, { cause: connectionReset() })),
      NetworkError,
      { retry: { maxRetries: 0 } },
    ],
    [
      'a timeout',
      () => scriptedFetch((_url, init) => new Promise<Response>((_r, reject) => init.signal?.addEventListener('abort', () => reject(init.signal?.reason)))),
      TimeoutError,
      { timeoutMs: 10 },
    ],
  ];

  it.each(cases)('keeps it out of %s', async (_name, makeFetch, ErrorClass, extra = {}) => {
    const ok = createOkClient({ accessToken: TOKEN, fetch: makeFetch(), ...extra });
    const error = await ok.getInfo().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ErrorClass);
    expect((error as { url: string }).url).toContain('access_token=[REDACTED]');
    expect(leaks(error)).toBe(false);
  });

  it('keeps it out of an abort', async () => {
    const controller = new AbortController();
    controller.abort();
    const ok = createOkClient({ accessToken: TOKEN, fetch: scriptedFetch((_u, init) => Promise.reject(init.signal?.reason)) });
    const error = await ok.getInfo({}, { signal: controller.signal }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(AbortError);
    expect(leaks(error)).toBe(false);
  });

  it('keeps it out of log lines', async () => {
    const lines: RequestLogEntry[] = [];
    const ok = createOkClient({ accessToken: TOKEN, fetch: scriptedFetch(json(200, { name: 'g', group_id: 'group:1' })), onLog: (entry) => lines.push(entry) });
    await ok.getInfo();
    expect(lines[0]?.url).toBe('https://api.ok.ru/graph/me/info?access_token=[REDACTED]');
    expect(leaks(lines)).toBe(false);
  });
});

describe('service messages', () => {
  const service = (text: string): OkMessageEnvelope => ({ ...envelope('s', 1), message: { mid: 'mid:C1.2', text } });

  it('turns an EXIT service message into a user-left event, keeping a long user id exact', () => {
    expect(parseServiceMessage(service('{"ui":1234567890123,"ty":"EXIT"}'))).toEqual({ kind: 'userLeft', action: 'EXIT', userId: 'user:1234567890123' });
    expect(parseServiceMessage(service('{"ui":98211023614189660,"ty":"EXIT"}'))?.userId).toBe('user:98211023614189660');
  });

  it('accepts the message part alone', () => {
    expect(parseServiceMessage({ mid: 'mid:C1.2', text: '{"ui":5,"ty":"EXIT"}' })?.kind).toBe('userLeft');
  });

  it('reports an unknown action as such', () => {
    expect(parseServiceMessage(service('{"ui":5,"ty":"JOIN"}'))).toEqual({ kind: 'other', action: 'JOIN', userId: 'user:5' });
  });

  it('returns nothing for ordinary messages, even ones that look like JSON', () => {
    for (const text of ['Привет', '{"hello":"world"}', '{not json', '{"ty":"EXIT"}', '{"ui":"x","ty":"EXIT"}']) {
      expect(parseServiceMessage(service(text))).toBeUndefined();
    }
    expect(parseServiceMessage({ ...envelope('x', 1), message: { mid: 'mid:C1.3' } })).toBeUndefined();
  });
});

describe('builders', () => {
  it('names the field at fault', () => {
    expect(() => sendText('C3ecb9d02a600 ', 'x')).toThrow(RequestValidationError);
    expect(() => setTitle('room-1', 'x')).toThrow(expect.objectContaining({ field: 'recipient.chat_id' }));
    expect(() => sendToUsers(['user:1', 'not a user'], 'x')).toThrow(expect.objectContaining({ field: 'recipient.user_ids[1]' }));
    expect(() => addMembers(CHAT, [])).toThrow(expect.objectContaining({ field: 'chat_control.add_members' }));
    const six = Array.from({ length: 6 }, () => ({ type: 'FILE' as const, payload: { token: 't' } }));
    expect(() => sendAttachments(CHAT, six)).toThrow(/at most 5/);
  });

  it('refuses an id that breaks its pattern in the spec, naming the field and the pattern but not the id', () => {
    const refusal = (field: string, message: string) => expect.objectContaining({ name: 'RequestValidationError', field, message: `${field}: ${message}; nothing was sent` });
    // The whole message is pinned: it holds the pattern, and not the id 'chat:room 7'.
    expect(() => sendText('chat:room 7', 'x')).toThrow(refusal('recipient.chat_id', 'is not a chat id of the form chat:<id>; it does not match the pattern ^chat:\\S+$'));
    expect(() => setTitle(7 as never, 'x')).toThrow(refusal('recipient.chat_id', 'must be a chat id of the form chat:<id>, not a number'));
    expect(() => sendToUsers(['user:1', 'user:two words'], 'x')).toThrow(
      refusal('recipient.user_ids[1]', 'is not a user id (user:<id> or the bare id); it does not match the pattern ^(user:)?[0-9A-Za-z_-]+$'),
    );
    expect(() => sendText(CHAT, 'x', { replyTo: '15cea67d78d2059' })).toThrow(
      refusal('extras.replyTo', 'is not a message id of the form mid:<id>; it does not match the pattern ^(mid|MID):\\S+$'),
    );
    expect(sendText(CHAT, 'x', { replyTo: 'MID:C3ecb9d02a600.15cea67d78d2059' }).message).toEqual({ text: 'x', reply_to: 'MID:C3ecb9d02a600.15cea67d78d2059' });
  });

  it('checks a sender action and a privacy warning against the spec\'s enums', () => {
    expect(() => senderAction(CHAT, 'dancing' as never)).toThrow(
      expect.objectContaining({ field: 'sender_action', message: 'sender_action: must be one of "mark_seen", "typing_on", "sending_photo", "sending_video", "sending_audio"; nothing was sent' }),
    );
    expect(() => sendText(CHAT, 'x', { privacyWarning: 'SCREENSHOTS' as never })).toThrow(expect.objectContaining({ field: 'extras.privacyWarning' }));
    expect(senderAction(CHAT, 'typing_on')).toEqual({ recipient: { chat_id: CHAT }, sender_action: 'typing_on' });
  });

  it('addresses a chat id to the chat and anything else to a user', () => {
    expect(sendText(CHAT, 'x').recipient).toEqual({ chat_id: CHAT });
    expect(sendText('user:42', 'x').recipient).toEqual({ user_id: 'user:42' });
    expect(sendText('42', 'x').recipient).toEqual({ user_id: '42' });
  });

  it('sends a chat body to the chat path and a users body to /me/messages, with the JSON charset', async () => {
    const fetch = scriptedFetch(json(200, { success: true }));
    const ok = createOkClient({ accessToken: TOKEN, fetch });
    await ok.send(sendText(CHAT, 'x'));
    await ok.send(sendToUsers(['1', '2'], 'x'));
    expect(fetch.seen.map((request) => new URL(request.url).pathname)).toEqual([`/graph/me/messages/${CHAT}`, '/graph/me/messages']);
    expect(fetch.seen[0]?.headers.get('content-type')).toBe('application/json;charset=utf-8');
  });

  it('names recipient.chat_id, where the caller wrote it, when send refuses a chat id that breaks its pattern', async () => {
    const fetch = scriptedFetch(json(200, { success: true }));
    const body = { recipient: { chat_id: 'C3ecb9d02a600' }, message: { text: 'x' } };
    await expect(createOkClient({ accessToken: TOKEN, fetch }).send(body)).rejects.toMatchObject({
      name: 'RequestValidationError',
      field: 'recipient.chat_id',
      message: 'recipient.chat_id: is not a chat id of the form chat:<id>; it does not match the pattern ^chat:\\S+$; nothing was sent',
    });
    expect(fetch.seen).toHaveLength(0);
    // With checks off, the server judges it.
    await createOkClient({ accessToken: TOKEN, fetch, checkRequests: false }).send(body);
    expect(fetch.seen.map((request) => new URL(request.url).pathname)).toEqual(['/graph/me/messages/C3ecb9d02a600']);
  });

  it('refuses a chat id parameter that breaks its pattern, naming the parameter, with nothing sent', async () => {
    const fetch = scriptedFetch(json(200, { chat_id: CHAT, type: 'CHAT' }));
    await expect(createOkClient({ accessToken: TOKEN, fetch }).getChat({ chat_id: 'C3ecb9d02a600' })).rejects.toThrow(
      'chat_id: does not match the pattern ^chat:\\S+$; nothing was sent',
    );
    expect(fetch.seen).toHaveLength(0);
  });
});

describe('signed upload URLs', () => {
  const SIGNED = 'https://fu.mycdn.me/api/upload.do?sig=2f6b0a9e77c1d4&expires=1519300000000&clientType=3&id=1519bf4&userId=123456789012';

  it('redacts the signature of an upload URL in the error and in every log line', async () => {
    const lines: RequestLogEntry[] = [];
    const fetch = scriptedFetch(
      (url) => (url.includes('fileUploadUrl') ? json(200, { url: SIGNED, token: 'tokenString' }) : json(403, { error: `bad signature for ${SIGNED}` })),
    );
    const ok = createOkClient({ accessToken: TOKEN, fetch, onLog: (entry) => lines.push(entry) });
    const error = await ok.uploadFile({ data: 'x', type: 'FILE', contentType: 'application/pdf' }).catch((caught: unknown) => caught);
    const printed = [String(error), JSON.stringify(error), (error as Error).stack ?? '', JSON.stringify(lines)].join('\n');
    expect(fetch.seen[1]?.url).toBe(SIGNED);
    expect(printed).not.toContain('2f6b0a9e77c1d4');
    expect((error as { url: string }).url).toContain('sig=[REDACTED]');
    expect(lines.at(-1)?.url).toContain('sig=[REDACTED]');
  });
});
