/**
 * Inputs that cannot be sent as given are refused before sending, over both transports, against the hostile
 * loopback server: each case must be a `RequestValidationError` naming the field at fault and the problem, and
 * the server (and the second origin) must have seen nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RequestValidationError } from '../../src/core/index.js';
import type { FetchFunction } from '../../src/core/client/types.js';
import { createUndiciFetch } from '../../src/node/index.js';
import { createOkClient } from '../../src/ok/index.js';
import { createPachcaClient } from '../../src/pachca/index.js';
import { createUnetAuth, createUnetClient } from '../../src/unet/index.js';
import { startHostileServer, type HostileServer } from './hostile-server.js';

const TOKEN = 'refusal-token-1234567890';
let server: HostileServer;
const undici = createUndiciFetch();
const TRANSPORTS: Record<string, FetchFunction> = { fetch: (url, init) => globalThis.fetch(url, init), undici };

beforeAll(async () => {
  server = await startHostileServer();
});

afterAll(async () => {
  await server.close();
  await undici.close();
});

/** A cyclic object, as a careless caller might pass a parsed model that points back at its parent. */
function cyclic(): Record<string, unknown> {
  const node: Record<string, unknown> = { name: 'loop' };
  node.self = node;
  return node;
}

/** One refusal: the call, and the field and the words its error must carry. */
type Clients = ReturnType<typeof clients>;
type Case = readonly [name: string, call: (clients: Clients) => Promise<unknown>, field: string, problem: RegExp];

function clients(fetch: FetchFunction) {
  const baseUrl = `${server.url}/s/landing`;
  const common = { baseUrl, fetch, retry: { maxRetries: 0 } };
  const pachca = createPachcaClient({ ...common, token: TOKEN });
  const ok = createOkClient({ ...common, accessToken: TOKEN });
  const auth = createUnetAuth({ ...common, clientId: 'app', clientSecret: 'client-secret-123456', redirectUri: 'https://example.com/cb' });
  const unet = createUnetClient({ ...common, accessToken: TOKEN, resourceUri: baseUrl });
  return { pachca, ok, auth, unet, baseUrl };
}

