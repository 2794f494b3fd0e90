/**
 * The fault tier: every client, over both transports, against a real misbehaving server on loopback. For each
 * scenario it checks the error class, how many requests the server saw (a send never more than once), that the
 * call settled within its timeout, and that no secret appears anywhere in the error or the log.
 */
import { performance } from 'node:perf_hooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AbortError,
  BadRequestError,
  ClientError,
  NetworkError,
  PaginationError,
  RateLimitError,
  RedirectError,
  RequestValidationError,
  ServerError,
  TimeoutError,
  UnexpectedResponseError,
  type RequestLogEntry,
} from '../../src/core/index.js';
import type { FetchFunction } from '../../src/core/client/types.js';
import { createUndiciFetch } from '../../src/node/index.js';
import { createOkClient, sendText } from '../../src/ok/index.js';
import { createPachcaClient } from '../../src/pachca/index.js';
import { createUnetAuth, createUnetClient } from '../../src/unet/index.js';
import { freePort } from '../../src/testing/index.js';
import { startHostileServer, type HostileServer } from './hostile-server.js';
import { spanTree, testTelemetry } from '../support/telemetry.js';
import { forms, printed } from './printed.js';

const TIMEOUT_MS = 400;
/** How long past its timeout a call may take to settle (scheduling on a shared 2-core machine). */
const SLACK_MS = 1500;
const RETRY = { maxRetries: 2, baseDelayMs: 1, maxDelayMs: 2, random: () => 1 };

/** One credential per kind; the short set tests redaction by name and location only. */
const SECRETS = {
  long: {
    pachca: 'pc~tok en(Zq9x7Lm2',
    ok: 'ok~tok en(Wv4n8Kp3',
    unetAccess: 'un~acc ess(Yt6b1Rq',
    unetRefresh: 'un~ref resh(Hj5c0Pw',
    unetClientSecret: 'un~sec ret(Gf2d9Ls',
  },
  short: { pachca: 'Zq~ (', ok: 'Wv~ (', unetAccess: 'Yt~ (', unetRefresh: 'Hj~ (', unetClientSecret: 'Gf~ (' },
} as const;
type SecretSet = (typeof SECRETS)[keyof typeof SECRETS];

let server: HostileServer;
/** Every client of this tier records into this SDK; the leak search reads what it collected. */
const telemetry = testTelemetry();
const undici = createUndiciFetch();
const TRANSPORTS: Record<string, FetchFunction> = { fetch: (url, init) => globalThis.fetch(url, init), undici };
const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown): void => void unhandled.push(reason);

beforeAll(async () => {
  process.on('unhandledRejection', onUnhandled);
  server = await startHostileServer({
    'empty-pages': (request, response) => {
      const cursor = Number(new URL(request.url ?? '', 'http://x').searchParams.get('cursor') ?? '0') + 1;
      const body = JSON.stringify({ data: [], meta: { paginate: { has_next: true, next_page: `c${cursor}` } }, items: [], next_cursor: `c${cursor}`, chats: [], marker: `m${cursor}` });
      response.writeHead(200, { 'content-type': 'application/json' }).end(body.replaceAll(`c${cursor}`, String(cursor)).replaceAll(`m${cursor}`, String(cursor)));
    },
    // The first request after a reset is refused with a 429 echoing the credential; the next one succeeds.
    'limited-once': (request, response) => {
      const body = server.count('limited-once') === 1 ? { error: `slow down ${server.echo ?? ''}`, url: request.url } : { data: { id: 1 }, id: 1, message_id: 'mid.1', ok: true };
      response.writeHead(server.count('limited-once') === 1 ? 429 : 200, { 'content-type': 'application/json', 'retry-after': '0' }).end(JSON.stringify(body));
    },
    'same-cursor': (_request, response) => {
      const body = { data: [{ id: 1 }], meta: { paginate: { has_next: true, next_page: 'again' } }, items: [{ id: 1 }], next_cursor: 'again', chats: [{ chat_id: 'chat:1' }], marker: 'again' };
      response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    },
  });
});

afterAll(async () => {
  process.off('unhandledRejection', onUnhandled);
  await server.close();
  await undici.close();
});

