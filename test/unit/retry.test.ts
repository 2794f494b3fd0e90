import { describe, expect, it } from 'vitest';
import { NetworkError, RateLimitError, ServerError, HttpError } from '../../src/core/errors/errors.js';
import { backoffDelay, defaultRetryPolicy, resolveRetryPolicy, retryDelay } from '../../src/core/exchange/retry.js';
import { connectionReset, fakeClock, json, scriptedFetch, testClient } from './helpers.js';

/** Each operation of the test table with its method and whether the spec calls it idempotent. */
const OPERATIONS = [
  ['getThing', 'GET', true],
  ['headThing', 'HEAD', true],
  ['putThing', 'PUT', true],
  ['deleteThing', 'DELETE', true],
  ['optionsThing', 'OPTIONS', true],
  ['openThread', 'POST (x-idempotent)', true],
  ['sendMessage', 'POST', false],
  ['patchThing', 'PATCH', false],
] as const;

const RETRIED_WHEN_IDEMPOTENT = [408, 500, 502, 503, 504];
const NEVER_RETRIED = [400, 401, 403, 404, 409, 422, 501];

function success(operation: string): Response {
  return operation === 'headThing' || operation === 'deleteThing' || operation === 'optionsThing'
    ? new Response(null, { status: 204 })
    : json(200, { ok: true });
}

async function attempts(operation: string, failure: Response | Error): Promise<number> {
  const fetch = scriptedFetch(failure, success(operation));
  const client = testClient(fetch, { retry: { clock: fakeClock(), random: () => 0.5 } });
  const call = client.operations[operation as 'getThing'] as (init: unknown) => Promise<unknown>;
  await call(operation === 'sendMessage' ? { body: { text: 'hi' } } : { id: 1 }).catch(() => undefined);
  return fetch.seen.length;
}

describe('the retry table: method × status × network failure', () => {
  for (const [operation, method, idempotent] of OPERATIONS) {
    it(`${method}: retries a 429 whatever the method`, async () => {
      expect(await attempts(operation, json(429, {}, { 'retry-after': '1' }))).toBe(2);
    });

    for (const status of RETRIED_WHEN_IDEMPOTENT) {
      it(`${method}: ${idempotent ? 'retries' : 'does not retry'} a ${status}`, async () => {
        expect(await attempts(operation, json(status, {}))).toBe(idempotent ? 2 : 1);
      });
    }

    for (const status of NEVER_RETRIED) {
      it(`${method}: does not retry a ${status}`, async () => {
        expect(await attempts(operation, json(status, {}))).toBe(1);
      });
    }

    it(`${method}: ${idempotent ? 'retries' : 'does not retry'} after a dropped connection`, async () => {
      expect(await attempts(operation, connectionReset())).toBe(idempotent ? 2 : 1);
    });
  }
});

describe('a message-sending POST is never sent twice', () => {
  it('surfaces a 502 from the first attempt as a ServerError', async () => {
    const fetch = scriptedFetch(new Response('<html><body>Bad gateway</body></html>', { status: 502, headers: { 'content-type': 'text/html' } }));
    const client = testClient(fetch, { retry: { clock: fakeClock() } });
    const error = await client.operations.sendMessage({ body: { text: 'hi' } } as never).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ServerError);
    expect((error as ServerError).body).toBe('<html><body>Bad gateway</body></html>');
    expect(fetch.seen).toHaveLength(1);
  });

  it('surfaces a dropped connection as a NetworkError with its cause', async () => {
    const fetch = scriptedFetch(connectionReset());
    const client = testClient(fetch, { retry: { clock: fakeClock() } });
    const error = await client.operations.sendMessage({ body: { text: 'hi' } } as never).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NetworkError);
    expect(((error as NetworkError).cause as Error).message).toBe('fetch failed');
    expect((((error as NetworkError).cause as Error).cause as { code: string }).code).toBe('ECONNRESET');
    expect(fetch.seen).toHaveLength(1);
  });
});

