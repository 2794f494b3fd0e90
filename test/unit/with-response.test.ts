/**
 * `.withResponse()` on every method's promise and `lastPage` on every iterator: the data together with the final
 * response and the server's request id, with the same errors as the plain call and no unhandled rejection.
 */
import { describe, expect, it } from 'vitest';
import { PermissionDeniedError, RateLimitError } from '../../src/core/index.js';
import { createOkClient } from '../../src/ok/index.js';
import { createPachcaClient } from '../../src/pachca/index.js';
import { createUnetClient } from '../../src/unet/index.js';
import { fakeClock, json, scriptedFetch } from './helpers.js';

const TOKEN = 'tok-with-response-0123';
const message = { data: { id: 7, content: 'hi' } };

describe('.withResponse()', () => {
  it('resolves to the data, the final response after a retry, and the request id', async () => {
    const clock = fakeClock();
    const fetch = scriptedFetch(json(429, {}, { 'retry-after': '1' }), json(200, message, { 'x-request-id': 'req-42', etag: 'W/"1"' }));
    const pachca = createPachcaClient({ token: TOKEN, fetch, retry: { clock } });
    const { data, response, requestId } = await pachca.getMessage({ id: 7 }).withResponse();
    expect(data).toEqual(message);
    expect(response.status).toBe(200);
    expect(response.headers.get('etag')).toBe('W/"1"');
    expect(requestId).toBe('req-42');
    expect(fetch.seen).toHaveLength(2);
  });

  it('gives requestId undefined when the server names none, and the same data as awaiting the call', async () => {
    const pachca = createPachcaClient({ token: TOKEN, fetch: scriptedFetch(json(200, message)) });
    const call = pachca.getMessage({ id: 7 });
    const [plain, withResponse] = await Promise.all([call, call.withResponse()]);
    expect(withResponse.requestId).toBeUndefined();
    expect(withResponse.data).toEqual(plain);
  });

  it('awaiting a Pachca send reads none of its response headers, and .withResponse() still gives the request id', async () => {
    const sent = { data: { id: 9, chat_id: 3, content: 'hi' } };
    let headerReads = 0;
    const counted = (template: Response) => (): Response => {
      const response = template.clone();
      const headers = response.headers;
      Object.defineProperty(response, 'headers', {
        get: () => {
          headerReads++;
          return headers;
        },
      });
      return response;
    };
    const fetch = scriptedFetch(counted(json(201, sent, { 'x-request-id': 'req-9' })), counted(json(201, sent, { 'x-request-id': 'req-10' })));
    const pachca = createPachcaClient({ token: TOKEN, fetch });
    expect(await pachca.createMessage({ body: { message: { entity_id: 3, content: 'hi' } } })).toEqual(sent);
    expect(headerReads).toBe(0);
    const { requestId } = await pachca.createMessage({ body: { message: { entity_id: 3, content: 'hi' } } }).withResponse();
    expect(requestId).toBe('req-10');
  });

  it("walking a list reads none of its pages' headers until lastPage's request id is asked for", async () => {
    let headerReads = 0;
    const page = (template: Response) => (): Response => {
      const response = template.clone();
      const headers = response.headers;
      Object.defineProperty(response, 'headers', {
        get: () => {
          headerReads++;
          return headers;
        },
      });
      return response;
    };
    const reaction = (user_id: number) => ({ user_id, created_at: '2026-12-02T10:00:00.000Z', code: '👍', name: ':+1:' });
    const first = { data: [reaction(1)], meta: { paginate: { next_page: 'c2' } } };
    const last = { data: [reaction(2)], meta: { paginate: { next_page: null } } };
    const fetch = scriptedFetch(page(json(200, first, { 'x-request-id': 'req-p1' })), page(json(200, last, { 'x-request-id': 'req-p2' })));
    const pachca = createPachcaClient({ token: TOKEN, fetch });
    const walk = pachca.iterateReactions({ id: 7 });
    const ids: unknown[] = [];
    for await (const item of walk) ids.push(item.user_id);
    expect(ids).toEqual([1, 2]);
    expect(headerReads).toBe(0);
    expect(walk.lastPage?.requestId).toBe('req-p2');
    expect({ ...walk.lastPage }.requestId).toBe('req-p2');
  });

  it('sends one request however many times the promise is read', async () => {
    const fetch = scriptedFetch(json(200, message));
    const pachca = createPachcaClient({ token: TOKEN, fetch });
    const call = pachca.getMessage({ id: 7 });
    await call;
    await call;
    await call.withResponse();
    expect(fetch.seen).toHaveLength(1);
  });

  it('rejects with the typed error the call throws, and leaves no unhandled rejection when only it is read', async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown): void => void unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    try {
      const fetch = scriptedFetch(json(403, { error: 'insufficient_scope', error_description: 'no' }, { 'x-request-id': 'req-403' }));
      const pachca = createPachcaClient({ token: TOKEN, fetch });
      const error = await pachca
        .createMessage({ body: { message: { entity_id: 1, content: 'x' } } })
        .withResponse()
        .catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(PermissionDeniedError);
      expect((error as PermissionDeniedError).requestId).toBe('req-403');
      await new Promise((resolve) => setTimeout(resolve, 10));
      expect(unhandled).toEqual([]);
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });

  it('rejects a wrong input instead of throwing at the call site', async () => {
    const pachca = createPachcaClient({ token: TOKEN, fetch: scriptedFetch(json(200, message)) });
    const call = (pachca.getMessage as (input: unknown) => Promise<unknown>)({ id: 7, params: { id: 7 } });
    await expect(call).rejects.toThrow(/params/);
  });

  it('is a Promise, and .then, .catch and .finally give plain promises', async () => {
    const pachca = createPachcaClient({ token: TOKEN, fetch: scriptedFetch(json(429, {}, { 'retry-after': '999' })) });
    const call = pachca.getMessage({ id: 7 });
    expect(call).toBeInstanceOf(Promise);
    const caught = call.catch((error: unknown) => error);
    expect(Object.getPrototypeOf(caught)).toBe(Promise.prototype);
    expect(await caught).toBeInstanceOf(RateLimitError);
    let finished = false;
    await call.finally(() => (finished = true)).catch(() => undefined);
    expect(finished).toBe(true);
  });

  it('works the same on the OK and uNet clients', async () => {
    const ok = createOkClient({ accessToken: 'ok-token-0123456', fetch: scriptedFetch(json(200, { chat_id: 'chat:C1' }, { 'x-request-id': 'ok-1' })) });
    expect((await ok.getChat({ chat_id: 'chat:C1' }).withResponse()).requestId).toBe('ok-1');
    const unet = createUnetClient({ accessToken: 'unet-token-0123', resourceUri: 'https://u1.unet.test/api/', fetch: scriptedFetch(json(200, { id: 1 }, { 'request-id': 'u-1' })) });
    expect((await unet.getMessage({ id: 1 }).withResponse()).requestId).toBe('u-1');
  });
});

