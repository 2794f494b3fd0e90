/**
 * Faults on demand: the fake makes the next call (or the next N calls) of an operation fail as a real server or
 * network would, so that a bot's error handling can be tested, with the client's own retry policy at work.
 */
import { describe, expect, it } from 'vitest';
import { NetworkError, RateLimitError, ServerError, TimeoutError, UnexpectedResponseError } from '../../src/core/index.js';
import { createPachcaClient } from '../../src/pachca/index.js';
import { createFakeApi } from '../../src/testing/index.js';
import { fakeClock } from '../support/fake-clock.js';

async function setUp(maxRetries = 3) {
  const fake = await createFakeApi('pachca');
  const clock = fakeClock();
  const pachca = createPachcaClient({ token: 'fault-test-token', ...fake.clientOptions, retry: { clock, random: () => 1, maxRetries } });
  return { fake, pachca, clock };
}

const hello = { body: { message: { entity_id: 334, content: 'Привет' } } };

describe('faults on demand', () => {
  it('answers the next call with 429 and Retry-After; the client waits that long, retries, and the send happens once', async () => {
    const { fake, pachca, clock } = await setUp();
    fake.failNext('createMessage', { status: 429, retryAfter: 7 });
    const sent = await pachca.createMessage(hello);
    expect(clock.waits).toEqual([7000]);
    expect(fake.calls.map((call) => [call.operationId, call.status, call.fault])).toEqual([
      ['createMessage', 429, 'status 429'],
      ['createMessage', 201, undefined],
    ]);
    // The 429 stored nothing: one message in the chat besides the example.
    expect((await pachca.listChatMessages({ chat_id: 334 })).data.map((message) => message.id)).toEqual([sent.data.id, 194275]);
    expect(fake.calls[0]?.body).toEqual(hello.body);
  });

  it('answers the next N calls with the fault, then behaves again', async () => {
    const { fake, pachca } = await setUp(2);
    fake.failNext('createMessage', { status: 429, retryAfter: 1 }, { times: 3 });
    const error = await pachca.createMessage(hello).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(RateLimitError);
    expect(error).toMatchObject({ status: 429, retryAfterMs: 1000, body: { errors: [{ code: 'too_many_requests' }] } });
    expect(fake.calls.map((call) => call.status)).toEqual([429, 429, 429]);
    expect((await pachca.createMessage(hello)).data.content).toBe('Привет');
  });

  it('uses the spec’s Retry-After example for 429 unless told otherwise, and any status with its declared body', async () => {
    const { fake, pachca, clock } = await setUp(0);
    fake.failNext('getMessage', { status: 429 });
    await expect(pachca.getMessage({ id: 194275 })).rejects.toMatchObject({ name: 'RateLimitError', retryAfterMs: 1000 });
    fake.failNext('getMessage', { status: 404 });
    await expect(pachca.getMessage({ id: 194275 })).rejects.toMatchObject({ status: 404, body: { errors: [{ code: 'not_found' }] } });
    fake.failNext('getMessage', { status: 503, body: { errors: [] } });
    await expect(pachca.getMessage({ id: 194275 })).rejects.toBeInstanceOf(ServerError);
    expect(clock.waits).toEqual([]);
  });

  it('resets the connection: an idempotent call is retried and succeeds, a send is not repeated', async () => {
    const { fake, pachca } = await setUp();
    fake.failNext('getMessage', { kind: 'reset' });
    expect((await pachca.getMessage({ id: 194275 })).data.id).toBe(194275);
    expect(fake.calls.map((call) => [call.status, call.fault])).toEqual([
      [undefined, 'reset'],
      [200, undefined],
    ]);
    fake.failNext('createMessage', { kind: 'reset' });
    const error = await pachca.createMessage(hello).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(NetworkError);
    expect(error).toMatchObject({ code: 'ECONNRESET', operationId: 'createMessage' });
    expect(fake.calls.filter((call) => call.operationId === 'createMessage')).toHaveLength(1);
  });

  it('stalls until the caller’s deadline, which ends the call with a TimeoutError', async () => {
    const fake = await createFakeApi('pachca');
    const pachca = createPachcaClient({ token: 'fault-test-token', ...fake.clientOptions, timeoutMs: 50 });
    fake.failNext('getMessage', { kind: 'stall' });
    const error = await pachca.getMessage({ id: 194275 }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(TimeoutError);
    expect(fake.calls).toMatchObject([{ operationId: 'getMessage', status: undefined, fault: 'stall' }]);
    const controller = new AbortController();
    fake.failNext('getMessage', { kind: 'stall' });
    const aborted = pachca.getMessage({ id: 194275 }, { signal: controller.signal, timeoutMs: 0 }).catch((caught: unknown) => caught);
    controller.abort(new Error('bot shutting down'));
    expect(await aborted).toMatchObject({ name: 'AbortError' });
  });

  it('answers a success with the wrong shape, which the client reports as an unexpected response', async () => {
    const { fake, pachca } = await setUp();
    fake.failNext('getMessage', { kind: 'wrong-shape' });
    await expect(pachca.getMessage({ id: 194275 })).rejects.toBeInstanceOf(UnexpectedResponseError);
    fake.failNext('getMessage', { kind: 'wrong-shape', body: { data: 'not a message' } });
    await expect(pachca.getMessage({ id: 194275 })).rejects.toBeInstanceOf(UnexpectedResponseError);
    expect(fake.calls.map((call) => call.status)).toEqual([200, 200]);
  });

  it('fails any operation with *, in order, and refuses a fault it cannot play', async () => {
    const { fake, pachca } = await setUp(0);
    fake.failNext('*', { status: 500 });
    fake.failNext('getChat', { status: 403 });
    await expect(pachca.getChat({ id: 334 })).rejects.toMatchObject({ status: 403 });
    await expect(pachca.getMessage({ id: 194275 })).rejects.toMatchObject({ status: 500 });
    expect((await pachca.getMessage({ id: 194275 })).data.id).toBe(194275);
    expect(() => fake.failNext('sendEverything', { status: 500 })).toThrow('sendEverything is not an operation of pachca');
    expect(() => fake.failNext('getChat', { status: 99 })).toThrow(TypeError);
    expect(() => fake.failNext('getChat', { status: 500 }, { times: 0 })).toThrow(TypeError);
    expect(() => fake.failNext('getChat', { kind: 'explode' as never })).toThrow(TypeError);
    expect(() => fake.failNext('getChat', { status: 429, retryAfter: -1 })).toThrow('retryAfter must be');
    expect(() => fake.failNext('getChat', { status: 429, retryAfter: 'soon\r\nx: y' })).toThrow('retryAfter must be');
    expect(() => fake.failNext('getChat', null as never)).toThrow('a fault must be an object');
  });
});