/** What one test drives: a read (idempotent) and a send (never repeated) of one client. */
interface Subject {
  read(options?: { signal?: AbortSignal; timeoutMs?: number }): Promise<unknown>;
  send(): Promise<unknown>;
  iterate(): AsyncIterable<unknown>;
}

type ClientName = 'pachca' | 'ok' | 'unet';

/** A budget of one send per 50 ms, for the throttled subjects: short beside the 400 ms timeout of a loaded machine. */
const ONE_SEND = [{ limit: 1, windowMs: 50 }];

function subject(client: ClientName, base: string, fetch: FetchFunction, secrets: SecretSet, onLog: (entry: RequestLogEntry) => void, tokenBase = base, throttled = false): Subject {
  const common = { baseUrl: base, fetch, retry: RETRY, timeoutMs: TIMEOUT_MS, onLog, telemetry: telemetry.options };
  const userThrottle = throttled ? { throttle: { budgets: { sends: ONE_SEND } } } : {};
  if (client === 'pachca') {
    const pachca = createPachcaClient({ ...common, token: secrets.pachca, ...(throttled ? { throttle: { budgets: { messageWrites: ONE_SEND } } } : {}) });
    return {
      read: (options) => pachca.getMessage({ id: 1 }, options),
      send: () => pachca.createMessage({ body: { message: { entity_id: 1, content: 'x' } } }),
      iterate: () => pachca.iterateChatMessages({ chat_id: 1 }),
    };
  }
  if (client === 'ok') {
    const ok = createOkClient({ ...common, accessToken: secrets.ok, ...userThrottle });
    return {
      read: (options) => ok.getChat({ chat_id: 'chat:C1' }, options),
      send: () => ok.sendMessage({ chat_id: 'chat:C1', body: sendText('chat:C1', 'x') }),
      iterate: () => ok.iterateChats(),
    };
  }
  const auth = createUnetAuth({ clientId: 'app', clientSecret: secrets.unetClientSecret, redirectUri: 'https://example.com/cb', baseUrl: tokenBase, fetch, retry: RETRY, onLog, telemetry: telemetry.options });
  const unet = createUnetClient({
    ...common,
    ...userThrottle,
    tokens: { accessToken: secrets.unetAccess, refreshToken: secrets.unetRefresh, resourceUri: base },
    auth,
  });
  return {
    read: (options) => unet.getMessage({ id: 1 }, options),
    send: () => unet.addMessage({ q: { chat_id: 1, message: 'x' } }),
    iterate: () => unet.iterateMessages({ q: { chat_id: 1 } }),
  };
}



/** Runs a call, and returns what it threw (or its result), and how long it took. */
async function settle(call: () => Promise<unknown>): Promise<{ error: unknown; ms: number }> {
  const started = performance.now();
  const error = await call().then(
    () => undefined,
    (caught: unknown) => caught,
  );
  return { error, ms: performance.now() - started };
}

type ErrorClass = abstract new (...args: never[]) => Error;

/** What a scenario must produce: the error class and the requests seen, for a read and for a send. */
interface Expectation {
  readonly error: ErrorClass;
  readonly reads: number;
  readonly sends: number;
  /** Server echoes of the secret; skipped for secrets too short to redact by value. */
  readonly echoes?: boolean;
  /** Where a transport sees the fault differently, what it must produce instead. */
  readonly over?: Readonly<Record<string, Omit<Expectation, 'over'>>>;
}