describe('iterators', () => {
  it('expose the last page fetched with its response, page by page', async () => {
    const page = (id: number, next: string | null, hasNext: boolean) => ({ data: [{ id, content: `m${id}` }], meta: { paginate: { next_page: next, has_next: hasNext } } });
    const fetch = scriptedFetch(json(200, page(1, 'p2', true), { 'x-request-id': 'page-1' }), json(200, page(2, null, false), { 'x-request-id': 'page-2' }));
    const pachca = createPachcaClient({ token: TOKEN, fetch });
    const messages = pachca.iterateChatMessages({ chat_id: 334 });
    expect(messages.lastPage).toBeUndefined();
    const seen: [number, string | undefined][] = [];
    for await (const found of messages) seen.push([found.id, messages.lastPage?.requestId]);
    expect(seen).toEqual([
      [1, 'page-1'],
      [2, 'page-2'],
    ]);
    expect(messages.lastPage?.response.status).toBe(200);
    expect(messages.lastPage?.data.meta.paginate.has_next).toBe(false);
  });

  it('do the same for OK chats and history and uNet messages', async () => {
    const ok = createOkClient({ accessToken: 'ok-token-0123456', fetch: scriptedFetch(json(200, { chats: [{ chat_id: 'chat:C1' }] }, { 'x-request-id': 'ok-chats' })) });
    const chats = ok.iterateChats();
    for await (const _ of chats) void _;
    expect(chats.lastPage?.requestId).toBe('ok-chats');
    const history = createOkClient({ accessToken: 'ok-token-0123456', fetch: scriptedFetch(json(200, { messages: [] }, { 'x-request-id': 'ok-history' })) }).iterateMessages({ chat_id: 'chat:C1' });
    for await (const _ of history) void _;
    expect(history.lastPage?.requestId).toBe('ok-history');
    const unet = createUnetClient({ accessToken: 'unet-token-0123', resourceUri: 'https://u1.unet.test/api/', fetch: scriptedFetch(json(200, { items: [{ id: 1 }], next_cursor: '' }, { 'x-request-id': 'u-page' })) });
    const items = unet.iterateMessages({ q: { chat_id: 1 } });
    for await (const _ of items) void _;
    expect(items.lastPage?.requestId).toBe('u-page');
  });
});
