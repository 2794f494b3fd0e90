/**
 * Each error message says what happened and what to do, and nothing that is not so. One test per case, comparing
 * the whole message (the closing note of issue 21 quotes these before and after).
 */
import { describe, expect, it } from 'vitest';
import { NetworkError, RateLimitError, RequestValidationError, ServerError, BadRequestError } from '../../src/core/errors/errors.js';
import type { RequestLogEntry } from '../../src/core/exchange/transport.js';
import { createPachcaClient } from '../../src/pachca/index.js';
import { createOkClient, isOkError, OkApiError } from '../../src/ok/index.js';
import { createMockFetch } from '../../src/testing/index.js';
import { repoRoot } from '../../scripts/lib/apis.js';
import path from 'node:path';
import { fakeClock, json, scriptedFetch } from './helpers.js';

const PACHCA = 'https://api.pachca.com/api/shared/v1';
const TOKEN = 'test-token-123456';

async function failure(call: Promise<unknown>): Promise<Error> {
  const error = await call.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  if (!(error instanceof Error)) throw new Error('the call did not fail');
  return error;
}

describe('a request the mock refuses', () => {
  it('shows only the mock’s reason, not the spec’s canned error example about another field', async () => {
    const canned = { errors: [{ key: 'message.files.name', value: null, message: 'Некорректные параметры запроса', code: 'wrong_params' }] };
    // A refusal the client's own checks do not make first (Prism checks the body against the whole schema).
    const violations = [{ location: ['request', 'body', 'message', 'content'], path: ['message', 'content'], severity: 'Error', code: 'maxLength', message: 'must NOT have more than 20000 characters' }];
    const prism = scriptedFetch(json(422, canned, { 'sl-violations': JSON.stringify(violations) }));
    const fetch = await createMockFetch(path.join(repoRoot, 'dist/openapi/pachca.json'), 'http://127.0.0.1:4010', prism);
    const pachca = createPachcaClient({ token: TOKEN, baseUrl: 'http://127.0.0.1:4010', fetch });
    const error = (await failure(pachca.createMessage({ body: { message: { entity_id: 1, content: 'Hello' } } }))) as BadRequestError;
    expect(error.message).toBe(
      'POST http://127.0.0.1:4010/messages (createMessage) failed with 422 Refused by the mock: message.content must NOT have more than 20000 characters',
    );
    expect(error.body).toBeUndefined();
  });
});

describe('an error body', () => {
  it('names only the fields each entry has', async () => {
    const body = { errors: [{ key: 'id' }, { message: 'is too long', code: 'too_long' }, { key: 'name', message: 'is taken' }, {}] };
    const pachca = createPachcaClient({ token: TOKEN, fetch: scriptedFetch(json(400, body)) });
    const error = await failure(pachca.getMessage({ id: 1 }));
    expect(error.message).toBe(`GET ${PACHCA}/messages/1 (getMessage) failed with 400: id; is too long (too_long); name: is taken`);
    expect(error.message).not.toContain('undefined');
  });

  it('gives an OAuth error without a description by its code alone', async () => {
    const pachca = createPachcaClient({ token: TOKEN, fetch: scriptedFetch(json(401, { error: 'invalid_token' })) });
    const error = await failure(pachca.getProfile());
    expect(error.message).toBe(`GET ${PACHCA}/profile (getProfile) failed with 401: invalid_token`);
  });
});

