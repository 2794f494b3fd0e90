/**
 * OpenTelemetry through the SDK's in-memory exporter: the span, its events and the metrics of a call that was
 * throttled, paused and retried after a 429 and then succeeded, of one that failed on the network, and of a
 * token renewal; that nothing is recorded (or allocated) without an SDK; and that the fetch runs inside the
 * call's span, so a fetch instrumentation's spans nest under it.
 */
import { context, metrics, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { AlwaysOffSampler, BasicTracerProvider } from '@opentelemetry/sdk-trace-base';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { repoRoot } from '../../scripts/lib/apis.js';
import { NetworkError, PermissionDeniedError } from '../../src/core/index.js';
import { lazyTelemetry } from '../../src/core/telemetry/lazy.js';
import { createTelemetry } from '../../src/core/telemetry/telemetry.js';
import { createOkClient } from '../../src/ok/index.js';
import { createPachcaClient } from '../../src/pachca/index.js';
import { createUnetAuth, createUnetClient } from '../../src/unet/index.js';
import { spanTree, testTelemetry } from '../support/telemetry.js';
import { connectionReset, fakeClock, json, scriptedFetch } from './helpers.js';

const TOKEN = 'pachca-telemetry-token-0123456789';
const created = { data: { id: 7, entity_id: 334, content: 'hi' } };
const message = { message: { entity_id: 334, content: 'hi' } };

afterEach(() => {
  trace.disable();
  metrics.disable();
  context.disable();
});

describe('a call that was throttled, paused by a 429, retried and then succeeded', () => {
  it('is one span with the HTTP client attributes, an event per attempt and wait, and three metrics', async () => {
    const clock = fakeClock();
    const telemetry = testTelemetry();
    const fetch = scriptedFetch(json(201, created), json(429, { errors: [] }, { 'retry-after': '2' }), json(201, created, { 'x-request-id': 'req-2' }));
    const pachca = createPachcaClient({
      token: TOKEN,
      fetch,
      retry: { clock },
      throttle: { budgets: { messageWrites: [{ limit: 1, windowMs: 1000 }] } },
      telemetry: telemetry.options,
    });
    await pachca.createMessage({ body: message });
    telemetry.reset();
    await pachca.createMessage({ body: message });

    const [span, ...others] = telemetry.spans();
    expect(others).toEqual([]);
    expect(span?.name).toBe('pachca.createMessage');
    expect(span?.kind).toBe(2); // SpanKind.CLIENT
    expect(span?.attributes).toEqual({
      'api_client.api': 'pachca',
      'api_client.operation': 'createMessage',
      'http.request.method': 'POST',
      'url.full': 'https://api.pachca.com/api/shared/v1/messages',
      'server.address': 'api.pachca.com',
      'server.port': 443,
      'http.response.status_code': 201,
      'api_client.attempts': 2,
    });
    expect(span?.status.code).toBe(0);
    expect(span?.events.map((event) => [event.name, event.attributes])).toEqual([
      ['throttle.queued', { 'api_client.throttle.budget': 'messageWrites', 'api_client.throttle.queued_ms': 1000 }],
      ['attempt', { 'api_client.attempt': 1, 'http.response.status_code': 429, 'api_client.duration_ms': 0 }],
      ['rate_limit.pause', { 'api_client.throttle.budget': 'messageWrites', 'api_client.rate_limit.pause_ms': 2000 }],
      ['retry', { 'api_client.attempt': 1, 'api_client.retry.reason': 'rate_limited', 'api_client.retry.wait_ms': 2000, 'http.response.status_code': 429 }],
      ['attempt', { 'api_client.attempt': 2, 'http.response.status_code': 201, 'api_client.duration_ms': 0 }],
    ]);

    const points = await telemetry.metrics();
    const base = { 'api_client.api': 'pachca', 'api_client.operation': 'createMessage' };
    expect(points.filter((point) => point.name === 'api_client.call.duration')).toEqual([
      { name: 'api_client.call.duration', unit: 's', attributes: { ...base, 'api_client.outcome': 'success' }, value: { count: 2, sum: 3 } },
    ]);
    expect(points.filter((point) => point.name === 'api_client.retries')).toEqual([
      { name: 'api_client.retries', unit: '{retry}', attributes: { ...base, 'api_client.retry.reason': 'rate_limited' }, value: 1 },
    ]);
    // Three acquisitions: the first call's, and the second call's before each of its attempts.
    expect(points.filter((point) => point.name === 'api_client.throttle.queue_time')).toEqual([
      { name: 'api_client.throttle.queue_time', unit: 's', attributes: { ...base, 'api_client.throttle.budget': 'messageWrites' }, value: { count: 3, sum: 1 } },
    ]);
    // The README shows this very tree.
    const readme = await readFile(path.join(repoRoot, 'README.md'), 'utf8');
    expect(readme).toContain(`\n${spanTree(span as never)}\n`);
  });
});

describe('a call that failed with a network error', () => {
  it('ends its span with error.type and an ERROR status, after an event per attempt and per backoff', async () => {
    const clock = fakeClock();
    const telemetry = testTelemetry();
    const pachca = createPachcaClient({ token: TOKEN, fetch: scriptedFetch(connectionReset()), retry: { clock, maxRetries: 2, random: () => 1 }, telemetry: telemetry.options });
    const error = await pachca.getMessage({ id: 5 }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(NetworkError);

    const [span] = telemetry.spans();
    expect(span?.name).toBe('pachca.getMessage');
    expect(span?.attributes).toEqual({
      'api_client.api': 'pachca',
      'api_client.operation': 'getMessage',
      'http.request.method': 'GET',
      'url.full': 'https://api.pachca.com/api/shared/v1/messages/5',
      'server.address': 'api.pachca.com',
      'server.port': 443,
      'api_client.attempts': 3,
      'error.type': 'NetworkError',
    });
    expect(span?.status).toEqual({ code: 2, message: (error as Error).message });
    expect(span?.events.map((event) => [event.name, event.attributes])).toEqual([
      ['attempt', { 'api_client.attempt': 1, 'error.type': 'NetworkError', 'api_client.error.code': 'ECONNRESET', 'api_client.duration_ms': 0 }],
      ['retry', { 'api_client.attempt': 1, 'api_client.retry.reason': 'network_error', 'api_client.retry.wait_ms': 500 }],
      ['attempt', { 'api_client.attempt': 2, 'error.type': 'NetworkError', 'api_client.error.code': 'ECONNRESET', 'api_client.duration_ms': 0 }],
      ['retry', { 'api_client.attempt': 2, 'api_client.retry.reason': 'network_error', 'api_client.retry.wait_ms': 1000 }],
      ['attempt', { 'api_client.attempt': 3, 'error.type': 'NetworkError', 'api_client.error.code': 'ECONNRESET', 'api_client.duration_ms': 0 }],
      ['exception', { 'exception.type': 'NetworkError', 'exception.message': (error as Error).message }],
    ]);
    const points = await telemetry.metrics();
    expect(points.find((point) => point.name === 'api_client.call.duration')).toEqual({
      name: 'api_client.call.duration',
      unit: 's',
      attributes: { 'api_client.api': 'pachca', 'api_client.operation': 'getMessage', 'api_client.outcome': 'error', 'error.type': 'NetworkError' },
      value: { count: 1, sum: 1.5 },
    });
    expect(points.find((point) => point.name === 'api_client.retries')?.value).toBe(2);
  });

  it('gives an HTTP error the status as error.type, and a 403 its scope in the status message', async () => {
    const telemetry = testTelemetry();
    const body = { error: 'insufficient_scope', error_description: 'The token lacks a scope' };
    const pachca = createPachcaClient({ token: TOKEN, fetch: scriptedFetch(json(403, body)), telemetry: telemetry.options });
    const error = await pachca.createMessage({ body: message }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(PermissionDeniedError);
    const [span] = telemetry.spans();
    expect(span?.attributes['error.type']).toBe('403');
    expect(span?.attributes['http.response.status_code']).toBe(403);
    expect(span?.status.message).toContain('the operation needs the scope messages:create');
  });
});

describe('a call refused before anything was sent', () => {
  it('is a span with the class of the validation error as error.type, no attempt and no HTTP attributes', async () => {
    const telemetry = testTelemetry();
    const fetch = scriptedFetch(json(201, created));
    const pachca = createPachcaClient({ token: TOKEN, fetch, telemetry: telemetry.options });
    const nineButtons = Array.from({ length: 9 }, (_, i) => ({ text: `b${i}`, data: `d${i}` }));
    await pachca.createMessage({ body: { message: { entity_id: 1, content: 'x', buttons: [nineButtons] } } }).catch(() => undefined);
    await (pachca.getMessage as (input: unknown) => Promise<unknown>)({ id: 1, nonsense: true }).catch(() => undefined);
    expect(fetch.seen).toEqual([]);
    expect(telemetry.spans().map((span) => [span.name, span.attributes['error.type'], span.attributes['api_client.attempts'], span.attributes['url.full']])).toEqual([
      ['pachca.createMessage', 'ButtonLayoutError', 0, undefined],
      ['pachca.getMessage', 'RequestValidationError', 0, undefined],
    ]);
  });
});

describe('an error body under a success status', () => {
  it("takes the error's class as error.type, since the status says nothing", async () => {
    const telemetry = testTelemetry();
    const ok = createOkClient({ accessToken: 'ok-telemetry-token-0123', fetch: scriptedFetch(json(200, { error_code: 10, error_msg: 'PERMISSION_DENIED : no', error_data: null })), telemetry: telemetry.options });
    await ok.getChat({ chat_id: 'chat:C1' }).catch(() => undefined);
    const [span] = telemetry.spans();
    expect([span?.name, span?.attributes['error.type'], span?.attributes['http.response.status_code']]).toEqual(['ok.getChat', 'OkApiError', 200]);
  });
});

describe('a token renewal after a 401', () => {
  it('is an event with its outcome, followed by a replay at once', async () => {
    const telemetry = testTelemetry();
    const tokenEndpoint = scriptedFetch(json(200, { access_token: 'fresh-access-token-0123', refresh_token: 'fresh-refresh-0123', resource_uri: 'https://u1.unet.test/api/' }));
    const auth = createUnetAuth({ clientId: 'app', clientSecret: 'client-secret-0123456', redirectUri: 'https://example.com/cb', fetch: tokenEndpoint, telemetry: telemetry.options });
    const unet = createUnetClient({
      tokens: { accessToken: 'stale-access-token-0123', refreshToken: 'stale-refresh-0123', resourceUri: 'https://u1.unet.test/api/' },
      auth,
      fetch: scriptedFetch(json(401, { error: 'invalid_token', error_description: 'expired' }), json(200, { id: 1 })),
      telemetry: telemetry.options,
    });
    await unet.getMessage({ id: 1 });
    const span = telemetry.spans().find((candidate) => candidate.name === 'unet.getMessage');
    expect(span?.events.map((event) => [event.name, event.attributes?.['api_client.renewal.outcome'] ?? event.attributes?.['api_client.retry.reason']])).toEqual([
      ['attempt', undefined],
      ['credentials.renewal', 'renewed'],
      ['retry', 'credentials_renewed'],
      ['attempt', undefined],
    ]);
    expect(span?.attributes['api_client.attempts']).toBe(2);
    // The token endpoint's call is its own span, named after its operation.
    expect(telemetry.spans().map((candidate) => candidate.name).sort()).toEqual(['unet.getMessage', 'unet.requestToken']);
  });
});

describe('without an SDK', () => {
  it('starts nothing for a call, and starts recording once a provider is registered globally', () => {
    const clock = fakeClock();
    const telemetry = createTelemetry('pachca', undefined, clock);
    expect(telemetry.start('createMessage', 'POST')).toBeUndefined();
    const provider = new BasicTracerProvider();
    trace.setGlobalTracerProvider(provider);
    const call = telemetry.start('createMessage', 'POST');
    expect(call).toBeDefined();
    call?.end({ status: 201 });
  });

  it('records metrics alone when only a meter provider is registered, even after the client was made', async () => {
    const telemetry = createTelemetry('pachca', undefined, fakeClock());
    expect(telemetry.start('getMessage', 'GET')).toBeUndefined();
    const sdk = testTelemetry();
    metrics.setGlobalMeterProvider(sdk.meterProvider);
    const call = telemetry.start('getMessage', 'GET');
    call?.attemptStarted();
    call?.attemptEnded({ status: 200 });
    call?.end({ status: 200 });
    expect(sdk.spans()).toEqual([]);
    expect((await sdk.metrics()).map((point) => [point.name, point.attributes['api_client.outcome']])).toEqual([['api_client.call.duration', 'success']]);
  });

  it('starts nothing for a span the sampler drops when no meter is registered either', () => {
    const telemetry = createTelemetry('pachca', { tracerProvider: new BasicTracerProvider({ sampler: new AlwaysOffSampler() }) }, fakeClock());
    expect(telemetry.start('createMessage', 'POST')).toBeUndefined();
  });

  it('loads nothing until a provider is registered, then hands over the telemetry once it has loaded', async () => {
    const lazy = lazyTelemetry('pachca', undefined, fakeClock());
    expect(lazy.ready()).toBeUndefined();
    const sdk = testTelemetry();
    trace.setGlobalTracerProvider(sdk.tracerProvider);
    const loading = lazy.ready();
    expect(loading).toBeInstanceOf(Promise);
    const loaded = await loading;
    expect(lazy.ready()).toBe(loaded);
    const call = loaded?.start('createMessage', 'POST');
    call?.end({ status: 201 });
    expect(sdk.spans().map((span) => span.name)).toEqual(['pachca.createMessage']);
  });

  it('records the first call a client makes after an SDK is registered, though the client was made before it', async () => {
    const fetch = scriptedFetch(json(201, created));
    const pachca = createPachcaClient({ token: TOKEN, fetch });
    await pachca.createMessage({ body: message });
    const sdk = testTelemetry();
    trace.setGlobalTracerProvider(sdk.tracerProvider);
    await pachca.createMessage({ body: message });
    expect(sdk.spans().map((span) => [span.name, span.attributes['http.response.status_code']])).toEqual([['pachca.createMessage', 201]]);
    expect(fetch.seen).toHaveLength(2);
  });

  it('sends a call with no observer at all', async () => {
    let observed: unknown = 'not called';
    const fetch = scriptedFetch(json(201, created));
    const pachca = createPachcaClient({ token: TOKEN, fetch });
    await pachca.createMessage({ body: message });
    // With no SDK the call's span context stays the root: no span was made active around the fetch.
    observed = trace.getActiveSpan();
    expect(observed).toBeUndefined();
    expect(fetch.seen).toHaveLength(1);
  });
});

describe('the telemetry option', () => {
  it('is refused, before anything is sent, when it is not an object of providers', () => {
    const create = (telemetry: unknown) => () => createPachcaClient({ token: TOKEN, fetch: scriptedFetch(), telemetry: telemetry as never });
    expect(create(5)).toThrow('telemetry: must be an object; nothing was sent');
    expect(create({ tracer: new BasicTracerProvider() })).toThrow('telemetry.tracer: is not an option (tracerProvider and meterProvider are)');
    expect(create({ tracerProvider: {} })).toThrow('telemetry.tracerProvider: must be an OpenTelemetry TracerProvider');
    expect(create({ meterProvider: null })).toThrow('telemetry.meterProvider: must be an OpenTelemetry MeterProvider');
    expect(create({ tracerProvider: undefined })).not.toThrow();
  });
});

describe('the unclear-send lookup hook', () => {
  it('records a lookup as an event with its outcome and duration', () => {
    const sdk = testTelemetry();
    const call = createTelemetry('pachca', sdk.options, fakeClock()).start('createMessage', 'POST');
    call?.lookedUp('recovered', 120);
    call?.end({ status: 201 });
    expect(sdk.spans()[0]?.events.map((event) => [event.name, event.attributes])).toEqual([
      ['send.lookup', { 'api_client.lookup.outcome': 'recovered', 'api_client.duration_ms': 120 }],
    ]);
  });

  it('a sendExactlyOnce whose send was unclear is a span with a send.lookup event, its calls nested under it', async () => {
    context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
    const sdk = testTelemetry();
    const posted = {
      id: 9001,
      entity_type: 'discussion',
      entity_id: 334,
      chat_id: 334,
      root_chat_id: 334,
      content: 'hi',
      user_id: 2,
      created_at: new Date().toISOString(),
      url: 'https://app.pachca.com/chats/334?message=9001',
      files: [],
      buttons: null,
      thread: null,
      forwarding: null,
      parent_message_id: null,
      changed_at: null,
      deleted_at: null,
    };
    const tokenInfo = { data: { id: 1, token: 'tok…123', name: 'bot', user_id: 2, scopes: [], created_at: '2026-08-01T00:00:00.000Z', revoked_at: null, expires_in: null, last_used_at: null } };
    const fetch = scriptedFetch((url, init) => {
      if (init.method === 'POST') throw connectionReset();
      if (url.endsWith('/oauth/token/info')) return json(200, tokenInfo);
      return json(200, { data: [posted], meta: { paginate: { has_next: false, next_page: null } } }, { 'x-request-id': 'req-list' });
    });
    const pachca = createPachcaClient({ token: TOKEN, fetch, retry: { maxRetries: 0 }, telemetry: sdk.options });

    const answer = await pachca.sendExactlyOnce({ body: message }, { settleMs: 0 }).withResponse();
    expect(answer.data).toMatchObject({ data: { id: 9001 }, recovered: true });
    expect(answer.requestId).toBe('req-list');
    expect(fetch.seen.filter((request) => request.method === 'POST')).toHaveLength(1);

    const spans = sdk.spans();
    const procedure = spans.find((span) => span.name === 'pachca.sendExactlyOnce');
    expect(procedure?.attributes).toEqual({ 'api_client.api': 'pachca', 'api_client.operation': 'createMessage', 'http.response.status_code': 200 });
    const events = procedure?.events.map((event) => [event.name, event.attributes?.['api_client.lookup.outcome']]);
    expect(events).toEqual([['send.lookup', 'recovered']]);
    expect(procedure?.events[0]?.attributes?.['api_client.duration_ms']).toBeTypeOf('number');
    // The send and the look-up's reads are the procedure's children.
    const children = spans.filter((span) => span.parentSpanContext?.spanId === procedure?.spanContext().spanId).map((span) => span.name);
    expect(children).toEqual(['pachca.createMessage', 'pachca.getTokenInfo', 'pachca.listChatMessages']);
  });
});

describe('the fetch runs inside the call span', () => {
  it('so the span a fetch instrumentation starts is a child of the call span', async () => {
    context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
    const telemetry = testTelemetry();
    let activeDuringFetch: string | undefined;
    const fetch = scriptedFetch(() => {
      activeDuringFetch = trace.getActiveSpan()?.spanContext().spanId;
      return json(200, { data: { id: 5 } });
    });
    const pachca = createPachcaClient({ token: TOKEN, fetch, telemetry: telemetry.options });
    await pachca.getMessage({ id: 5 });
    const [span] = telemetry.spans();
    expect(activeDuringFetch).toBe(span?.spanContext().spanId);
  });
});
