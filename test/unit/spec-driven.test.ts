/**
 * The spec drives the client: what a spec states (a list's cursor, a length limit, a required parameter) becomes
 * the client's iterators and checks through the generator alone.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { bundle } from '@redocly/openapi-core';
import { describe, expect, it } from 'vitest';
import { bundleApi, listApis, loadRedoclyConfig, publicView, repoRoot, type OpenApiDocument } from '../../scripts/lib/apis.js';
import { inlineChecks, readRequestChecks } from '../../scripts/lib/checks.js';
import { generateModule } from '../../scripts/lib/codegen.js';
import { readOperations } from '../../scripts/lib/operations.js';
import { findPagedLists } from '../../scripts/lib/pagination.js';
import { createApiClient } from '../../src/core/client/client.js';
import type { ApiSpec } from '../../src/core/client/spec.js';
import { PaginationError, RequestValidationError } from '../../src/core/errors/errors.js';
import { bearerToken } from '../../src/core/exchange/credentials.js';
import { createPachcaClient } from '../../src/pachca/index.js';
import { ButtonLayoutError } from '../../src/pachca/validate.js';
import { checkFolderName, defaultServer as notesServer, notesSpec } from '../fixtures/fourth-api/generated.js';
import { json, scriptedFetch } from './helpers.js';

const FOURTH_API = path.join(repoRoot, 'test/fixtures/fourth-api');

async function apiDoc(name: string): Promise<OpenApiDocument> {
  const api = (await listApis()).find((entry) => entry.name === name);
  if (!api) throw new Error(`no ${name} in redocly.yaml`);
  return bundleApi(api);
}

const pachcaDoc = (): Promise<OpenApiDocument> => apiDoc('pachca');

/** The fourth API's spec, bundled as the generator reads it. */
async function fourthApiDoc(): Promise<OpenApiDocument> {
  const result = await bundle({ ref: path.join(FOURTH_API, 'openapi.yaml'), config: await loadRedoclyConfig() });
  return result.bundle.parsed as OpenApiDocument;
}

/** The fourth API's `listEvents` operation object, to change its `x-pagination` in a test. */
function listEventsOf(doc: OpenApiDocument): Record<string, unknown> {
  return (doc.paths?.['/events'] as { get: Record<string, unknown> }).get;
}

/** A client assembled, as the generator would, from a document changed in memory. */
function clientOf(doc: OpenApiDocument, fetch: typeof globalThis.fetch) {
  const operations = readOperations(doc);
  const table = Object.fromEntries(operations.map(({ id, entry }) => [id, entry]));
  const createMessage = table.createMessage;
  if (!createMessage) throw new Error('the spec has no createMessage');
  const spec: ApiSpec<{ readonly createMessage: (input?: unknown) => Promise<unknown> }, Record<string, never>, never> = {
    operations: { ...table, createMessage },
    checks: inlineChecks(readRequestChecks(doc, operations)),
    lists: {},
    credentialLocations: { query: [], header: [] },
  };
  return createApiClient({ api: 'test', spec, defaultBaseUrl: 'https://api.example.test', fetch, authenticate: (redactor) => bearerToken('tok-spec-0123', redactor) });
}

const buttonMessage = (text: string) => ({ body: { message: { entity_id: 1, content: 'x', buttons: [[{ text, data: 'd' }]] } } });