describe('retries that are spent', () => {
  it('a RateLimitError says how many retries were made and how long the server asked to wait', async () => {
    const clock = fakeClock();
    const pachca = createPachcaClient({ token: TOKEN, fetch: scriptedFetch(json(429, {}, { 'retry-after': '2' })), retry: { clock } });
    const error = (await failure(pachca.getProfile())) as RateLimitError;
    expect(error).toBeInstanceOf(RateLimitError);
    expect(error.retries).toBe(3);
    expect(error.message).toBe(`GET ${PACHCA}/profile (getProfile) failed with 429 after 3 retries: the server asked to wait 2 s`);
  });

  it('a ServerError says how many retries were made', async () => {
    const clock = fakeClock();
    const pachca = createPachcaClient({ token: TOKEN, fetch: scriptedFetch(json(503, {})), retry: { clock, maxRetries: 1 } });
    const error = (await failure(pachca.getProfile())) as ServerError;
    expect(error).toBeInstanceOf(ServerError);
    expect(error.message).toBe(`GET ${PACHCA}/profile (getProfile) failed with 503 after 1 retry`);
  });

  it('a 5xx to a send says it was not retried, and why', async () => {
    const pachca = createPachcaClient({ token: TOKEN, fetch: scriptedFetch(json(503, {})) });
    const error = (await failure(pachca.createMessage({ body: { message: { entity_id: 1, content: 'x' } } }))) as ServerError;
    expect(error.retries).toBe(0);
    expect(error.message).toBe(
      `POST ${PACHCA}/messages (createMessage) failed with 503; not retried: the server may have acted on it, and this operation is not safe to repeat`,
    );
  });

  it('a dropped connection during a send says it was not retried, and why', async () => {
    const reset = new TypeError('fetch failed', { cause: Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }) });
    const pachca = createPachcaClient({ token: TOKEN, fetch: scriptedFetch(reset) });
    const error = await failure(pachca.createMessage({ body: { message: { entity_id: 1, content: 'x' } } }));
    expect(error.message).toBe(
      `POST ${PACHCA}/messages (createMessage) failed before a response arrived (ECONNRESET); not retried: the request may have reached the server, and this operation is not safe to repeat`,
    );
  });

  it('a 429 whose wait is longer than maxRetryAfterMs names that setting', async () => {
    const pachca = createPachcaClient({ token: TOKEN, fetch: scriptedFetch(json(429, {}, { 'retry-after': '120' })) });
    const error = (await failure(pachca.getProfile())) as RateLimitError;
    expect(error.retryAfterMs).toBe(120_000);
    expect(error.message).toBe(
      `GET ${PACHCA}/profile (getProfile) failed with 429: the server asked to wait 120 s; not retried: that is longer than retry.maxRetryAfterMs (60 s)`,
    );
  });

  it('a 429 whose wait would outlast the call’s timeout says so', async () => {
    const pachca = createPachcaClient({ token: TOKEN, timeoutMs: 5000, fetch: scriptedFetch(json(429, {}, { 'retry-after': '10' })) });
    const error = await failure(pachca.getProfile());
    expect(error.message).toBe(
      `GET ${PACHCA}/profile (getProfile) failed with 429: the server asked to wait 10 s; not retried: the wait before another attempt would end after the call's timeoutMs`,
    );
  });

  it('says nothing of retries when they are turned off', async () => {
    const pachca = createPachcaClient({ token: TOKEN, fetch: scriptedFetch(json(503, {})), retry: { maxRetries: 0 } });
    expect((await failure(pachca.getProfile())).message).toBe(`GET ${PACHCA}/profile (getProfile) failed with 503`);
  });
});

describe('a failure that cannot pass on a second attempt', () => {
  it('names the root cause of a failure without a code (fetch’s “bad port”) and is not retried', async () => {
    const attempts: RequestLogEntry[] = [];
    const clock = fakeClock();
    const pachca = createPachcaClient({ token: TOKEN, baseUrl: 'http://127.0.0.1:1', retry: { clock }, onLog: (entry) => attempts.push(entry) });
    const error = (await failure(pachca.getProfile())) as NetworkError;
    expect(error).toBeInstanceOf(NetworkError);
    expect(error.message).toBe(
      'GET http://127.0.0.1:1/profile (getProfile) failed before a response arrived (bad port); not retried, since no attempt can succeed: ' +
        'fetch refuses to connect to this port (the Fetch standard blocks it): use another port',
    );
    expect(error.permanent).toBeDefined();
    expect(attempts).toHaveLength(1);
    expect(clock.waits).toEqual([]);
  });

  it('does not retry an invalid URL the fetch refuses', async () => {
    const invalid = new TypeError('Failed to parse URL', { cause: Object.assign(new TypeError('Invalid URL'), { code: 'ERR_INVALID_URL' }) });
    const fetch = scriptedFetch(invalid);
    const pachca = createPachcaClient({ token: TOKEN, fetch, retry: { clock: fakeClock() } });
    const error = await failure(pachca.getProfile());
    expect(error.message).toBe(
      `GET ${PACHCA}/profile (getProfile) failed before a response arrived (ERR_INVALID_URL); not retried, since no attempt can succeed: the URL or a request option is invalid`,
    );
    expect(fetch.seen).toHaveLength(1);
  });

  it('still retries a reset connection, and says how often', async () => {
    const reset = new TypeError('fetch failed', { cause: Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }) });
    const fetch = scriptedFetch(reset);
    const pachca = createPachcaClient({ token: TOKEN, fetch, retry: { clock: fakeClock(), maxRetries: 2 } });
    const error = await failure(pachca.getProfile());
    expect(error.message).toBe(`GET ${PACHCA}/profile (getProfile) failed before a response arrived after 2 retries (ECONNRESET)`);
    expect(fetch.seen).toHaveLength(3);
  });
});

