/**
 * The uNet clients against a Prism mock started from specs/unet, which serves both servers (the OAuth host and
 * the per-user resource URI): the whole OAuth flow, every messages operation with its JSON `q`, and a 401 that is
 * healed by one refresh.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { AuthenticationError, TokenRefreshError } from '../../src/core/index.js';
import { createUnetAuth, createUnetClient, type UnetAuth, type UnetTokenSet } from '../../src/unet/index.js';
import { mockOf } from './harness.js';

const CLIENT_SECRET = 'unet-client-secret-4d1c8e';
const OPTIONS = { clientId: '1234567890', clientSecret: CLIENT_SECRET, redirectUri: 'https://example.com/unet/callback' };

let mock: { url: string; fetch: typeof fetch };
let auth: UnetAuth;
let tokens: UnetTokenSet;

beforeAll(async () => {
  mock = await mockOf('unet');
  auth = createUnetAuth({ ...OPTIONS, fetch: mock.fetch });
  tokens = await auth.exchangeCode('SplxlOBeZQQYbYS6WxSbIA');
});

describe('the OAuth flow', () => {
  it('builds the authorization URL and the mock serves its consent page', async () => {
    const url = new URL(auth.authorizeUrl({ scope: ['messages_read', 'messages_write'], state: '9f2c4e1a' }));
    expect(`${url.origin}${url.pathname}`).toBe('https://app.unet.com/auth');
    expect(Object.fromEntries(url.searchParams)).toEqual({
      response_type: 'code',
      client_id: '1234567890',
      redirect_uri: 'https://example.com/unet/callback',
      scope: 'messages_read messages_write',
      state: '9f2c4e1a',
    });
    const page = await mock.fetch(url.href);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('Allow access');
    const raw = await auth.raw.GET('/auth', { params: { query: Object.fromEntries(url.searchParams) as never } });
    expect(raw.response.status).toBe(200);
  });

  it('exchanges a code for a typed token set, reading the lifetime from the string the server sends', () => {
    expect(tokens).toMatchObject({
      accessToken: '2YotnFZFEjr1zCsicMWpAA',
      refreshToken: '8xLOxBtZp8',
      resourceUri: 'https://3801130518.unet.com/api/',
      userId: '3801130518',
      scope: ['user_details', 'messages_read', 'messages_write'],
      tokenType: 'bearer',
      expiresIn: 43200,
    });
    expect(tokens.expiresAt?.getTime()).toBeGreaterThan(Date.now() + 43_000_000);
  });

  it('refreshes', async () => {
    expect((await auth.refresh('8xLOxBtZp8')).accessToken).toBe('2YotnFZFEjr1zCsicMWpAA');
  });

  it('reports a refused refresh as a TokenRefreshError without the client secret or the refresh token', async () => {
    const error = await auth.refresh('8xLOxBtZp8', { headers: { Prefer: 'code=400' } }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(TokenRefreshError);
    expect(error).toBeInstanceOf(AuthenticationError);
    expect(error).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });
    const text = `${JSON.stringify(error)} ${(error as Error).message} ${(error as Error).stack}`;
    expect(text).not.toContain(CLIENT_SECRET);
    expect(text).not.toContain('8xLOxBtZp8');
  });

  it('describes a token', async () => {
    expect(await auth.tokenProperties(tokens.accessToken)).toMatchObject({ user_id: '3801130518' });
  });

  it('has the mock refuse a token request that breaks the form schema', async () => {
    const result = await auth.raw.POST('/token', {
      body: { grant_type: 'refresh_token', client_id: '1', client_secret: 's' } as never,
    });
    // Prism answers a validation failure with the operation's declared 400 when there is no 422.
    expect(result.response.status).toBe(400);
    expect(result.response.headers.get('sl-violations')).toContain('refresh_token');
  });
});

describe('messages under the resource URI', () => {
  const client = () => createUnetClient({ tokens, auth, fetch: mock.fetch });
  // The client's own checks refuse what the spec forbids before sending; off, the mock is what judges it.
  const unchecked = () => createUnetClient({ tokens, auth, fetch: mock.fetch, checkRequests: false });

  it('lists a conversation with the parameters as JSON in q, unicode and period included', async () => {
    const seen: string[] = [];
    const spying = createUnetClient({
      tokens,
      fetch: (input, init) => {
        seen.push(String(input));
        return mock.fetch(input, init);
      },
    });
    const q = { chat_id: 3801130518, limit: 20, query: 'отчёт', period: { from: '2026-11-01T00:00:00Z', till: '2026-11-30T23:59:59Z' } };
    const page = await spying.listMessages({ q });
    expect(page.items?.map((item) => item.id)).toEqual([1002, 1001]);
    const url = new URL(seen[0] ?? '');
    expect(`${url.origin}${url.pathname}`).toBe('https://3801130518.unet.com/api/messages/');
    expect(JSON.parse(url.searchParams.get('q') ?? '')).toEqual(q);
  });

  it('iterates to the end of a conversation', async () => {
    const texts: string[] = [];
    for await (const message of client().iterateMessages({ q: { chat_id: 2200334455, query: 'отчёт' } })) texts.push(message.message ?? '');
    expect(texts).toEqual(['Отчёт готов', 'Когда будет отчёт?']);
  });

  it('lists the conversations, keeping members_count the string it is documented as', async () => {
    const { items: chats = [] } = await client().listChats();
    expect(chats[1]).toMatchObject({ type: 'group', members_count: '12' });
  });

  it('adds, gets, edits and deletes a message', async () => {
    const unet = client();
    expect(await unet.addMessage({ q: { chat_id: 2200334455, message: 'Отчёт готов', is_whisper: false } })).toEqual({ id: 1003 });
    expect((await unet.getMessage({ id: 1001 })).uid).toBe(2200334455);
    expect(await unet.editMessage({ id: 1003, q: { chat_id: 2200334455, message: 'Отчёт готов, ссылка в почте' } })).toEqual({ id: 1003 });
    expect(await unet.deleteMessage({ id: 1003 })).toEqual({});
  });

  it('has a q the types forbid refused, by the contract checks Prism lacks', async () => {
    const result = await unchecked().raw.GET('/messages/', { params: { query: { q: { chat_id: 'general' as never } } } });
    expect(result.response.status).toBe(422);
    expect(result.response.headers.get('sl-violations')).toContain('chat_id');
    const negative = await unchecked().raw.GET('/messages/', { params: { query: { q: { chat_id: 1, limit: -1 } } } });
    expect(negative.response.status).toBe(422);
  });

  it('accepts the fields selector the request model documents, and keys it does not refuse', async () => {
    const selected = await client().raw.GET('/messages/', { params: { query: { q: { chat_id: 1, fields: { id: true, message: false } } } } });
    expect(selected.response.status).toBe(200);
    const extra = await client().raw.POST('/messages/add/', { params: { query: { q: { chat_id: 1, colour: 'red' } as never } } });
    expect(extra.response.status).toBe(200);
  });

  it('has a request without q refused by Prism itself', async () => {
    const result = await unchecked().raw.GET('/messages/', { params: { query: {} as never } });
    expect(result.response.status).toBe(422);
  });

  it('has the client refuse the same q before sending, naming the field and the limit', async () => {
    await expect(client().raw.GET('/messages/', { params: { query: { q: { chat_id: 'general' as never } } } })).rejects.toMatchObject({
      name: 'RequestValidationError',
      field: 'q.chat_id',
    });
    await expect(client().listMessages({ q: { chat_id: 1, limit: -1 } })).rejects.toThrow(/q\.limit: is -1; it must be at least \d+; nothing was sent/);
  });

  it('refreshes once on a 401, replays, and hands the new tokens to onTokens', async () => {
    const expired = { ...tokens, accessToken: 'expired-access-token' };
    const saved: UnetTokenSet[] = [];
    let tokenRequests = 0;
    // The mock accepts any token, so the test makes it answer 401 to the expired one.
    const expiring: typeof fetch = (input, init) => {
      const headers = new Headers(init?.headers);
      if (String(input).endsWith('/token')) tokenRequests++;
      if (headers.get('authorization') === 'Bearer expired-access-token') headers.set('Prefer', 'code=401');
      return mock.fetch(input, { ...init, headers });
    };
    const refreshing = createUnetClient({
      tokens: expired,
      auth: createUnetAuth({ ...OPTIONS, fetch: expiring }),
      onTokens: (next) => void saved.push(next),
      fetch: expiring,
    });
    const chats = await Promise.all([refreshing.listChats(), refreshing.listChats(), refreshing.getMessage({ id: 1001 })]);
    expect(chats[0].items).toHaveLength(2);
    expect(tokenRequests).toBe(1);
    expect(saved.map((set) => set.accessToken)).toEqual(['2YotnFZFEjr1zCsicMWpAA']);
    expect(refreshing.tokens().accessToken).toBe('2YotnFZFEjr1zCsicMWpAA');
  });
});
