import { describe, expect, it } from 'vitest';
import {
  AbortError,
  AuthenticationError,
  ClientError,
  NetworkError,
  NotFoundError,
  ServerError,
  TimeoutError,
  UnexpectedResponseError,
} from '../../src/core/errors/errors.js';
import type { RequestLogEntry } from '../../src/core/exchange/transport.js';
import { BASE_URL, connectionReset, fakeClock, json, scriptedFetch, SECRET, testClient } from './helpers.js';

const thing = { id: 7 };
const rawThing = { params: { path: { id: 7 } } } as never;

describe('timeouts and aborts', () => {
  it('throws a TimeoutError when the server does not answer within timeoutMs', async () => {
    const hanging = scriptedFetch(
      (_url, init) =>
        new Promise<Response>((_resolve, reject) => {
          init.signal?.addEventListener('abort', () => reject(init.signal?.reason));
        }),
    );
    const client = testClient(hanging, { timeoutMs: 20 });
    const error = await client.operations.getThing(thing).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TimeoutError);
    expect(error).toMatchObject({ timeoutMs: 20, method: 'GET', url: `${BASE_URL}/things/7`, operationId: 'getThing' });
    // The cause is a redacted copy of the runtime's DOMException, under its name.
    expect(((error as TimeoutError).cause as Error).name).toBe('TimeoutError');
  });

  it('lets one call override the client timeout', async () => {
    const slow = scriptedFetch(
      (_url, init) =>
        new Promise<Response>((resolve, reject) => {
          const timer = setTimeout(() => resolve(json(200, { late: true })), 50);
          init.signal?.addEventListener('abort', () => {
            clearTimeout(timer);
            reject(init.signal?.reason);
          });
        }),
    );
    const client = testClient(slow, { timeoutMs: 10 });
    await expect(client.operations.getThing(thing, { timeoutMs: 1000 })).resolves.toEqual({ late: true });
  });

  it('does not start a backoff wait that would outlast the timeout', async () => {
    const fetch = scriptedFetch(json(503, {}));
    // Real clock, long backoff: the 30 ms timeout must cut the 10 s wait short.
    const client = testClient(fetch, { timeoutMs: 30, retry: { baseDelayMs: 10_000, maxDelayMs: 10_000, random: () => 1 } });
    const started = Date.now();
    const error = await client.operations.getThing(thing).catch((e: unknown) => e);
    // The retry would end after the deadline, so the 503 surfaces at once instead of a wait.
    expect(error).toBeInstanceOf(ServerError);
    expect(Date.now() - started).toBeLessThan(5000);
    expect(fetch.seen).toHaveLength(1);
  });

  it('ends a backoff wait with a TimeoutError when the timeout fires during it', async () => {
    const fetch = scriptedFetch(json(503, {}));
    // A clock that never advances and whose waits last until aborted: only the timeout can end the wait.
    const frozen = { now: () => 0, sleep: (_ms: number, signal?: AbortSignal) => new Promise<void>((_r, reject) => signal?.addEventListener('abort', () => reject(signal.reason))) };
    const client = testClient(fetch, { timeoutMs: 25, retry: { clock: frozen, random: () => 0.01 } });
    const error = await client.operations.getThing(thing).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TimeoutError);
    expect(fetch.seen).toHaveLength(1);
  });

  it('ends a backoff wait at once when the caller aborts', async () => {
    const controller = new AbortController();
    const fetch = scriptedFetch(() => {
      queueMicrotask(() => controller.abort(new Error('user cancelled')));
      return json(503, {});
    });
    const client = testClient(fetch, { timeoutMs: 0, retry: { baseDelayMs: 60_000, maxDelayMs: 60_000, random: () => 1 } });
    const started = Date.now();
    const error = await client.operations.getThing(thing, { signal: controller.signal }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AbortError);
    expect(((error as AbortError).cause as Error).message).toBe('user cancelled');
    expect(Date.now() - started).toBeLessThan(5000);
    expect(fetch.seen).toHaveLength(1);
  });

  it('does not send at all when the signal is already aborted', async () => {
    const fetch = scriptedFetch((_url, init) => Promise.reject(init.signal?.reason));
    const error = await testClient(fetch)
      .operations.getThing(thing, { signal: AbortSignal.abort() })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AbortError);
  });

  it('passes an abort during the backoff through an injected clock', async () => {
    const controller = new AbortController();
    const clock = fakeClock();
    const fetch = scriptedFetch(() => {
      controller.abort();
      return json(500, {});
    });
    const client = testClient(fetch, { retry: { clock } });
    const error = await client.operations.getThing(thing, { signal: controller.signal }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AbortError);
    expect(clock.waits).toHaveLength(1);
  });
});

