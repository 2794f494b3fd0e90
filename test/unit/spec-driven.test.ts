/**
 * The spec drives the client: what a spec states (a list's cursor, a length limit, a required parameter) becomes
 * the client's iterators and checks through the generator alone.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { bundle } from '@redocly/openapi-core';
import { describe, expect, it } from 'vitest';
import { bundleApi, listApis, loadRedoclyConfig, repoRoot, type OpenApiDocument } from '../../scripts/lib/apis.js';
import { inlineChecks, readRequestChecks } from '../../scripts/lib/checks.js';
import { generateModule } from '../../scripts/lib/codegen.js';
import { readOperations } from '../../scripts/lib/operations.js';
import { findPagedLists } from '../../scripts/lib/pagination.js';
import { createApiClient } from '../../src/core/client/client.js';
import type { ApiSpec } from '../../src/core/client/spec.js';
import { RequestValidationError } from '../../src/core/errors/errors.js';
import { bearerToken } from '../../src/core/exchange/credentials.js';
import { createPachcaClient } from '../../src/pachca/index.js';
import { ButtonLayoutError } from '../../src/pachca/validate.js';
import { checkFolderName, notesSpec } from '../fixtures/fourth-api/generated.js';
import { json, scriptedFetch } from './helpers.js';

const FOURTH_API = path.join(repoRoot, 'test/fixtures/fourth-api');

async function pachcaDoc(): Promise<OpenApiDocument> {
  const api = (await listApis()).find((entry) => entry.name === 'pachca');
  if (!api) throw new Error('no pachca in redocly.yaml');
  return bundleApi(api);
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

describe('a fourth API, from a spec that exists only under test/', () => {
  it('generates the committed module from its spec', async () => {
    const result = await bundle({ ref: path.join(FOURTH_API, 'openapi.yaml'), config: await loadRedoclyConfig() });
    const module = await generateModule(result.bundle.parsed as OpenApiDocument, 'notes', { core: '../../../src/core' });
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
    const notes = createApiClient({
      api: 'notes',
      spec: notesSpec,
      defaultBaseUrl: 'https://notes.example.test/v1',
      fetch,
      authenticate: (redactor) => bearerToken('tok-notes-0123', redactor),
    });

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
