/**
 * What goes over the wire and comes back, against the hostile loopback server, over the platform's fetch and the
 * undici transport: the query string Pachca's array filters are written as, a status answered with a bare `null`,
 * and response bodies in one, two or an unknown content coding.
 */
import { brotliCompressSync, deflateSync, gzipSync } from 'node:zlib';
import type { ServerResponse } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BadRequestError, UnexpectedResponseError } from '../../src/core/index.js';
import type { FetchFunction } from '../../src/core/client/types.js';
import { createUndiciFetch } from '../../src/node/index.js';
import { createPachcaClient, type PachcaClient } from '../../src/pachca/index.js';
import { startHostileServer, type HostileServer } from './hostile-server.js';

const TOKEN = 'wire-test-token-5b1e';
const MESSAGE = { data: { id: 7, content: 'привет, мир' } };
const ERROR_BODY = { errors: [{ key: 'message.entity_type', value: 'channel', message: 'Недопустимое значение', code: 'invalid', payload: null }] };

/** Sends `body` encoded with each coding in turn, the first listed applied first (RFC 9110, section 8.4). */
function coded(codings: string[], body: unknown, status = 200) {
  return (_request: unknown, response: ServerResponse): void => {
    let bytes: Buffer = Buffer.from(JSON.stringify(body));
    for (const coding of codings) {
      if (coding === 'gzip') bytes = gzipSync(bytes);
      else if (coding === 'br') bytes = brotliCompressSync(bytes);
      else if (coding === 'deflate') bytes = deflateSync(bytes);
      // An unknown coding: the bytes are gzip, but labelled with a name no client decodes.
      else bytes = gzipSync(bytes);
    }
    response.writeHead(status, { 'content-type': 'application/json', 'content-encoding': codings.join(', '), 'content-length': bytes.length });
    response.end(bytes);
  };
}

let server: HostileServer;
const queries: string[] = [];
const undici = createUndiciFetch();
const TRANSPORTS: Record<string, FetchFunction> = { fetch: (url, init) => globalThis.fetch(url, init), undici };

beforeAll(async () => {
  server = await startHostileServer({
    // A page of any Pachca list, with a cursor to one more page; each request's path and query are kept.
    'query-page': (request, response) => {
      queries.push(request.url ?? '');
      const last = (request.url ?? '').includes('cursor=');
      const body = JSON.stringify({ data: last ? [] : [{ id: 1 }], meta: { paginate: { has_next: !last, next_page: last ? null : 'c2' } } });
      response.writeHead(200, { 'content-type': 'application/json' }).end(body);
    },
    'object-200': (_request, response) => response.writeHead(200, { 'content-type': 'application/json' }).end('{}'),
    'gzip-200': coded(['gzip'], MESSAGE),
    'br-200': coded(['br'], MESSAGE),
    'deflate-200': coded(['deflate'], MESSAGE),
    'gzip-br-200': coded(['gzip', 'br'], MESSAGE),
    'gzip-400': coded(['gzip'], ERROR_BODY, 400),
    'unknown-200': coded(['x-snappy'], MESSAGE),
  });
});

afterAll(async () => {
  await server.close();
  await undici.close();
});

describe.each(Object.keys(TRANSPORTS))('over %s', (transport) => {
  const fetch = TRANSPORTS[transport] as FetchFunction;
  const pachca = (behaviour: string): PachcaClient =>
    createPachcaClient({ token: TOKEN, baseUrl: `${server.url}/s/${behaviour}`, fetch, retry: { maxRetries: 2, baseDelayMs: 1, maxDelayMs: 2 }, timeoutMs: 2000 });

  /** The query string of the last request the server saw, as it came on the wire. */
  const lastQuery = (): string => (queries.at(-1) ?? '').split('?')[1] ?? '';

  describe("Pachca's array filters", () => {
    it('sends names as names[]=Design&names[]=Product, the form the API reads', async () => {
      await pachca('query-page').listGroupTags({ names: ['Design', 'Product'], limit: 2 });
      expect(lastQuery()).toBe('names[]=Design&names[]=Product&limit=2');
      expect(new URLSearchParams(lastQuery()).getAll('names')).toEqual([]);
    });

    it('sends chat_ids[] and user_ids[] on a message search, every value repeated', async () => {
      await pachca('query-page').searchMessages({ query: 'отчёт', chat_ids: [198, 334], user_ids: [12] });
      const sent = new URLSearchParams(lastQuery());
      expect(sent.getAll('chat_ids[]')).toEqual(['198', '334']);
      expect(sent.getAll('user_ids[]')).toEqual(['12']);
      expect(sent.get('query')).toBe('отчёт');
      expect([...sent.keys()].filter((name) => !name.endsWith('[]') && name !== 'query')).toEqual([]);
    });

    it('sends company_roles[] on a user search', async () => {
      await pachca('query-page').searchUsers({ company_roles: ['admin', 'multi_guest'] });
      expect(lastQuery()).toBe('company_roles[]=admin&company_roles[]=multi_guest');
    });

    it('keeps the brackets on every page of a walk, beside the cursor', async () => {
      queries.length = 0;
      const found: unknown[] = [];
      for await (const message of pachca('query-page').iterateSearchMessages({ chat_ids: [198] })) found.push(message);
      expect(found).toEqual([{ id: 1 }]);
      expect(queries.map((url) => url.split('?')[1])).toEqual(['chat_ids[]=198', 'chat_ids[]=198&cursor=c2']);
    });
  });

  describe('a status that is not set', () => {
    it('resolves to null when the API answers a bare null, for the owner and for a user', async () => {
      await expect(pachca('null-200').getProfileStatus()).resolves.toBeNull();
      await expect(pachca('null-200').getUserStatus({ user_id: 12 })).resolves.toBeNull();
      expect(server.count('null-200', 'GET')).toBe(2);
    });

    it('still refuses an array or an object without data, once, as an unexpected answer', async () => {
      server.reset();
      await expect(pachca('array-200').getProfileStatus()).rejects.toBeInstanceOf(UnexpectedResponseError);
      await expect(pachca('object-200').getUserStatus({ user_id: 12 })).rejects.toThrow(UnexpectedResponseError);
      expect(server.count('array-200', 'GET') + server.count('object-200', 'GET')).toBe(2);
    });
  });

  describe('content codings', () => {
    it.each([
      ['gzip', 'gzip-200'],
      ['br', 'br-200'],
      ['deflate', 'deflate-200'],
      ['gzip, br (two codings, undone in reverse order)', 'gzip-br-200'],
    ])('decodes a body in %s', async (_coding, behaviour) => {
      await expect(pachca(behaviour).getMessage({ id: 7 })).resolves.toEqual(MESSAGE);
    });

    it('decodes a compressed error body into the typed error', async () => {
      const error = await pachca('gzip-400').getMessage({ id: 7 }).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(BadRequestError);
      expect((error as BadRequestError).body).toEqual(ERROR_BODY);
    });

    it('turns a coding it cannot decode into an UnexpectedResponseError, asked once, never data', async () => {
      server.reset();
      const error = await pachca('unknown-200').getMessage({ id: 7 }).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(UnexpectedResponseError);
      expect((error as UnexpectedResponseError).status).toBe(200);
      expect(server.count('unknown-200', 'GET')).toBe(1);
    });
  });
});