const RETRIED = 1 + RETRY.maxRetries;
const SCENARIOS: Record<string, Expectation> = {
  'reset-before-response': { error: NetworkError, reads: RETRIED, sends: 1 },
  'reset-mid-body': { error: NetworkError, reads: RETRIED, sends: 1 },
  'broken-chunking': { error: NetworkError, reads: RETRIED, sends: 1 },
  // Node's fetch ends a corrupt gzip stream as an empty body, which the reader reports as the broken body it is.
  'corrupt-gzip': { error: NetworkError, reads: RETRIED, sends: 1 },
  truncated: { error: NetworkError, reads: RETRIED, sends: 1 },
  'stall-headers': { error: TimeoutError, reads: 1, sends: 1 },
  'stall-body': { error: TimeoutError, reads: 1, sends: 1 },
  'html-500': { error: ServerError, reads: RETRIED, sends: 1 },
  'empty-200': { error: UnexpectedResponseError, reads: 1, sends: 1 },
  'html-200': { error: UnexpectedResponseError, reads: 1, sends: 1 },
  'null-200': { error: UnexpectedResponseError, reads: 1, sends: 1 },
  'array-200': { error: UnexpectedResponseError, reads: 1, sends: 1 },
  'no-content-200': { error: UnexpectedResponseError, reads: 1, sends: 1 },
  'huge-200': { error: UnexpectedResponseError, reads: 1, sends: 1 },
  'reason-echo': { error: BadRequestError, reads: 1, sends: 1, echoes: true },
  'key-echo': { error: BadRequestError, reads: 1, sends: 1, echoes: true },
  'retry-after-seconds': { error: RateLimitError, reads: RETRIED, sends: RETRIED },
  'retry-after-date': { error: RateLimitError, reads: RETRIED, sends: RETRIED },
  'retry-after-garbage': { error: RateLimitError, reads: RETRIED, sends: RETRIED },
  'retry-after-negative': { error: RateLimitError, reads: RETRIED, sends: RETRIED },
  'retry-after-huge': { error: RateLimitError, reads: 1, sends: 1 },
  ...Object.fromEntries(
    [301, 302, 303, 307, 308].flatMap((status) => [
      [`redirect-${status}-same`, { error: RedirectError, reads: 1, sends: 1 }],
      [`redirect-${status}-other`, { error: RedirectError, reads: 1, sends: 1 }],
    ]),
  ),
  'redirect-loop': { error: RedirectError, reads: 1, sends: 1 },
};

const CLIENTS: ClientName[] = ['pachca', 'ok', 'unet'];

