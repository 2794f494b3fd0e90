import { describe, expect, it } from 'vitest';
import {
  AuthenticationError,
  NetworkError,
  NotFoundError,
  RequestValidationError,
  ServerError,
  TokenRefreshError,
} from '../../src/core/errors/errors.js';
import type { RequestLogEntry } from '../../src/core/exchange/transport.js';
import {
  AuthorizationDeniedError,
  createUnetAuth,
  createUnetClient,
  parseExpiresIn,
  type UnetTokenSet,
} from '../../src/unet/index.js';
import { connectionReset, fakeClock, json, scriptedFetch } from './helpers.js';

const SECRET = 'client-secret-9a8b7c';
const OLD_ACCESS = 'access-old-1111';
const NEW_ACCESS = 'access-new-2222';
const REFRESH = 'refresh-3333';
const RESOURCE = 'https://3801130518.unet.com/api/';
const OPTIONS = { clientId: '1234567890', clientSecret: SECRET, redirectUri: 'https://example.com/cb' };

const tokenResponse = (access: string, extra: Record<string, unknown> = {}) =>
  json(200, { access_token: access, expires_in: '43200', refresh_token: REFRESH, resource_uri: RESOURCE, token_type: 'bearer', user_id: '3801130518', ...extra });

/** A fake uNet: the token endpoint issues NEW_ACCESS; the API accepts only NEW_ACCESS. */
function fakeUnet(tokenAnswer: () => Response | Promise<Response> = () => tokenResponse(NEW_ACCESS)) {
  let tokenCalls = 0;
  let apiCalls = 0;
  const fetch = scriptedFetch(async (url, init) => {
    if (url.startsWith('https://app.unet.com/token')) {
      tokenCalls++;
      await new Promise((resolve) => setTimeout(resolve, 5));
      return tokenAnswer();
    }
    apiCalls++;
    const authorization = new Headers(init.headers).get('authorization');
    return authorization === `Bearer ${NEW_ACCESS}`
      ? json(200, { items: [{ chat_id: 1, type: 'private' }] })
      : json(401, { error: 'invalid_token', error_description: `token ${OLD_ACCESS} expired` });
  });
  return { fetch, tokenCalls: () => tokenCalls, apiCalls: () => apiCalls };
}

const expiredTokens = { accessToken: OLD_ACCESS, refreshToken: REFRESH, resourceUri: RESOURCE };

describe('refreshing an expired token', () => {
  it('turns 50 concurrent requests on an expired token into exactly one refresh, and all 50 succeed', async () => {
    const unet = fakeUnet();
    const saved: UnetTokenSet[] = [];
    const client = createUnetClient({
      tokens: expiredTokens,
      auth: createUnetAuth({ ...OPTIONS, fetch: unet.fetch }),
      onTokens: (tokens) => void saved.push(tokens),
      fetch: unet.fetch,
    });
    const results = await Promise.all(Array.from({ length: 50 }, () => client.listChats()));
    expect(results).toHaveLength(50);
    expect(results.every((chats) => chats.items?.length === 1)).toBe(true);
    expect(unet.tokenCalls()).toBe(1);
    expect(unet.apiCalls()).toBe(100);
    expect(saved).toHaveLength(1);
    expect(saved[0]).toMatchObject({ accessToken: NEW_ACCESS, refreshToken: REFRESH, expiresIn: 43200 });
    expect(client.tokens().accessToken).toBe(NEW_ACCESS);
  });

  it('replays without refreshing when another request already renewed the token', async () => {
    const unet = fakeUnet();
    const client = createUnetClient({ tokens: expiredTokens, auth: createUnetAuth({ ...OPTIONS, fetch: unet.fetch }), fetch: unet.fetch });
    await client.listChats();
    await client.listChats();
    expect(unet.tokenCalls()).toBe(1);
  });

  it('surfaces a refused refresh as a TokenRefreshError for every waiting request, with no secret in it', async () => {
    const unet = fakeUnet(() => json(400, { error: 'invalid_grant', error_description: `Invalid refresh token ${REFRESH}`, echo: SECRET }));
    const client = createUnetClient({ tokens: expiredTokens, auth: createUnetAuth({ ...OPTIONS, fetch: unet.fetch }), fetch: unet.fetch });
    const errors = await Promise.all(Array.from({ length: 5 }, () => client.listChats().catch((caught: unknown) => caught)));
    expect(unet.tokenCalls()).toBe(1);
    for (const error of errors) {
      expect(error).toBeInstanceOf(TokenRefreshError);
      expect(error).toBeInstanceOf(AuthenticationError);
      expect((error as TokenRefreshError).body).toMatchObject({ error: 'invalid_grant' });
      const text = `${JSON.stringify(error)} ${(error as Error).message} ${(error as Error).stack ?? ''}`;
      for (const secret of [SECRET, REFRESH, OLD_ACCESS, NEW_ACCESS]) expect(text).not.toContain(secret);
    }
  });

  it('lets a 401 through when there is no refresh token or no OAuth client', async () => {
    const unet = fakeUnet();
    const withoutAuth = createUnetClient({ tokens: expiredTokens, fetch: unet.fetch });
    await expect(withoutAuth.listChats()).rejects.toBeInstanceOf(AuthenticationError);
    const withoutRefresh = createUnetClient({ accessToken: OLD_ACCESS, resourceUri: RESOURCE, auth: createUnetAuth({ ...OPTIONS, fetch: unet.fetch }), fetch: unet.fetch });
    await expect(withoutRefresh.listChats()).rejects.toBeInstanceOf(AuthenticationError);
    expect(unet.tokenCalls()).toBe(0);
  });

  it('keeps the old refresh token when the refresh answer carries none', async () => {
    const auth = createUnetAuth({ ...OPTIONS, fetch: scriptedFetch(tokenResponse(NEW_ACCESS, { refresh_token: undefined })) });
    expect((await auth.refresh(REFRESH)).refreshToken).toBe(REFRESH);
  });

  it('sends the client secret in the form body, never in the URL', async () => {
    const fetch = scriptedFetch(tokenResponse(NEW_ACCESS));
    await createUnetAuth({ ...OPTIONS, fetch }).exchangeCode('the-code');
    expect(fetch.seen[0]?.url).toBe('https://app.unet.com/token');
    expect(fetch.seen[0]?.headers.get('content-type')).toBe('application/x-www-form-urlencoded');
    expect(Object.fromEntries(new URLSearchParams(String(fetch.seen[0]?.body)))).toEqual({
      grant_type: 'authorization_code',
      client_id: '1234567890',
      client_secret: SECRET,
      code: 'the-code',
      redirect_uri: 'https://example.com/cb',
    });
  });
});