describe('error messages', () => {
  it('name the operation, and a RateLimitError says how long the server asked to wait', async () => {
    const fetch = scriptedFetch(json(429, {}, { 'retry-after': '120' }));
    const error = (await testClient(fetch, { retry: { maxRetryAfterMs: 1000 } }).operations.getThing(thing).catch((e: unknown) => e)) as Error;
    expect(error.name).toBe('RateLimitError');
    expect(error.message).toContain('(getThing)');
    expect(error.message).toContain('the server asked to wait 120 s');
  });

  it('name the root cause code of a network failure', async () => {
    const error = (await testClient(scriptedFetch(connectionReset()), { retry: { maxRetries: 0 } }).operations.getThing(thing).catch((e: unknown) => e)) as NetworkError;
    expect(error.code).toBe('ECONNRESET');
    expect(error.message).toContain('(ECONNRESET)');
  });
});

describe('response bodies', () => {
  it('never surfaces an HTML 502 from a proxy as a SyntaxError', async () => {
    const fetch = scriptedFetch(new Response('<html>502 Bad Gateway</html>', { status: 502, headers: { 'content-type': 'text/html' } }));
    const error = await testClient(fetch, { retry: { maxRetries: 0 } }).operations.getThing(thing).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ServerError);
    expect(error).toMatchObject({ status: 502, body: '<html>502 Bad Gateway</html>' });
  });

  it('keeps an empty error body as undefined', async () => {
    const fetch = scriptedFetch(new Response(null, { status: 404 }));
    const error = await testClient(fetch).operations.getThing(thing).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NotFoundError);
    expect((error as NotFoundError).body).toBeUndefined();
  });

  it('reports a 201 with no body, where JSON is declared, as an UnexpectedResponseError with its status', async () => {
    const fetch = scriptedFetch(new Response('', { status: 201 }));
    const error = await testClient(fetch).operations.sendMessage({ body: {} } as never).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UnexpectedResponseError);
    expect(error).not.toBeInstanceOf(SyntaxError);
    expect(error).toMatchObject({ status: 201, bodyText: '' });
    expect((error as Error).message).toContain('accepted the request');
  });

  it('reports a 200 with an HTML body as an UnexpectedResponseError', async () => {
    const fetch = scriptedFetch(new Response('<html>captive portal</html>', { status: 200, headers: { 'content-type': 'text/html' } }));
    const error = await testClient(fetch).operations.getThing(thing).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UnexpectedResponseError);
    expect((error as UnexpectedResponseError).bodyText).toBe('<html>captive portal</html>');
  });

  it('returns undefined for a 204 and ignores the body of an operation that declares none', async () => {
    const fetch = scriptedFetch(new Response(null, { status: 204 }));
    await expect(testClient(fetch).operations.deleteThing(thing)).resolves.toBeUndefined();
  });

  it('keeps the error headers and finds the request id', async () => {
    const fetch = scriptedFetch(json(404, { message: 'gone' }, { 'x-request-id': 'req-42' }));
    const error = (await testClient(fetch).operations.getThing(thing).catch((e: unknown) => e)) as NotFoundError;
    expect(error.requestId).toBe('req-42');
    expect(error.headers['content-type']).toBe('application/json');
  });
});