describe.each(Object.keys(TRANSPORTS))('over %s', (transportName) => {
  const fetch = TRANSPORTS[transportName] as FetchFunction;

  describe.each(CLIENTS)('%s', (client) => {
    describe.each(Object.keys(SECRETS) as (keyof typeof SECRETS)[])('with %s secrets', (secretKind) => {
      const secrets = SECRETS[secretKind];
      const scenarios = Object.entries(SCENARIOS).filter(([, expected]) => secretKind === 'long' || !expected.echoes);

      it.each(scenarios)('%s: a typed error, no duplicate send, in time, no secret', async (behaviour, scenario) => {
        const expected = scenario.over?.[transportName] ?? scenario;
        for (const kind of ['read', 'send'] as const) {
          server.reset();
          telemetry.reset();
          server.echo = client === 'pachca' ? secrets.pachca : client === 'ok' ? secrets.ok : secrets.unetAccess;
          const log: RequestLogEntry[] = [];
          const target = subject(client, `${server.url}/s/${behaviour}`, fetch, secrets, (entry) => log.push(entry));
          const { error, ms } = await settle(() => (kind === 'read' ? target.read() : target.send()));
          expect(error, `${kind}: ${String(error)}`).toBeInstanceOf(expected.error);
          expect(error).toBeInstanceOf(ClientError);
          expect(server.count(behaviour), `${kind} requests`).toBe(kind === 'read' ? expected.reads : expected.sends);
          expect(server.seenElsewhere).toEqual([]);
          expect(server.count('landing')).toBe(0);
          expect(ms).toBeLessThan(TIMEOUT_MS + SLACK_MS);
          expect(telemetry.spans().length, 'one span per call').toBe(1);
          const text = printed(error, log) + (await telemetry.collected());
          for (const secret of Object.values(secrets)) for (const form of forms(secret)) expect(text).not.toContain(form);
          if (error instanceof UnexpectedResponseError) expect(error.bodyText.length).toBeLessThanOrEqual(1000);
        }
      });

      it('refused connection: a NetworkError naming ECONNREFUSED, no secret', async () => {
        const log: RequestLogEntry[] = [];
        const target = subject(client, `http://127.0.0.1:${await freePort()}/api`, fetch, secrets, (entry) => log.push(entry));
        for (const call of [target.read, target.send]) {
          telemetry.reset();
          const { error, ms } = await settle(() => call());
          expect(error).toBeInstanceOf(NetworkError);
          expect((error as NetworkError).code).toBe('ECONNREFUSED');
          expect((error as Error).message).toContain('ECONNREFUSED');
          expect(ms).toBeLessThan(TIMEOUT_MS + SLACK_MS);
          const [span] = telemetry.spans();
          expect(span?.attributes['error.type']).toBe('NetworkError');
          const text = printed(error, log) + (await telemetry.collected());
          for (const secret of Object.values(secrets)) for (const form of forms(secret)) expect(text).not.toContain(form);
        }
      });

      it('a throttled send refused once with a 429 that echoes the credential, then sent: its span and metrics hold no secret', async () => {
        server.reset();
        telemetry.reset();
        server.echo = client === 'pachca' ? secrets.pachca : client === 'ok' ? secrets.ok : secrets.unetAccess;
        const log: RequestLogEntry[] = [];
        const target = subject(client, `${server.url}/s/limited-once`, fetch, secrets, (entry) => log.push(entry), undefined, true);
        const { error } = await settle(() => target.send());
        expect(error).toBeUndefined();
        expect(server.count('limited-once')).toBe(2);
        const [span] = telemetry.spans();
        // The retry waits in the throttle for the 50 ms budget unless the 429 took longer than that to arrive.
        const events = span?.events.map((event) => event.name).filter((name) => name !== 'throttle.queued');
        expect(events).toEqual(['attempt', 'rate_limit.pause', 'retry', 'attempt']);
        expect(span?.attributes['api_client.attempts']).toBe(2);
        expect(spanTree(span as never)).toContain(`api_client.retry.reason="rate_limited"`);
        const text = printed(undefined, log) + (await telemetry.collected());
        for (const secret of Object.values(secrets)) for (const form of forms(secret)) expect(text).not.toContain(form);
      });
    });

    it('aborts during the request, and during a backoff', async () => {
      server.reset();
      const stalled = subject(client, `${server.url}/s/stall-headers`, fetch, SECRETS.long, () => undefined);
      const during = new AbortController();
      setTimeout(() => during.abort(new Error('caller gave up')), 50);
      const inRequest = await settle(() => stalled.read({ signal: during.signal, timeoutMs: 0 }));
      expect(inRequest.error).toBeInstanceOf(AbortError);
      expect(inRequest.ms).toBeLessThan(SLACK_MS);

      const waiting = subject(client, `${server.url}/s/retry-after-long-503`, fetch, SECRETS.long, () => undefined);
      const backoff = new AbortController();
      setTimeout(() => backoff.abort(), 100);
      const inBackoff = await settle(() => waiting.read({ signal: backoff.signal, timeoutMs: 0 }));
      expect(inBackoff.error).toBeInstanceOf(AbortError);
      expect(inBackoff.ms).toBeLessThan(SLACK_MS);
      expect(server.count('retry-after-long-503')).toBe(1);
    });

    it('ends a paginator on empty pages with fresh cursors, and on a repeated cursor', async () => {
      for (const behaviour of ['empty-pages', 'same-cursor']) {
        server.reset();
        const target = subject(client, `${server.url}/s/${behaviour}`, fetch, SECRETS.long, () => undefined);
        const { error } = await settle(async () => {
          for await (const _ of target.iterate()) void _;
        });
        expect(error, behaviour).toBeInstanceOf(PaginationError);
        expect(server.count(behaviour)).toBeLessThanOrEqual(11);
      }
    });
  });
});

