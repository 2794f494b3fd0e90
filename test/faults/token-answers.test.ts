/**
 * Token endpoints that answer badly, over both transports. A token answer carries new secrets; whatever check
 * then fails (a missing field, not JSON, not an object, an error status), none of them may show in the error: its
 * message, stack, cause, `bodyText`, `body`, `JSON.stringify` or `util.inspect`, nor in the request log. Covers
 * uNet's token endpoint (directly, and through an ordinary call whose 401 starts a refresh) and Pachca's bot
 * token answers (`recreateOwnBotToken`, `recreateBotToken`, `createBot`).
 */
import type { ServerResponse } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BadRequestError, TokenRefreshError, UnexpectedResponseError, type RequestLogEntry } from '../../src/core/index.js';
import type { FetchFunction } from '../../src/core/client/types.js';
import { createUndiciFetch } from '../../src/node/index.js';
import { createPachcaClient } from '../../src/pachca/index.js';
import { createUnetAuth, createUnetClient } from '../../src/unet/index.js';
import { startHostileServer, type HostileServer } from './hostile-server.js';
import { forms, printed } from './printed.js';

const OLD = { access: 'old-acc~ess(Lp3w9Rt', refresh: 'old-ref~resh(Mx8v2Qa', clientSecret: 'cli-sec~ret(Np5k1Zy' };
/** The tokens a bad answer hands out: long ones (redacted by value too) and short ones (by field name only). */
const FRESH = {
  long: { access: 'new-acc ess~(Kq4z7Tt1/+=', refresh: 'new-ref resh~(Hd6c3Wn2/+=' },
  short: { access: 'Ab~1(', refresh: 'Cd~2(' },
} as const;

type Tokens = { readonly access: string; readonly refresh: string };
type Answer = (response: ServerResponse, tokens: Tokens) => void;

const send = (response: ServerResponse, status: number, type: string, text: string): void => {
  response.writeHead(status, { 'content-type': type, 'content-length': Buffer.byteLength(text) }).end(text);
};

/** uNet token answers that fail a check, each carrying the new tokens. */
const UNET_ANSWERS: Record<string, Answer> = {
  'no resource_uri': (response, { access, refresh }) =>
    send(response, 200, 'application/json', JSON.stringify({ access_token: access, refresh_token: refresh, token_type: 'bearer', expires_in: '43200' })),
  'a resource_uri that is not a URL': (response, { access, refresh }) =>
    send(response, 200, 'application/json', JSON.stringify({ access_token: access, refresh_token: refresh, resource_uri: 'not a url' })),
  'a refresh_token that is not a string': (response, { access }) =>
    send(response, 200, 'application/json', JSON.stringify({ access_token: access, refresh_token: { value: access }, resource_uri: 'https://1.unet.com/api/' })),
  'JSON cut short': (response, { access, refresh }) =>
    send(response, 200, 'application/json', `{"access_token":${JSON.stringify(access)},"refresh_token":${JSON.stringify(refresh)},"resource_u`),
  'form-encoded instead of JSON': (response, { access, refresh }) =>
    send(response, 200, 'application/x-www-form-urlencoded', new URLSearchParams({ access_token: access, refresh_token: refresh }).toString()),
  'an array': (response, { access, refresh }) => send(response, 200, 'application/json', JSON.stringify([{ access_token: access, refresh_token: refresh }])),
};

/** Pachca bot token answers that fail a check, each carrying the new token. */
const PACHCA_ANSWERS: Record<string, Answer> = {
  'an array': (response, { access }) => send(response, 200, 'application/json', JSON.stringify([{ data: { id: 1, access_token: access } }])),
  'JSON cut short': (response, { access }) => send(response, 200, 'application/json', `{"data":{"id":1,"access_token":${JSON.stringify(access)},"webh`),
  'a 500 echoing it': (response, { access }) => send(response, 500, 'application/json', JSON.stringify({ data: { access_token: access } })),
};

let server: HostileServer;
/** What the token endpoint answers now, and with which tokens. */
let current: { answer: Answer; tokens: Tokens } = { answer: UNET_ANSWERS['no resource_uri'] as Answer, tokens: FRESH.long };
const undici = createUndiciFetch();
const TRANSPORTS: Record<string, FetchFunction> = { fetch: (url, init) => globalThis.fetch(url, init), undici };

beforeAll(async () => {
  server = await startHostileServer({
    // uNet: the token endpoint answers as `current` says; every other request is refused with a 401.
    unet: (request, response) => {
      if (request.url?.endsWith('/token')) current.answer(response, current.tokens);
      else send(response, 401, 'application/json', '{"error":"invalid_token"}');
    },
    // Pachca: bot token operations answer as `current` says; anything else is a 400 that quotes the new token.
    pachca: (request, response) => {
      if (request.url?.includes('recreate_token') || request.url?.endsWith('/bots')) current.answer(response, current.tokens);
      else send(response, 400, 'application/json', JSON.stringify({ errors: [{ key: 'token', message: `token ${current.tokens.access} was replaced`, code: 'invalid' }] }));
    },
  });
});