describe('the q parameter', () => {
  it('serializes the request as percent-encoded JSON, unicode and a nested period included', async () => {
    const fetch = scriptedFetch(json(200, { items: [] }));
    const client = createUnetClient({ accessToken: NEW_ACCESS, resourceUri: RESOURCE, fetch });
    const q = { chat_id: 42, query: 'отчёт & «итоги»', period: { from: '2026-11-01', till: '2026-11-30T23:59:59+03:00' } };
    await client.listMessages({ q });
    const url = fetch.seen[0]?.url ?? '';
    expect(url).toBe(`https://3801130518.unet.com/api/messages/?q=${encodeURIComponent(JSON.stringify(q))}`);
    expect(JSON.parse(new URL(url).searchParams.get('q') ?? '')).toEqual(q);
  });
});

describe('iteration', () => {
  it('follows next_cursor until it is empty, one page at a time', async () => {
    const pages: Record<string, unknown> = {
      '': { items: [{ id: 3 }, { id: 2 }], next_cursor: 'https://3801130518.unet.com/api/messages/?cursor=p2' },
      'https://3801130518.unet.com/api/messages/?cursor=p2': { items: [{ id: 1 }], next_cursor: '' },
    };
    const cursors: string[] = [];
    const fetch = scriptedFetch((url) => {
      const q = JSON.parse(new URL(url).searchParams.get('q') ?? '{}') as { cursor?: string };
      cursors.push(q.cursor ?? '');
      return json(200, pages[q.cursor ?? '']);
    });
    const client = createUnetClient({ accessToken: NEW_ACCESS, resourceUri: RESOURCE, fetch });
    const ids: number[] = [];
    for await (const message of client.iterateMessages({ q: { chat_id: 42, limit: 2 } })) ids.push(message.id ?? 0);
    expect(ids).toEqual([3, 2, 1]);
    expect(cursors).toEqual(['', 'https://3801130518.unet.com/api/messages/?cursor=p2']);
  });

  it("takes the list's own shape, { q }, and refuses q's fields given flat or a cursor of the caller's, sending nothing", async () => {
    const fetch = scriptedFetch(json(200, { items: [], next_cursor: '' }));
    const client = createUnetClient({ accessToken: NEW_ACCESS, resourceUri: RESOURCE, fetch });
    const first = (input: unknown) => client.iterateMessages(input as never).next();
    await expect(first({ chat_id: 42 })).rejects.toMatchObject({ name: 'RequestValidationError', field: 'chat_id' });
    await expect(first({ q: { chat_id: 42, cursor: 'x' } })).rejects.toMatchObject({ name: 'RequestValidationError', field: 'q.cursor' });
    expect(fetch.seen).toHaveLength(0);
  });
});