describe('backoff', () => {
  it('doubles from baseDelayMs up to maxDelayMs, scaled by the jitter', () => {
    const policy = resolveRetryPolicy({ baseDelayMs: 100, maxDelayMs: 1000, random: () => 1 });
    expect([0, 1, 2, 3, 4, 5].map((retry) => backoffDelay(policy, retry))).toEqual([100, 200, 400, 800, 1000, 1000]);
    const half = resolveRetryPolicy({ baseDelayMs: 100, maxDelayMs: 1000, random: () => 0.5 });
    expect(backoffDelay(half, 2)).toBe(200);
  });

  it('waits the backoff between attempts and stops after maxRetries', async () => {
    const clock = fakeClock();
    const fetch = scriptedFetch(json(503, {}));
    const client = testClient(fetch, { retry: { clock, random: () => 1, baseDelayMs: 100, maxRetries: 3 } });
    const error = await client.operations.getThing({ id: 1 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ServerError);
    expect(fetch.seen).toHaveLength(4);
    expect(clock.waits).toEqual([100, 200, 400]);
  });

  it('turns retries off with maxRetries: 0', () => {
    expect(retryDelay({ ...defaultRetryPolicy, maxRetries: 0 }, { status: 429 }, true, 0)).toBeUndefined();
  });
});

describe('Retry-After', () => {
  it('waits the number of seconds the server asks for', async () => {
    const clock = fakeClock();
    const fetch = scriptedFetch(json(429, {}, { 'retry-after': '7' }), json(200, {}));
    await testClient(fetch, { retry: { clock } }).operations.getThing({ id: 1 });
    expect(clock.waits).toEqual([7000]);
  });

  it('waits until the HTTP date the server gives', async () => {
    const clock = fakeClock(Date.parse('2026-11-21T12:00:00Z'));
    const fetch = scriptedFetch(json(429, {}, { 'retry-after': 'Sat, 21 Nov 2026 12:00:05 GMT' }), json(200, {}));
    await testClient(fetch, { retry: { clock } }).operations.getThing({ id: 1 });
    expect(clock.waits).toEqual([5000]);
  });

  it('uses the backoff when Retry-After is unusable', async () => {
    const clock = fakeClock();
    const fetch = scriptedFetch(json(429, {}, { 'retry-after': 'soon' }), json(200, {}));
    await testClient(fetch, { retry: { clock, random: () => 1, baseDelayMs: 250 } }).operations.getThing({ id: 1 });
    expect(clock.waits).toEqual([250]);
  });

  it('honours Retry-After on a 503 for an idempotent request', async () => {
    const clock = fakeClock();
    const fetch = scriptedFetch(json(503, {}, { 'retry-after': '2' }), json(200, {}));
    await testClient(fetch, { retry: { clock } }).operations.getThing({ id: 1 });
    expect(clock.waits).toEqual([2000]);
  });

  it('gives up at once when the server asks for more than maxRetryAfterMs, and reports the wait', async () => {
    const clock = fakeClock();
    const fetch = scriptedFetch(json(429, { errors: [] }, { 'retry-after': '3600' }));
    const client = testClient(fetch, { retry: { clock, maxRetryAfterMs: 60_000 } });
    const error = await client.operations.sendMessage({ body: {} } as never).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RateLimitError);
    expect((error as RateLimitError).retryAfterMs).toBe(3_600_000);
    expect(fetch.seen).toHaveLength(1);
    expect(clock.waits).toEqual([]);
  });

  it('retries a rate-limited POST, since the server did not act on it', async () => {
    const clock = fakeClock();
    const fetch = scriptedFetch(json(429, {}, { 'retry-after': '1' }), json(201, { id: 1 }));
    const sent = await testClient(fetch, { retry: { clock } }).operations.sendMessage({ body: {} } as never);
    expect(sent).toEqual({ id: 1 });
    expect(fetch.seen).toHaveLength(2);
  });

  it('does not start a retry that would end after the timeout', async () => {
    const clock = fakeClock();
    const fetch = scriptedFetch(json(429, {}, { 'retry-after': '20' }));
    const client = testClient(fetch, { retry: { clock }, timeoutMs: 10_000 });
    const error = await client.operations.getThing({ id: 1 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RateLimitError);
    expect(error).toBeInstanceOf(HttpError);
    expect(fetch.seen).toHaveLength(1);
  });
});