const message = (extra: Record<string, unknown>) => ({ body: { message: { entity_id: 1, content: 'x', ...extra } } }) as never;
const CASES: Case[] = [
    // uNet's JSON query parameter q.
    ['a BigInt in q', ({ pachca, ok, auth, unet, baseUrl }) => unet.addMessage({ q: { chat_id: 10n, message: 'x' } as never }), 'q.chat_id', /BigInt/],
    ['a cycle in q', ({ pachca, ok, auth, unet, baseUrl }) => unet.listMessages({ q: { chat_id: 1, extra: cyclic() } as never }), 'q.extra.self', /cycle/],
    ['NaN in q', ({ pachca, ok, auth, unet, baseUrl }) => unet.addMessage({ q: { chat_id: Number.NaN, message: 'x' } }), 'q.chat_id', /NaN/],
    ['Infinity in q', ({ pachca, ok, auth, unet, baseUrl }) => unet.listMessages({ q: { chat_id: 1, limit: Number.POSITIVE_INFINITY } as never }), 'q.limit', /Infinity/],
    ['a function in q', ({ pachca, ok, auth, unet, baseUrl }) => unet.addMessage({ q: { chat_id: 1, message: (() => 'x') as never } }), 'q.message', /function/],
    // JSON bodies.
    ['NaN in a JSON body', ({ pachca, ok, auth, unet, baseUrl }) => pachca.createMessage(message({ entity_id: Number.NaN })), 'message.entity_id', /NaN/],
    ['-Infinity in a JSON body', ({ pachca, ok, auth, unet, baseUrl }) => pachca.createMessage(message({ parent_message_id: Number.NEGATIVE_INFINITY })), 'message.parent_message_id', /Infinity/],
    ['a BigInt in a JSON body', ({ pachca, ok, auth, unet, baseUrl }) => pachca.createMessage(message({ extra: 10n })), 'message.extra', /BigInt/],
    ['a cycle in a JSON body', ({ pachca, ok, auth, unet, baseUrl }) => pachca.createMessage(message({ extra: cyclic() })), 'message.extra.self', /cycle/],
    ['a Map in a JSON body', ({ pachca, ok, auth, unet, baseUrl }) => pachca.createMessage(message({ extra: new Map([['a', 1]]) })), 'message.extra', /Map/],
    ['a typed array in q', ({ pachca, ok, auth, unet, baseUrl }) => unet.addMessage({ q: { chat_id: 1, message: new Uint8Array([1]) as never } }), 'q.message', /typed array/],
    ['an undefined list item in a JSON body', ({ pachca, ok, auth, unet, baseUrl }) => pachca.createMessage(message({ files: [undefined] })), 'message.files[0]', /undefined/],
    ['NaN in an OK body', ({ pachca, ok, auth, unet, baseUrl }) => ok.sendMessage({ chat_id: 'chat:C1', body: { recipient: { chat_id: 'chat:C1' }, message: { text: 'x', n: Number.NaN } } as never }), 'message.n', /NaN/],
    // Query parameters.
    ["OK's count=NaN", ({ pachca, ok, auth, unet, baseUrl }) => ok.listMessages({ chat_id: 'chat:C1', count: Number.NaN }), 'count', /NaN/],
    ['Infinity in a query', ({ pachca, ok, auth, unet, baseUrl }) => pachca.listChats({ limit: Number.POSITIVE_INFINITY }), 'limit', /Infinity/],
    ['a nested object in a query', ({ pachca, ok, auth, unet, baseUrl }) => pachca.listChats({ limit: { n: { m: 1 } } as never }), 'limit.n', /not an object/],
    ['a cycle in a query', ({ pachca, ok, auth, unet, baseUrl }) => pachca.listChats({ sort: cyclic() as never }), 'sort.self', /not an object/],
    ['an object in a query list', ({ pachca, ok, auth, unet, baseUrl }) => pachca.listGroupTags({ names: [{}] as never }), 'names[0]', /not an object/],
    // Path parameters.
    ['NaN in a path', ({ pachca, ok, auth, unet, baseUrl }) => pachca.getMessage({ id: Number.NaN }), 'id', /NaN/],
    ['Infinity in a path', ({ pachca, ok, auth, unet, baseUrl }) => ok.getChat({ chat_id: Number.POSITIVE_INFINITY as never }), 'chat_id', /Infinity/],
    // Headers.
    ['an object as a header', ({ pachca, ok, auth, unet, baseUrl }) => pachca.getMessage({ id: 1 }, { headers: { 'x-note': {} as never } }), 'headers.x-note', /not an object/],
    ['a cycle as a header', ({ pachca, ok, auth, unet, baseUrl }) => pachca.getMessage({ id: 1 }, { headers: { 'x-note': cyclic() as never } }), 'headers.x-note', /not an object/],
    ['NaN as a header', ({ pachca, ok, auth, unet, baseUrl }) => pachca.getMessage({ id: 1 }, { headers: { 'x-note': Number.NaN } }), 'headers.x-note', /NaN/],
    // Form bodies (uNet's token request is form-encoded; Pachca's upload is multipart).
    ['an object in a form body', ({ pachca, ok, auth, unet, baseUrl }) => auth.raw.POST('/token', { body: { grant_type: 'authorization_code', client_id: {} } as never }), 'client_id', /not an object/],
    ['NaN in a form body', ({ pachca, ok, auth, unet, baseUrl }) => auth.raw.POST('/token', { body: { grant_type: 'authorization_code', client_id: Number.NaN } as never }), 'client_id', /NaN/],
    ['a BigInt inside a multipart field', ({ pachca, ok, auth, unet, baseUrl }) => pachca.directUpload({ body: { key: 'k', policy: { n: 1n } } as never }, { baseUrl }), 'policy.n', /BigInt/],
    ['a cycle inside a multipart field', ({ pachca, ok, auth, unet, baseUrl }) => pachca.directUpload({ body: { key: 'k', policy: cyclic() } as never }, { baseUrl }), 'policy.self', /cycle/],
    ['NaN as a multipart field', ({ pachca, ok, auth, unet, baseUrl }) => pachca.directUpload({ body: { key: 'k', size: Number.NaN } as never }, { baseUrl }), 'size', /NaN/],
    ['an object as a binary body', ({ pachca, ok, auth, unet, baseUrl }) => ok.uploadFileContent({ body: { bytes: 1 } as never }, { baseUrl }), 'body', /Blob/],
    // A body where the operation takes none, and no body where it needs one.
    ['a body for Pachca getMessage', ({ pachca, ok, auth, unet, baseUrl }) => pachca.getMessage({ id: 1, body: {} } as never), 'body', /getMessage.*no request body/],
    ['a body for OK getChat', ({ pachca, ok, auth, unet, baseUrl }) => ok.getChat({ chat_id: 'chat:C1', body: {} } as never), 'body', /getChat.*no request body/],
    ['a body for uNet getMessage', ({ pachca, ok, auth, unet, baseUrl }) => unet.getMessage({ id: 1, body: {} } as never), 'body', /getMessage.*no request body/],
    ['a body for a raw GET', ({ pachca, ok, auth, unet, baseUrl }) => pachca.raw.GET('/messages/{id}', { params: { path: { id: 1 } }, body: {} } as never), 'body', /no request body/],
    ['createMessage({})', ({ pachca, ok, auth, unet, baseUrl }) => pachca.createMessage({} as never), 'body', /required by createMessage/],
    ['createMessage()', ({ pachca, ok, auth, unet, baseUrl }) => (pachca.createMessage as (input?: unknown) => Promise<unknown>)(), 'body', /required by createMessage/],
    ["OK's send without a body", ({ pachca, ok, auth, unet, baseUrl }) => ok.sendMessage({ chat_id: 'chat:C1' } as never), 'body', /required by sendMessage/],
    ["OK's user send without a body", ({ pachca, ok, auth, unet, baseUrl }) => ok.sendUserMessage({} as never), 'body', /required by sendUserMessage/],
    ["uNet's send without q", ({ pachca, ok, auth, unet, baseUrl }) => unet.addMessage({} as never), 'q', /required by addMessage/],
    ["uNet's edit without q", ({ pachca, ok, auth, unet, baseUrl }) => unet.editMessage({ id: 1 } as never), 'q', /required by editMessage/],
    ['a raw POST without its body', ({ pachca, ok, auth, unet, baseUrl }) => pachca.raw.POST('/messages', {} as never), 'body', /required by createMessage/],
    // Per-call options that do not exist.
    ['{ timeoutMS: 1 }', ({ pachca, ok, auth, unet, baseUrl }) => pachca.getMessage({ id: 1 }, { timeoutMS: 1 } as never), 'options.timeoutMS', /second argument and parameters \(and body\) by name in the first: getMessage\(\{ id \}, \{ timeoutMs \}\)/],
    ['{ params } in the options', ({ pachca, ok, auth, unet, baseUrl }) => unet.getMessage({ id: 1 }, { params: { path: { id: 1 } } } as never), 'options.params', /second argument and parameters \(and body\) by name in the first: getMessage\(\{ id \}, \{ timeoutMs \}\)/],
    ['{ body } in the options', ({ pachca, ok, auth, unet, baseUrl }) => ok.sendMessage({ chat_id: 'chat:C1', body: { recipient: { chat_id: 'chat:C1' }, message: { text: 'x' } } } as never, { body: {} } as never), 'options.body', /not a call option/],
    ['options that are not an object', ({ pachca, ok, auth, unet, baseUrl }) => pachca.getMessage({ id: 1 }, 'fast' as never), 'options', /must be an object/],
    ['an unknown option of a raw call', ({ pachca, ok, auth, unet, baseUrl }) => pachca.raw.GET('/messages/{id}', { params: { path: { id: 1 } }, timeoutMS: 1 } as never), 'options.timeoutMS', /raw call/],
];