describe('redaction of the client secret and the tokens', () => {
  const secrets = [SECRET, OLD_ACCESS, NEW_ACCESS, REFRESH, 'the-code'];
  const leaked = (value: unknown): string[] => {
    const text = JSON.stringify(value, (_key, item: unknown) =>
      item instanceof Error ? { ...item, message: item.message, stack: item.stack, cause: item.cause } : item,
    );
    return secrets.filter((secret) => text.includes(secret));
  };

  it('keeps them out of token endpoint errors that echo them', async () => {
    const fetch = scriptedFetch(json(401, { error: 'invalid_client', error_description: `bad secret ${SECRET} for code the-code` }));
    const error = await createUnetAuth({ ...OPTIONS, fetch }).exchangeCode('the-code').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(AuthenticationError);
    expect(leaked(error)).toEqual([]);
    expect((error as Error).message).toContain('[REDACTED]');
  });

  it('keeps them out of messages errors, network errors and logs', async () => {
    const lines: RequestLogEntry[] = [];
    const auth = createUnetAuth({ ...OPTIONS, fetch: scriptedFetch(tokenResponse(NEW_ACCESS)) });
    const tokens = await auth.exchangeCode('the-code');
    const answers = [
      json(404, { error: 'not_found', error_description: `no message for ${NEW_ACCESS} ${REFRESH}` }),
      new Response(`<h1>${SECRET}</h1>`, { status: 503 }),
      new TypeError(`fetch failed for Bearer ${NEW_ACCESS}`, { cause: connectionReset() }),
    ];
    for (const [answer, ErrorClass] of [
      [answers[0], NotFoundError],
      [answers[1], ServerError],
      [answers[2], NetworkError],
    ] as const) {
      const client = createUnetClient({
        tokens,
        auth,
        fetch: scriptedFetch(answer as Response),
        retry: { maxRetries: 0, clock: fakeClock() },
        onLog: (entry) => lines.push(entry),
      });
      const error = await client.getMessage({ id: 1 }).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(ErrorClass);
      expect(leaked(error)).toEqual([]);
    }
    expect(lines).toHaveLength(3);
    expect(leaked(lines)).toEqual([]);
  });
});

describe('the authorization redirect', () => {
  const auth = createUnetAuth({ ...OPTIONS, fetch: scriptedFetch(json(200, {})) });

  it('builds the authorization URL with every parameter encoded', () => {
    expect(auth.authorizeUrl({ scope: ['messages_read', 'messages_write'], state: 'a b&c' })).toBe(
      'https://app.unet.com/auth?response_type=code&client_id=1234567890&redirect_uri=https:%2F%2Fexample.com%2Fcb&scope=messages_read%20messages_write&state=a%20b%26c',
    );
  });

  it('returns the code when the state matches', () => {
    expect(auth.codeFromRedirect('https://example.com/cb?code=abc&state=s1', 's1')).toBe('abc');
  });

  it('refuses a redirect whose state does not match', () => {
    expect(() => auth.codeFromRedirect('https://example.com/cb?code=abc&state=forged', 's1')).toThrow(
      expect.objectContaining({ field: 'state' }),
    );
    expect(() => auth.codeFromRedirect('https://example.com/cb?state=s1', 's1')).toThrow(RequestValidationError);
  });

  it('reports a refusal by the user', () => {
    expect(() => auth.codeFromRedirect('https://example.com/cb?error=access_denied&error_description=No&state=s1', 's1')).toThrow(
      AuthorizationDeniedError,
    );
  });
});

describe('expires_in', () => {
  it('reads the lifetime whatever form the server sends', () => {
    expect(parseExpiresIn('43200')).toBe(43200);
    expect(parseExpiresIn(' 43200 ')).toBe(43200);
    expect(parseExpiresIn(43200)).toBe(43200);
    expect(parseExpiresIn('12h')).toBeUndefined();
    expect(parseExpiresIn(-1)).toBeUndefined();
    expect(parseExpiresIn(undefined)).toBeUndefined();
  });

  it('dates the expiry from when the answer arrived', async () => {
    const clock = fakeClock(Date.parse('2026-11-21T12:00:00Z'));
    const auth = createUnetAuth({ ...OPTIONS, retry: { clock }, fetch: scriptedFetch(tokenResponse(NEW_ACCESS, { expires_in: 60 })) });
    expect((await auth.exchangeCode('c')).expiresAt?.toISOString()).toBe('2026-11-21T12:01:00.000Z');
  });
});