describe('int64 fields', () => {
  it('returns int64 fields as exact strings, small or large, and leaves other numbers alone', async () => {
    const text = '{"items":[{"seq":98211023614189660,"n":1},{"seq":5,"n":2}],"total":9007199254740993,"ratio":0.5}';
    const fetch = scriptedFetch(new Response(text, { status: 200, headers: { 'content-type': 'application/json' } }));
    expect(await testClient(fetch).operations.getBig({} as never)).toEqual({
      items: [
        { seq: '98211023614189660', n: 1 },
        { seq: '5', n: 2 },
      ],
      total: '9007199254740993',
      ratio: 0.5,
    });
  });
});

describe('credentials', () => {
  it('sends the bearer token to the API', async () => {
    const fetch = scriptedFetch(json(200, {}));
    await testClient(fetch).operations.getThing(thing);
    expect(fetch.seen[0]?.headers.get('authorization')).toBe(`Bearer ${SECRET}`);
  });

  it('does not send the token for an operation whose spec has no security', async () => {
    const fetch = scriptedFetch(json(200, {}));
    await testClient(fetch).operations.publicThing({} as never);
    expect(fetch.seen[0]?.headers.get('authorization')).toBeNull();
  });

  it('does not send the token to a URL outside the base URL', async () => {
    const fetch = scriptedFetch(json(201, {}));
    await testClient(fetch).sendTo('sendMessage', 'https://storage.example.test/upload', { body: {} });
    expect(fetch.seen[0]?.url).toBe('https://storage.example.test/upload');
    expect(fetch.seen[0]?.headers.get('authorization')).toBeNull();
  });

  it('replays a request once after a 401 when the credentials were renewed', async () => {
    let token = 'old';
    let renewals = 0;
    const fetch = scriptedFetch((_url, init) =>
      new Headers(init.headers).get('authorization') === 'Bearer new' ? json(200, { ok: true }) : json(401, {}),
    );
    const client = testClient(fetch, {
      credentials: () => ({
        apply: (request) => {
          request.headers.authorization = `Bearer ${token}`;
        },
        renew: async () => {
          renewals++;
          token = 'new';
          return true;
        },
      }),
    });
    await expect(client.operations.getThing(thing)).resolves.toEqual({ ok: true });
    expect(renewals).toBe(1);
    expect(fetch.seen.map((request) => request.headers.get('authorization'))).toEqual(['Bearer old', 'Bearer new']);
  });

  it('surfaces the second 401 instead of renewing again', async () => {
    let renewals = 0;
    const fetch = scriptedFetch(json(401, { error: 'invalid_token' }));
    const client = testClient(fetch, {
      credentials: () => ({
        apply: (request) => {
          request.headers.authorization = 'Bearer x';
        },
        renew: async () => ++renewals > 0,
      }),
    });
    const error = await client.operations.sendMessage({ body: {} } as never).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthenticationError);
    expect(renewals).toBe(1);
    expect(fetch.seen).toHaveLength(2);
  });
});