describe('request checks come from the spec', () => {
  it('refuses what a lowered limit forbids and sends what a raised one allows, with no change to the client', async () => {
    const doc = await pachcaDoc();
    const text = (doc.components?.schemas?.Button as { properties: { text: { maxLength: number } } }).properties.text;
    expect(text.maxLength).toBe(255);

    text.maxLength = 10;
    const lowered = scriptedFetch(json(201, { data: {} }));
    await expect(clientOf(doc, lowered).operations.createMessage(buttonMessage('eleven char'))).rejects.toMatchObject({
      name: 'RequestValidationError',
      field: 'message.buttons[0][0].text',
      message: 'message.buttons[0][0].text: is 11 characters long; at most 10 characters are allowed; nothing was sent',
    });
    expect(lowered.seen).toHaveLength(0);

    text.maxLength = 300;
    const raised = scriptedFetch(json(201, { data: {} }));
    await clientOf(doc, raised).operations.createMessage(buttonMessage('b'.repeat(300)));
    expect(raised.seen).toHaveLength(1);
  });

  it('reads a pattern with the u flag, so a one-character pattern takes one emoji and refuses two letters', async () => {
    const doc = await pachcaDoc();
    const text = (doc.components?.schemas?.Button as { properties: { text: { pattern?: string } } }).properties.text;
    expect(text.pattern).toBeUndefined();
    text.pattern = '^.$';
    const fetch = scriptedFetch(json(201, { data: {} }));
    await clientOf(doc, fetch).operations.createMessage(buttonMessage('🎉'));
    expect(fetch.seen).toHaveLength(1);
    await expect(clientOf(doc, fetch).operations.createMessage(buttonMessage('ab'))).rejects.toMatchObject({
      name: 'RequestValidationError',
      field: 'message.buttons[0][0].text',
      message: 'message.buttons[0][0].text: does not match the pattern ^.$; nothing was sent',
    });
    expect(fetch.seen).toHaveLength(1);
  });

  it('stops the generation, naming the pattern, when a spec states one that is no ECMA-262 expression with the u flag', async () => {
    const doc = await pachcaDoc();
    // `\-` outside a class is an identity escape, which the u flag forbids.
    (doc.components?.schemas?.Button as { properties: { text: { pattern?: string } } }).properties.text.pattern = '^\\-$';
    expect(() => readRequestChecks(doc, readOperations(doc))).toThrow('the spec\'s pattern "^\\\\-$" is not an ECMA-262 regular expression with the u flag');
  });

  it('checks a parameter limit the spec states (limit 1 to 50), naming the parameter and the limit', async () => {
    const fetch = scriptedFetch(json(200, { data: [], meta: { paginate: { next_page: '' } } }));
    const pachca = createPachcaClient({ token: 'tok-spec-0123', fetch });
    await expect(pachca.listChats({ limit: 51 })).rejects.toThrow('limit: is 51; it must be at most 50; nothing was sent');
    await expect(pachca.listChats({ limit: 0 })).rejects.toThrow('limit: is 0; it must be at least 1; nothing was sent');
    expect(fetch.seen).toHaveLength(0);
  });

  it('reads an x-enum-any-case value in any letter case and refuses one outside the list', async () => {
    const fetch = scriptedFetch(json(201, { data: {} }));
    const pachca = createPachcaClient({ token: 'tok-spec-0123', fetch });
    await pachca.createMessage({ body: { message: { entity_type: 'THREAD', entity_id: 1, content: 'x' } } });
    expect(fetch.seen).toHaveLength(1);
    await expect(pachca.createMessage({ body: { message: { entity_type: 'channel' as never, entity_id: 1, content: 'x' } } })).rejects.toThrow(
      'message.entity_type: must be one of "discussion", "thread", "user" (in any letter case); nothing was sent',
    );
    expect(fetch.seen).toHaveLength(1);
  });

  it('counts a length by code point, so 255 emoji fit a 255-character button', async () => {
    const fetch = scriptedFetch(json(201, { data: {} }));
    await createPachcaClient({ token: 'tok-spec-0123', fetch }).createMessage(buttonMessage('🎉'.repeat(255)));
    expect(fetch.seen).toHaveLength(1);
  });

  it('keeps ButtonLayoutError with its row and column for a refusal inside the buttons', async () => {
    const fetch = scriptedFetch(json(201, { data: {} }));
    const error = await createPachcaClient({ token: 'tok-spec-0123', fetch })
      .createMessage({ body: { message: { entity_id: 1, content: 'x', buttons: [[{ text: 'ok' }], [{ text: 'ok' }, { text: 'x', data: 'd'.repeat(256) }]] } } })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ButtonLayoutError);
    expect(error).toMatchObject({ row: 1, column: 1, field: 'message.buttons[1][1].data' });
    expect((error as Error).message).toContain('the data of the button at row 2, column 2 is 256 characters long; at most 255');
  });

  it('sends what the spec forbids when checkRequests is false, for the day the API moves ahead of the spec', async () => {
    const checked = scriptedFetch(json(201, { data: {} }));
    await expect(createPachcaClient({ token: 'tok-spec-0123', fetch: checked }).createMessage(buttonMessage('a'.repeat(256)))).rejects.toBeInstanceOf(
      RequestValidationError,
    );
    expect(checked.seen).toHaveLength(0);
    const unchecked = scriptedFetch(json(201, { data: {} }));
    await createPachcaClient({ token: 'tok-spec-0123', fetch: unchecked, checkRequests: false }).createMessage({
      body: { message: { entity_id: 1, content: 'x', buttons: [Array.from({ length: 9 }, () => ({ text: 'a'.repeat(256) }))] } },
    });
    expect(unchecked.seen).toHaveLength(1);
    expect(() => createPachcaClient({ token: 'tok-spec-0123', checkRequests: 'no' as never })).toThrow(RequestValidationError);
  });
});