describe('a misplaced option or a nested params', () => {
  const pachca = createPachcaClient({ token: TOKEN, fetch: scriptedFetch(json(200, {})) });

  it('says call options go in the second argument', async () => {
    const error = await failure(pachca.getProfile({ headers: { Prefer: 'code=404' } } as never));
    expect(error).toBeInstanceOf(RequestValidationError);
    expect(error.message).toBe(
      'headers: is not a parameter of getProfile; call options go in the second argument and parameters (and body) by name in the first: getProfile({}, { headers }); nothing was sent',
    );
  });

  it('says the same of an unknown key in the options, showing the call as it should be', async () => {
    const error = await failure(pachca.getMessage({ id: 1 }, { timeoutMS: 1 } as never));
    expect(error).toBeInstanceOf(RequestValidationError);
    expect(error.message).toBe(
      'options.timeoutMS: is not a call option (signal, headers, timeoutMs, baseUrl); call options go in the second argument and parameters (and body) by name in the first: getMessage({ id }, { timeoutMs }); nothing was sent',
    );
  });

  it('says parameters are passed flat by name, naming them', async () => {
    const error = await failure(pachca.getMessage({ params: { path: { id: 1 } } } as never));
    expect(error.message).toBe('params: is not a parameter of getMessage; parameters are passed flat by name, getMessage({ id }), and a request body as body; nothing was sent');
  });

  it('names the parameters an operation has when the key is unknown', async () => {
    const error = await failure(pachca.getMessage({ id: 1, chat: 2 } as never));
    expect(error.message).toBe('chat: is not a parameter of getMessage, whose parameters are id; nothing was sent');
  });
});

describe('OK error bodies whatever the status', () => {
  const body = { error_code: 102, error_msg: 'PARAM_SESSION_EXPIRED : Session expired', error_data: null };

  it('a 4xx with an OK error body carries errorCode and errorName, as an OkApiError under 200 does', async () => {
    const ok = createOkClient({ accessToken: TOKEN, fetch: scriptedFetch(json(400, body)) });
    const error = await failure(ok.getInfo());
    expect(error).toBeInstanceOf(BadRequestError);
    expect(isOkError(error)).toBe(true);
    expect(error).toMatchObject({ status: 400, errorCode: 102, errorName: 'PARAM_SESSION_EXPIRED', errorData: null });
    expect(error.message).toBe('GET https://api.ok.ru/graph/me/info?access_token=[REDACTED] (getInfo) failed with 400: error_code 102: PARAM_SESSION_EXPIRED : Session expired');

    const under200 = await failure(createOkClient({ accessToken: TOKEN, fetch: scriptedFetch(json(200, body)) }).getInfo());
    expect(under200).toBeInstanceOf(OkApiError);
    expect(isOkError(under200)).toBe(true);
    expect(under200).toMatchObject({ errorCode: 102, errorName: 'PARAM_SESSION_EXPIRED' });
  });

  it('an OK error body without error_msg names only its code', async () => {
    const ok = createOkClient({ accessToken: TOKEN, fetch: scriptedFetch(json(200, { error_code: 5000 })) });
    const error = await failure(ok.getInfo());
    expect(error.message).toBe('GET https://api.ok.ru/graph/me/info?access_token=[REDACTED] (getInfo) failed with 200: error_code 5000');
    expect(isOkError(error)).toBe(true);
  });
});