describe('redaction', () => {
  function everything(error: unknown): string {
    const seen = new Set<unknown>();
    const parts: string[] = [];
    const walk = (value: unknown): void => {
      if (value === null || value === undefined || seen.has(value)) return;
      if (typeof value !== 'object') {
        parts.push(String(value));
        return;
      }
      seen.add(value);
      if (value instanceof Error) parts.push(value.message, value.stack ?? '');
      for (const key of Reflect.ownKeys(value)) walk((value as Record<string | symbol, unknown>)[key]);
      if (value instanceof Error) walk(value.cause);
    };
    walk(error);
    return parts.join('\n');
  }

  it('keeps a query token out of an HTTP error, its URL, body and message', async () => {
    const fetch = scriptedFetch(json(400, { echoed: `bad token ${SECRET}` }));
    const error = await testClient(fetch, { query: true }).operations.getThing(thing).catch((e: unknown) => e);
    expect(fetch.seen[0]?.url).toContain('access_token=');
    expect((error as ClientError).message).toContain('access_token=[REDACTED]');
    expect(everything(error)).not.toContain(SECRET);
    expect(everything(error)).not.toContain(encodeURIComponent(SECRET));
  });

  it('keeps a token out of a NetworkError and its causes', async () => {
    const cause = new TypeError(`Failed to parse URL from ${BASE_URL}/things/7?access_token=${encodeURIComponent(SECRET)}`);
    const fetch = scriptedFetch(cause);
    const error = await testClient(fetch, { query: true, retry: { maxRetries: 0 } }).operations.getThing(thing).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NetworkError);
    expect(everything(error)).not.toContain(encodeURIComponent(SECRET));
    expect(((error as NetworkError).cause as Error).message).toContain('[REDACTED]');
  });

  it('keeps a token out of a TimeoutError', async () => {
    const fetch = scriptedFetch((_url, init) => new Promise<Response>((_r, reject) => init.signal?.addEventListener('abort', () => reject(init.signal?.reason))));
    const error = await testClient(fetch, { query: true, timeoutMs: 10 }).operations.getThing(thing).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TimeoutError);
    expect(everything(error)).not.toContain(encodeURIComponent(SECRET));
  });

  it('keeps the Authorization header out of the error headers and log lines', async () => {
    const lines: RequestLogEntry[] = [];
    const fetch = scriptedFetch(json(503, {}, { 'set-cookie': 'session=abc' }), json(404, {}));
    const client = testClient(fetch, { query: true, onLog: (entry) => lines.push(entry), retry: { clock: fakeClock(), random: () => 1 } });
    const error = await client.operations.getThing(thing).catch((e: unknown) => e);
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatchObject({ attempt: 1, status: 503, retryInMs: 500, operationId: 'getThing', method: 'GET' });
    expect(lines[0]?.url).toBe(`${BASE_URL}/things/7?access_token=[REDACTED]`);
    expect(JSON.stringify(lines)).not.toContain(encodeURIComponent(SECRET));
    expect(everything(error)).not.toContain(encodeURIComponent(SECRET));
  });

  it('logs a network failure by name only', async () => {
    const lines: RequestLogEntry[] = [];
    const fetch = scriptedFetch(connectionReset());
    await testClient(fetch, { onLog: (entry) => lines.push(entry), retry: { maxRetries: 0 } })
      .operations.sendMessage({ body: {} } as never)
      .catch(() => undefined);
    expect(lines).toEqual([expect.objectContaining({ error: 'TypeError', attempt: 1 })]);
  });
});

describe('the openapi-fetch calling style', () => {
  it('returns data and response on success', async () => {
    const fetch = scriptedFetch(json(200, { id: 7 }));
    const result = await testClient(fetch).raw.GET('/things/{id}' as never, rawThing);
    expect(result.data).toEqual({ id: 7 });
    expect(result.response.status).toBe(200);
  });

  it('returns the parsed error body without throwing', async () => {
    const fetch = scriptedFetch(json(404, { message: 'nope' }));
    const result = await testClient(fetch).raw.GET('/things/{id}' as never, rawThing);
    expect(result.error).toEqual({ message: 'nope' });
    expect(result.data).toBeUndefined();
  });

  it('applies the same retry rules to the raw style', async () => {
    const fetch = scriptedFetch(json(502, {}), json(201, {}));
    const result = await testClient(fetch, { retry: { clock: fakeClock() } }).raw.POST('/messages' as never, { body: {} } as never);
    expect(result.response.status).toBe(502);
    expect(fetch.seen).toHaveLength(1);
  });
});