describe.each(Object.keys(TRANSPORTS))('over %s', (transportName) => {
  const fetch = TRANSPORTS[transportName] as FetchFunction;

  it.each(CASES.map((entry) => [entry[0], entry] as const))('refuses %s before sending', async (_name, [, call, field, problem]) => {
    server.reset();
    const error = await call(clients(fetch)).then(
      () => undefined,
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(RequestValidationError);
    expect((error as RequestValidationError).field).toBe(field);
    expect((error as Error).message).toMatch(problem);
    expect((error as Error).message).toContain('nothing was sent');
    expect((error as Error).message).not.toContain(TOKEN);
    expect(server.seen).toEqual([]);
    expect(server.seenElsewhere).toEqual([]);
  });

  it('still sends what each serializer can carry: numbers in path and query, Dates in JSON, nested JSON in q', async () => {
    server.reset();
    const { pachca, unet } = clients(fetch);
    // The landing answer fits some of these operations only; what matters here is that each request went out.
    const settle = (call: Promise<unknown>) => call.catch((error: unknown) => expect(error).not.toBeInstanceOf(RequestValidationError));
    await settle(pachca.getMessage({ id: 12 }));
    await settle(pachca.listChats({ limit: 5 }));
    await settle(pachca.createMessage({ body: { message: { entity_id: 1, content: 'x', at: new Date(0) } as never } }));
    await settle(unet.listMessages({ q: { chat_id: 1, filter: { nested: [1, 'two', null] } } as never }));
    expect(server.seen).toEqual(['landing GET', 'landing GET', 'landing POST', 'landing GET']);
  });
});