describe('paged lists come from the spec', () => {
  it('gives a list added to the spec like the others its iterator, and search lists their empty-page end', async () => {
    const doc = await pachcaDoc();
    const lists = findPagedLists(doc, readOperations(doc));
    expect(lists.find((list) => list.name === 'iterateSearchUsers')).toEqual({
      name: 'iterateSearchUsers',
      list: 'searchUsers',
      cursor: ['cursor'],
      next: ['meta', 'paginate', 'next_page'],
      items: ['data'],
      endsOnEmptyPage: true,
    });
    const paths = doc.paths as Record<string, Record<string, { operationId: string }>>;
    const copy = structuredClone(paths['/bots'] as Record<string, unknown>);
    (copy.get as { operationId: string }).operationId = 'listRobots';
    for (const method of Object.keys(copy)) if (method !== 'get' && method !== 'parameters') delete copy[method];
    paths['/robots'] = copy as Record<string, { operationId: string }>;
    const withNewList = findPagedLists(doc, readOperations(doc));
    expect(withNewList.find((list) => list.list === 'listRobots')).toMatchObject({ name: 'iterateRobots', hasNext: ['meta', 'paginate', 'has_next'] });
  });
});

describe('lists paged by time come from the spec', () => {
  it("reads OK's history walks from the x-pagination of its three ways to read a chat's messages", async () => {
    const doc = await apiDoc('ok');
    const lists = findPagedLists(doc, readOperations(doc));
    expect(lists.find((list) => list.list === 'listMessages')).toEqual({
      name: 'iterateMessages',
      list: 'listMessages',
      by: 'time',
      cursor: ['from'],
      until: ['to'],
      count: ['count'],
      defaultCount: 50,
      items: ['messages'],
      time: ['timestamp'],
      id: ['message', 'mid'],
    });
    // The chat node's form and the query form of the same read page the same way, under names of their own.
    const sameWalk = ({ name: _name, list: _list, ...walk }: (typeof lists)[number]) => walk;
    for (const list of ['listChatMessages', 'listMessagesByQuery']) {
      expect(sameWalk(lists.find((found) => found.list === list) as (typeof lists)[number])).toEqual(sameWalk(lists.find((found) => found.list === 'listMessages') as (typeof lists)[number]));
    }
    expect(lists.map((list) => list.name).sort()).toEqual(['iterateChatMessages', 'iterateChats', 'iterateMessages', 'iterateMessagesByQuery']);
  });

  it('takes the largest page from the count parameter when the spec states one', async () => {
    const doc = await fourthApiDoc();
    expect(findPagedLists(doc, readOperations(doc)).find((list) => list.list === 'listEvents')).toMatchObject({ defaultCount: 2, maxCount: 4 });
  });

  it('keeps x-pagination out of what Prism and the reference are given', async () => {
    const doc = await apiDoc('ok');
    expect(JSON.stringify(doc)).toContain('"x-pagination"');
    expect(JSON.stringify(publicView(doc))).not.toContain('x-pagination');
  });

  const mistakes: readonly (readonly [string, (extension: Record<string, unknown>, operation: Record<string, unknown>) => void, string])[] = [
    ['is not an object', (_extension, operation) => (operation['x-pagination'] = 'time'), 'listEvents: x-pagination must be an object of fields, or false for a list without an iterator'],
    ['pages by an unknown way', (extension) => (extension.by = 'page'), 'listEvents: x-pagination.by must be cursor or time, not "page"'],
    ['names a cursor-list field', (extension) => (extension.next = 'next_cursor'), 'listEvents: x-pagination.next is not a field of a list paged by time (its fields: by, cursor, until, count, time, id, items, name)'],
    ['names no id', (extension) => delete extension.id, 'listEvents: x-pagination by time names no id: where an item holds its id, such as message.mid'],
    ['names no count', (extension) => delete extension.count, "listEvents: x-pagination by time names no count: the input's page size, such as count"],
    ['gives a path that is not one', (extension) => (extension.time = 'at..x'), 'listEvents: x-pagination.time must be a path, its steps joined by dots, such as message.mid'],
    ['names a parameter the operation lacks', (extension) => (extension.cursor = 'after'), 'listEvents: x-pagination.cursor names after, which is not a parameter of listEvents'],
    [
      'names an anchor that is not an integer',
      (_extension, operation) => (((operation.parameters as { schema: Record<string, unknown> }[])[0] as { schema: Record<string, unknown> }).schema.type = 'string'),
      'listEvents: x-pagination.cursor names before, which is not an integer',
    ],
    [
      'names a page size with no default',
      (_extension, operation) => delete ((operation.parameters as { schema: Record<string, unknown> }[])[2] as { schema: Record<string, unknown> }).schema.default,
      "listEvents: x-pagination.count names size, whose schema states no default page size from 1 to its maximum; the walk's first page needs the size the server uses",
    ],
    ['names items that are not an array', (extension) => (extension.items = 'events.0'), "listEvents: x-pagination.items names events.0, which is not an array in the answer"],
    ['names a time that is not an integer', (extension) => (extension.time = 'text'), "listEvents: x-pagination.time names text, which is not an integer field of the answer's events"],
    ['names an id the items lack', (extension) => (extension.id = 'uuid'), "listEvents: x-pagination.id names uuid, which is not a field of the answer's events"],
    ['names an iterator that is no identifier', (extension) => (extension.name = 'iterate events'), "listEvents: x-pagination.name must be the iterator's name, such as iterateMessages"],
  ];

  it.each(mistakes.map((entry) => [entry[0], entry] as const))('refuses an x-pagination that %s, naming the operation and the field', async (_name, [, change, message]) => {
    const doc = await fourthApiDoc();
    const operation = listEventsOf(doc);
    change(operation['x-pagination'] as Record<string, unknown>, operation);
    expect(() => findPagedLists(doc, readOperations(doc))).toThrow(message);
  });

  it('refuses a time field on a list paged by cursor, and an unknown end', async () => {
    const doc = await fourthApiDoc();
    const listNotes = (doc.paths?.['/notes'] as { get: Record<string, unknown> }).get;
    listNotes['x-pagination'] = { until: 'since' };
    expect(() => findPagedLists(doc, readOperations(doc))).toThrow(
      'listNotes: x-pagination.until is not a field of a list paged by cursor (its fields: by, cursor, next, items, ends, name)',
    );
    listNotes['x-pagination'] = { ends: 'never' };
    expect(() => findPagedLists(doc, readOperations(doc))).toThrow('listNotes: x-pagination.ends must be has-next, no-cursor or empty-page');
  });
});