describe('bad input from the caller is a RequestValidationError, and nothing is sent', () => {
  const base = (behaviour = 'landing') => `${'http://127.0.0.1'}:${new URL(server.url).port}/s/${behaviour}`;

  it('refuses a line break in a header, a BigInt in a body, and a timeout that is not a number of milliseconds', async () => {
    server.reset();
    const pachca = createPachcaClient({ token: SECRETS.long.pachca, baseUrl: base() });
    const calls = [
      () => pachca.getMessage({ id: 1 }, { headers: { 'x-note': 'a\r\nx-injected: 1' } }),
      () => pachca.createMessage({ body: { message: { entity_id: 1, content: 'x', extra: 10n } as never } }),
      () => pachca.getMessage({ id: 1 }, { timeoutMs: Number.NaN }),
      () => pachca.getMessage({ id: 1 }, { timeoutMs: Number.POSITIVE_INFINITY }),
      () => pachca.getMessage({ id: 1 }, { timeoutMs: -1 }),
      () => pachca.getMessage({ id: '..' as never }),
      () => pachca.getMessage({ id: '.' as never }),
      () => pachca.getMessage({ id: { toString: () => '1' } as never }),
      () => pachca.getMessage({ id: 1, colour: 'red' } as never),
      () => pachca.raw.GET('1/messages' as never),
    ];
    for (const call of calls) {
      const { error } = await settle(call);
      expect(error).toBeInstanceOf(RequestValidationError);
      expect(String(error)).not.toContain(SECRETS.long.pachca);
    }
    expect(server.seen).toEqual([]);
  });

  it('accepts a fractional timeout such as 1.005 * 1000', async () => {
    const pachca = createPachcaClient({ token: SECRETS.long.pachca, baseUrl: base() });
    await expect(pachca.getMessage({ id: 1 }, { timeoutMs: 1.005 * 1000 })).resolves.toEqual({ data: { id: 1 }, items: [], chats: [], messages: [] });
  });

  it('sends %2e%2e as a literal segment, not as a step up', async () => {
    server.reset();
    // The spec's check would refuse a string id before sending; off, the path encoding itself is what is tested.
    const unet = createUnetClient({ accessToken: SECRETS.long.unetAccess, resourceUri: base(), checkRequests: false });
    await unet.deleteMessage({ id: '%2e%2e' as never }).catch(() => undefined);
    expect(server.seen).toEqual(['landing POST']);
  });

  it('refuses a missing or non-string credential when the client is made', () => {
    expect(() => createPachcaClient({ token: null as never })).toThrow(RequestValidationError);
    expect(() => createOkClient({ accessToken: 42 as never })).toThrow(RequestValidationError);
    expect(() => createUnetClient({ accessToken: '', resourceUri: base() })).toThrow(RequestValidationError);
    expect(() => createUnetAuth({ clientId: 'a', clientSecret: undefined as never, redirectUri: 'https://e.com' })).toThrow(RequestValidationError);
  });

  it('refuses a page size of 0 or NaN before sending', async () => {
    server.reset();
    const ok = createOkClient({ accessToken: SECRETS.long.ok, baseUrl: base() });
    for (const count of [0, Number.NaN, 1.5]) {
      const { error } = await settle(async () => {
        for await (const _ of ok.iterateMessages({ chat_id: 'chat:C1', count })) void _;
      });
      expect(error).toBeInstanceOf(RequestValidationError);
    }
    expect(server.seen).toEqual([]);
  });
});