afterAll(async () => {
  await server.close();
  await undici.close();
});

/** Asserts that none of the secrets, in any form the client writes, shows in what a user could print. */
function expectNoSecret(error: unknown, log: readonly RequestLogEntry[], tokens: Tokens): void {
  const text = printed(error, log);
  for (const secret of [tokens.access, tokens.refresh, OLD.access, OLD.refresh, OLD.clientSecret]) {
    for (const form of forms(secret)) expect(text, `${form} in ${text}`).not.toContain(form);
  }
}

describe.each(Object.keys(TRANSPORTS))('over %s', (transportName) => {
  const fetch = TRANSPORTS[transportName] as FetchFunction;

  describe.each(Object.keys(FRESH) as (keyof typeof FRESH)[])('with %s new tokens', (size) => {
    const tokens = FRESH[size];

    it.each(Object.keys(UNET_ANSWERS))('uNet: a token answer with %s shows its tokens nowhere, called directly or through a refresh', async (name) => {
      current = { answer: UNET_ANSWERS[name] as Answer, tokens };
      server.reset();
      const log: RequestLogEntry[] = [];
      const base = `${server.url}/s/unet`;
      const auth = createUnetAuth({ clientId: 'app', clientSecret: OLD.clientSecret, redirectUri: 'https://example.com/cb', baseUrl: base, fetch, onLog: (entry) => log.push(entry) });

      for (const direct of [() => auth.exchangeCode('code-1234567890abc'), () => auth.refresh(OLD.refresh)]) {
        const error = await direct().catch((caught: unknown) => caught);
        expect(error).toBeInstanceOf(UnexpectedResponseError);
        expectNoSecret(error, log, tokens);
      }

      // An ordinary call: a 401 starts a refresh, whose answer fails its check; getMessage rejects with that error.
      const unet = createUnetClient({ tokens: { accessToken: OLD.access, refreshToken: OLD.refresh, resourceUri: base }, auth, fetch, onLog: (entry) => log.push(entry) });
      const error = await unet.getMessage({ id: 1 }).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(UnexpectedResponseError);
      expect((error as UnexpectedResponseError).operationId).toBe('requestToken');
      expectNoSecret(error, log, tokens);
      expect(unet.tokens().accessToken).toBe(OLD.access);
      expect(server.count('unet', 'POST')).toBe(3);
    });

    it('uNet: a refused refresh whose error body quotes the new tokens shows them nowhere', async () => {
      current = {
        answer: (response, { refresh }) =>
          send(response, 400, 'application/json', JSON.stringify({ error: 'invalid_grant', refresh_token: refresh, error_description: `refresh token ${refresh} was revoked` })),
        tokens,
      };
      const auth = createUnetAuth({ clientId: 'app', clientSecret: OLD.clientSecret, redirectUri: 'https://example.com/cb', baseUrl: `${server.url}/s/unet`, fetch });
      const error = await auth.refresh(OLD.refresh).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(TokenRefreshError);
      // By name, whatever its length; the description repeats it in free text, which only a long one is found in.
      expect(((error as TokenRefreshError).body as { refresh_token: string }).refresh_token).toBe('[REDACTED]');
      if (size === 'long') expectNoSecret(error, [], tokens);
    });

    it.each(Object.keys(PACHCA_ANSWERS))('Pachca: a bot token answer that is %s shows the token nowhere, for each bot token operation', async (name) => {
      current = { answer: PACHCA_ANSWERS[name] as Answer, tokens };
      server.reset();
      const log: RequestLogEntry[] = [];
      const pachca = createPachcaClient({ token: OLD.access, baseUrl: `${server.url}/s/pachca`, fetch, retry: { maxRetries: 0 }, onLog: (entry) => log.push(entry) });
      const calls = [() => pachca.recreateOwnBotToken(), () => pachca.recreateBotToken({ id: 1 }), () => pachca.createBot({ body: { webhook: { name: 'b' } } as never })];
      for (const call of calls) {
        const error = await call().catch((caught: unknown) => caught);
        expect(error).toBeInstanceOf(Error);
        expectNoSecret(error, log, tokens);
      }
      expect(server.count('pachca', 'POST')).toBe(3);
    });
  });

  it('Pachca: a new bot token is known to the redactor from its answer on, so a later error quoting it hides it', async () => {
    current = {
      answer: (response, { access }) =>
        send(response, 200, 'application/json', JSON.stringify({ data: { id: 1, webhook: { name: 'b' }, access_token: access } })),
      tokens: FRESH.long,
    };
    const pachca = createPachcaClient({ token: OLD.access, baseUrl: `${server.url}/s/pachca`, fetch });
    const answer = await pachca.recreateOwnBotToken();
    expect(answer.data.access_token).toBe(FRESH.long.access);
    const error = await pachca.getMessage({ id: 1 }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(BadRequestError);
    expectNoSecret(error, [], FRESH.long);
  });
});