/** The fourth API's client: its generated spec and its authentication, nothing else. */
function notesClient(fetch: typeof globalThis.fetch) {
  return createApiClient({
    api: 'notes',
    spec: notesSpec,
    // The spec's own server, as generated: nothing of the API is typed again.
    defaultBaseUrl: notesServer,
    fetch,
    authenticate: (redactor) => bearerToken('tok-notes-0123', redactor),
  });
}

describe('a fourth API, from a spec that exists only under test/', () => {
  it('generates the committed module from its spec', async () => {
    const module = await generateModule(await fourthApiDoc(), 'notes', { core: '../../../src/core' });
    expect(module.text).toBe(await readFile(path.join(FOURTH_API, 'generated.ts'), 'utf8'));
  });

  it('gets its methods, its iterator and its checks with no code but its authentication', async () => {
    const pages: Record<string, unknown> = {
      '': { notes: [{ id: 1, title: 'first' }, { id: 2, title: 'second' }], next_cursor: 'p2' },
      p2: { notes: [{ id: 3, title: 'third' }], next_cursor: '' },
    };
    const fetch = scriptedFetch(
      (url) => json(200, pages[new URL(url).searchParams.get('cursor') ?? ''] ?? {}),
      (url) => json(200, pages[new URL(url).searchParams.get('cursor') ?? ''] ?? {}),
      json(201, { id: 4, title: 'fourth' }),
    );
    const notes = notesClient(fetch);

    const titles: string[] = [];
    for await (const note of notes.iterators.iterateNotes({ folder: 'inbox', limit: 2 })) titles.push(note.title);
    expect(titles).toEqual(['first', 'second', 'third']);
    expect(fetch.seen.map((request) => request.url)).toEqual([
      'https://notes.example.test/v1/notes?folder=inbox&limit=2',
      'https://notes.example.test/v1/notes?folder=inbox&limit=2&cursor=p2',
    ]);
    expect(fetch.seen[0]?.headers.get('authorization')).toBe('Bearer tok-notes-0123');

    await expect(notes.operations.createNote({ body: { folder: 'inbox', title: 't'.repeat(21) } })).rejects.toThrow(
      'title: is 21 characters long; at most 20 characters are allowed; nothing was sent',
    );
    await expect(notes.operations.listNotes({} as never)).rejects.toMatchObject({ name: 'RequestValidationError', field: 'folder' });
    await expect(notes.iterators.iterateNotes({ folder: 'inbox', limit: 21 }).next()).rejects.toThrow('limit: is 21; it must be at most 20');
    expect(fetch.seen).toHaveLength(2);
    await expect(notes.operations.createNote({ body: { folder: 'inbox', title: 'fourth' } })).resolves.toEqual({ id: 4, title: 'fourth' });
  });

  /** The fourth API's events served like a time-paged API: the newest `size` at or before `before`, newest first. */
  function eventServer(events: readonly { id: string; at: number }[]) {
    const asked: { before: string | null; size: string | null }[] = [];
    const fetch = scriptedFetch((url) => {
      const query = new URL(url).searchParams;
      asked.push({ before: query.get('before'), size: query.get('size') });
      const before = Number(query.get('before') ?? Infinity);
      const page = events.filter((event) => event.at <= before).slice(0, Number(query.get('size') ?? 2));
      return json(200, { events: page });
    });
    const notes = notesClient(fetch);
    return { notes, asked, fetch };
  }

  it('gets the iterator of a list paged by time with no code but its authentication: each event once, newest first, pages growing past a crowded time', async () => {
    const { notes, asked, fetch } = eventServer([
      { id: 'e1', at: 500 },
      { id: 'e2', at: 400 },
      { id: 'e3', at: 400 },
      { id: 'e4', at: 400 },
      { id: 'e5', at: 300 },
      { id: 'e6', at: 200 },
    ]);
    const events = notes.iterators.iterateEvents({ since: 250 });
    const ids: string[] = [];
    for await (const event of events) ids.push(event.id);
    expect(ids).toEqual(['e1', 'e2', 'e3', 'e4', 'e5']);
    // The spec's default page (2), then just above the oldest time seen; three events at 400 fill a page of 2, so
    // it doubles to the spec's maximum (4). The last page is short, and reaches past since.
    expect(asked).toEqual([
      { before: null, size: '2' },
      { before: '401', size: '2' },
      { before: '401', size: '4' },
      { before: '301', size: '4' },
    ]);
    expect(fetch.seen.every((request) => new URL(request.url).searchParams.get('since') === '250')).toBe(true);
    expect(events.lastPage?.data).toEqual({ events: [{ id: 'e5', at: '300' }, { id: 'e6', at: '200' }] });
  });

  it("grows pages no further than the spec's maximum, then ends with a PaginationError, and refuses a bigger page before sending", async () => {
    const { notes, asked, fetch } = eventServer(Array.from({ length: 5 }, (_, index) => ({ id: `same${index}`, at: 100 })));
    const error = await (async () => {
      for await (const _ of notes.iterators.iterateEvents()) void _;
    })().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(PaginationError);
    expect((error as Error).message).toBe('listEvents: more than 4 items, the largest page, share at 100 after 3 pages; iteration stopped');
    expect(asked.map((request) => request.size)).toEqual(['2', '2', '4']);
    await expect(notes.iterators.iterateEvents({ size: 5 }).next()).rejects.toMatchObject({ name: 'RequestValidationError', field: 'size', message: expect.stringContaining('must be a whole number from 1 to 4') });
    expect(fetch.seen).toHaveLength(3);
  });
});