describe.each(Object.keys(TRANSPORTS))('uNet token endpoint faults over %s', (transportName) => {
  const fetch = TRANSPORTS[transportName] as FetchFunction;
  const tokenAnswers: Record<string, (response: import('node:http').ServerResponse) => void> = {
    null: (response) => response.writeHead(200, { 'content-type': 'application/json' }).end('null'),
    empty: (response) => response.writeHead(200, { 'content-type': 'application/json' }).end('{}'),
    'no-resource-uri': (response) => response.writeHead(200, { 'content-type': 'application/json' }).end('{"access_token":"fresh-access-1234567"}'),
  };

  it.each(Object.keys(tokenAnswers))('a %s token answer is an UnexpectedResponseError for the code exchange and for every waiting call', async (answer) => {
    const local = await startHostileServer({
      token: (request, response) => {
        if (request.url?.endsWith('/token')) tokenAnswers[answer]?.(response);
        else response.writeHead(401, { 'content-type': 'application/json' }).end('{"error":"invalid_token"}');
      },
    });
    try {
      const base = `${local.url}/s/token`;
      telemetry.reset();
      const auth = createUnetAuth({ clientId: 'app', clientSecret: SECRETS.long.unetClientSecret, redirectUri: 'https://example.com/cb', baseUrl: base, fetch, telemetry: telemetry.options });
      await expect(auth.exchangeCode('code-1234567890')).rejects.toBeInstanceOf(UnexpectedResponseError);
      const unet = createUnetClient({ tokens: { accessToken: SECRETS.long.unetAccess, refreshToken: SECRETS.long.unetRefresh, resourceUri: base }, auth, fetch, telemetry: telemetry.options });
      const errors = await Promise.all(Array.from({ length: 50 }, () => unet.listChats().catch((caught: unknown) => caught)));
      const collected = await telemetry.collected();
      for (const error of errors) {
        expect(error).toBeInstanceOf(UnexpectedResponseError);
        expect(printed(error, []) + collected).not.toContain(SECRETS.long.unetRefresh);
      }
      // The spans of the code exchange, the refresh and the 50 calls that waited for it.
      expect(collected).not.toContain(SECRETS.long.unetAccess);
      expect(collected).not.toContain(SECRETS.long.unetClientSecret);
      expect(telemetry.spans().filter((span) => span.name === 'unet.listChats')).toHaveLength(50);
      expect(local.seen.filter((line) => line === 'token POST')).toHaveLength(2);
      expect(unet.tokens().accessToken).toBe(SECRETS.long.unetAccess);
    } finally {
      await local.close();
    }
  });

  it('does not follow a 307 from the token endpoint to another origin with the secret', async () => {
    server.reset();
    telemetry.reset();
    const auth = createUnetAuth({ clientId: 'app', clientSecret: SECRETS.long.unetClientSecret, redirectUri: 'https://example.com/cb', baseUrl: `${server.url}/s/redirect-307-other`, fetch, telemetry: telemetry.options });
    const error = await auth.refresh(SECRETS.long.unetRefresh).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(RedirectError);
    expect(server.seenElsewhere).toEqual([]);
    const text = printed(error, []) + (await telemetry.collected());
    for (const secret of [SECRETS.long.unetClientSecret, SECRETS.long.unetRefresh]) for (const form of forms(secret)) expect(text).not.toContain(form);
  });

  it('bounds a refresh by the caller’s timeout and signal, and lets the shared refresh finish for the others', async () => {
    let release: () => void = () => undefined;
    const local = await startHostileServer({
      token: (request, response) => {
        if (request.url?.endsWith('/token')) {
          release = () =>
            response
              .writeHead(200, { 'content-type': 'application/json' })
              .end(JSON.stringify({ access_token: 'fresh-access-1234567', resource_uri: `${local.url}/s/token` }));
        } else if (request.headers.authorization === 'Bearer fresh-access-1234567') {
          response.writeHead(200, { 'content-type': 'application/json' }).end('{"items":[]}');
        } else response.writeHead(401, { 'content-type': 'application/json' }).end('{"error":"invalid_token"}');
      },
    });
    try {
      const base = `${local.url}/s/token`;
      const auth = createUnetAuth({ clientId: 'app', clientSecret: SECRETS.long.unetClientSecret, redirectUri: 'https://example.com/cb', baseUrl: base, fetch });
      const unet = createUnetClient({ tokens: { accessToken: SECRETS.long.unetAccess, refreshToken: SECRETS.long.unetRefresh, resourceUri: base }, auth, fetch });
      const patient = unet.listChats({}, { timeoutMs: 5000 });
      const hurried = await settle(() => unet.listChats({}, { timeoutMs: 300 }));
      expect(hurried.error).toBeInstanceOf(TimeoutError);
      expect(hurried.ms).toBeLessThan(300 + SLACK_MS);
      const controller = new AbortController();
      const aborting = unet.listChats({}, { signal: controller.signal }).catch((caught: unknown) => caught);
      setTimeout(() => controller.abort(), 20);
      expect(await aborting).toBeInstanceOf(AbortError);
      release();
      await expect(patient).resolves.toEqual({ items: [] });
    } finally {
      await local.close();
    }
  });
});

describe('the fault tier as a whole', () => {
  it('left no rejection unhandled', () => {
    expect(unhandled).toEqual([]);
  });
});