describe('a pattern the spec states', () => {
  const notes = (fetch: typeof globalThis.fetch) =>
    createApiClient({ api: 'notes', spec: notesSpec, defaultBaseUrl: 'https://notes.example.test/v1', fetch, authenticate: (redactor) => bearerToken('tok-notes-0123', redactor) });

  it('is generated as one regular expression with the u flag, shared by every check that uses its schema', () => {
    expect(checkFolderName.pattern).toEqual(/^[a-z][a-z0-9-]*$/u);
    expect(notesSpec.checks.listNotes?.params?.folder?.pattern).toBe(checkFolderName.pattern);
    expect(notesSpec.checks.createNote?.body?.properties?.folder?.pattern).toBe(checkFolderName.pattern);
  });

  it('refuses a parameter or a body field that breaks it, naming the pattern but not the value, with nothing sent', async () => {
    const fetch = scriptedFetch(json(200, { notes: [], next_cursor: '' }), json(201, { id: 1, title: 't' }));
    const secretish = 'Inbox sk-live-4f9a';
    const fromQuery = await notes(fetch).operations.listNotes({ folder: secretish }).catch((caught: unknown) => caught);
    expect(fromQuery).toBeInstanceOf(RequestValidationError);
    expect(fromQuery).toMatchObject({ field: 'folder', message: 'folder: does not match the pattern ^[a-z][a-z0-9-]*$; nothing was sent' });
    const fromBody = await notes(fetch).operations.createNote({ body: { folder: secretish, title: 't' } }).catch((caught: unknown) => caught);
    expect(fromBody).toMatchObject({ name: 'RequestValidationError', field: 'folder', message: 'folder: does not match the pattern ^[a-z][a-z0-9-]*$; nothing was sent' });
    expect(String(fromQuery) + String(fromBody)).not.toContain('sk-live');
    expect(fetch.seen).toHaveLength(0);

    await notes(fetch).operations.listNotes({ folder: 'in-box-2' });
    expect(fetch.seen.map((request) => request.url)).toEqual(['https://notes.example.test/v1/notes?folder=in-box-2']);
  });
});

describe('operations that stand alone', () => {
  it('sends through a standalone operation exactly what the bound method sends, with the same checks', async () => {
    const { createMessage, createPachcaCore } = await import('../../src/pachca/operations.js');
    const body = { message: { entity_id: 198, content: 'Hello' } };
    const viaCore = scriptedFetch(json(201, { data: { id: 1 } }));
    const viaClient = scriptedFetch(json(201, { data: { id: 1 } }));
    await expect(createMessage(createPachcaCore({ token: 'tok-spec-0123', fetch: viaCore }), { body })).resolves.toEqual({ data: { id: 1 } });
    await createPachcaClient({ token: 'tok-spec-0123', fetch: viaClient }).createMessage({ body });
    const seen = (fetch: typeof viaCore) => fetch.seen.map(({ url, method, body: sent, headers }) => ({ url, method, sent, auth: headers.get('authorization') }));
    expect(seen(viaCore)).toEqual(seen(viaClient));
    await expect(createMessage(createPachcaCore({ token: 'tok-spec-0123', fetch: viaCore }), buttonMessage('a'.repeat(256)))).rejects.toBeInstanceOf(ButtonLayoutError);
    expect(viaCore.seen).toHaveLength(1);
  });

  it('gives uNet and OK their standalone operations too, called with their own cores', async () => {
    const { addMessage, createUnetCore } = await import('../../src/unet/operations.js');
    const unetFetch = scriptedFetch(json(200, { id: 5 }));
    await addMessage(createUnetCore({ accessToken: 'tok-unet-0123', resourceUri: 'https://3801130518.unet.com/api/', fetch: unetFetch }), {
      q: { chat_id: 2200334455, message: 'Hello' },
    });
    expect(JSON.parse(new URL(unetFetch.seen[0]?.url ?? '').searchParams.get('q') ?? '')).toEqual({ chat_id: 2200334455, message: 'Hello' });
    const { createOkCore, getChat } = await import('../../src/ok/operations.js');
    const okFetch = scriptedFetch(json(200, { chat_id: 'chat:1', type: 'CHAT' }));
    await getChat(createOkCore({ accessToken: 'tok-ok-0123', fetch: okFetch }), { chat_id: 'chat:1' });
    expect(okFetch.seen[0]?.url).toBe('https://api.ok.ru/graph/me/chat/chat:1?access_token=tok-ok-0123');
  });
});
