/**
 * The Pachca client against the API as it is since August 2026, over an injected fetch: the query string of the
 * array filters, the bare `null` of a status that is not set, the audit log's per-event details (an int64 size
 * among them), and a file name that must carry its key's extension.
 */
import { describe, expect, it } from 'vitest';
import { bundleApi, listApis } from '../../scripts/lib/apis.js';
import { resolve } from '../../scripts/lib/operations.js';
import { operationTable } from '../../generated/pachca.js';
import { RequestValidationError, UnexpectedResponseError } from '../../src/core/errors/errors.js';
import { createPachcaClient } from '../../src/pachca/index.js';
import { json, scriptedFetch } from './helpers.js';

const BASE = 'https://api.pachca.test/v1';
const EMPTY_PAGE = { data: [], meta: { paginate: { has_next: false, next_page: null } } };

function client(fetch: typeof globalThis.fetch) {
  return createPachcaClient({ token: 't', baseUrl: BASE, fetch, retry: { maxRetries: 0 } });
}

/** The query string of a request, as written. */
const queryOf = (url: string): string => url.slice(url.indexOf('?') + 1);

describe("Pachca's array filters", () => {
  it('writes every array query parameter of the spec with brackets, each value repeated', async () => {
    const api = (await listApis()).find((entry) => entry.name === 'pachca');
    if (!api) throw new Error('no pachca API in redocly.yaml');
    const doc = await bundleApi(api);
    const arrays: string[] = [];
    for (const item of Object.values(doc.paths ?? {})) {
      for (const operation of Object.values(item as Record<string, { operationId?: string; parameters?: unknown[] }>)) {
        for (const raw of operation?.parameters ?? []) {
          const parameter = resolve(doc, raw) as { name: string; in: string; schema?: { type?: string } } | undefined;
          if (parameter?.in === 'query' && resolve(doc, parameter.schema)?.type === 'array') arrays.push(`${String(operation.operationId)}.${parameter.name}`);
        }
      }
    }
    expect(arrays.sort()).toEqual(['listGroupTags.names', 'searchMessages.chat_ids', 'searchMessages.user_ids', 'searchUsers.company_roles']);
    for (const entry of arrays) {
      const [id, name] = entry.split('.') as [keyof typeof operationTable, string];
      expect((operationTable[id] as { queryNames?: Record<string, string> }).queryNames?.[name]).toBe(`${name}[]`);
    }
  });

  it('sends names[]=Design&names[]=Product and keeps the readable input key', async () => {
    const fetch = scriptedFetch(json(200, EMPTY_PAGE));
    await client(fetch).listGroupTags({ names: ['Design', 'Product'] });
    expect(fetch.seen[0]?.url).toBe(`${BASE}/group_tags?names[]=Design&names[]=Product`);
  });

  it('sends chat_ids[], user_ids[] and company_roles[] on searches, and encodes the values', async () => {
    const fetch = scriptedFetch(json(200, EMPTY_PAGE));
    await client(fetch).searchMessages({ query: 'a&b', chat_ids: [198, 334], user_ids: [12] });
    await client(fetch).searchUsers({ company_roles: ['admin', 'user'], limit: 5 });
    expect(queryOf(fetch.seen[0]?.url ?? '')).toBe('query=a%26b&chat_ids[]=198&chat_ids[]=334&user_ids[]=12');
    expect(queryOf(fetch.seen[1]?.url ?? '')).toBe('company_roles[]=admin&company_roles[]=user&limit=5');
  });

  it('writes the brackets in the raw style too, which goes through the same table row', async () => {
    const fetch = scriptedFetch(json(200, EMPTY_PAGE));
    await client(fetch).raw.GET('/group_tags', { params: { query: { names: ['Design'] } } });
    expect(fetch.seen[0]?.url).toBe(`${BASE}/group_tags?names[]=Design`);
  });

  it('refuses the wire name as an input key: the input keeps the readable names', async () => {
    const fetch = scriptedFetch(json(200, EMPTY_PAGE));
    await expect(client(fetch).listGroupTags({ ['names[]' as 'names']: ['Design'] })).rejects.toBeInstanceOf(RequestValidationError);
    expect(fetch.seen).toHaveLength(0);
  });
});

describe('a status that is not set', () => {
  it('resolves getProfileStatus and getUserStatus to null on a bare null', async () => {
    const fetch = scriptedFetch(json(200, null));
    await expect(client(fetch).getProfileStatus()).resolves.toBeNull();
    await expect(client(fetch).getUserStatus({ user_id: 12 })).resolves.toBeNull();
  });

  it('resolves a set status as it is, and refuses a body that is neither', async () => {
    const status = { data: { emoji: '🏖', title: 'В отпуске', expires_at: null, is_away: true, away_message: null } };
    await expect(client(scriptedFetch(json(200, status))).getProfileStatus()).resolves.toEqual(status);
    await expect(client(scriptedFetch(json(200, 'none'))).getProfileStatus()).rejects.toBeInstanceOf(UnexpectedResponseError);
    await expect(client(scriptedFetch(json(200, { status: null }))).getUserStatus({ user_id: 1 })).rejects.toBeInstanceOf(UnexpectedResponseError);
  });

  it('marks only the two status reads as answering null', () => {
    const nullable = Object.entries(operationTable).filter(([, entry]) => (entry as { nullable?: true }).nullable).map(([id]) => id);
    expect(nullable.sort()).toEqual(['getProfileStatus', 'getUserStatus']);
  });
});

describe('the audit log', () => {
  it('lists 45 event kinds, each typed by exactly one shape of details', async () => {
    const api = (await listApis()).find((entry) => entry.name === 'pachca');
    if (!api) throw new Error('no pachca API in redocly.yaml');
    const doc = await bundleApi(api);
    const keys = (resolve(doc, { $ref: '#/components/schemas/AuditEventKey' }) as { enum: string[] }).enum;
    expect(keys).toHaveLength(45);
    expect(keys).toEqual(expect.arrayContaining(['bot_deleted', 'bot_oauth_client_updated', 'oauth_authorization_granted', 'oauth_authorization_revoked', 'video_call_started', 'video_call_finished', 'video_call_recording_ready']));
    const variants = (resolve(doc, { $ref: '#/components/schemas/AuditEvent' }) as { oneOf: { allOf: { properties?: { event_key: { enum: string[] } } }[] }[] }).oneOf;
    const mapped = variants.flatMap((variant) => variant.allOf.flatMap((part) => part.properties?.event_key.enum ?? []));
    expect(mapped.sort()).toEqual([...keys].sort());
  });

  it("keeps a recording's int64 size exact inside the per-event details", async () => {
    const page = `{"data":[{"id":"e1","created_at":"2026-08-07T10:00:00.000Z","event_key":"video_call_recording_ready","entity_id":"334","entity_type":"Chat","actor_id":"185","actor_type":"User","details":{"chat_id":334,"started_message_id":null,"recording_id":5,"file_id":6,"duration":60,"size":9007199254740993},"ip_address":null,"user_agent":null}],"meta":{"paginate":{"has_next":false,"next_page":null}}}`;
    const fetch = scriptedFetch(new Response(page, { status: 200, headers: { 'content-type': 'application/json' } }));
    const { data } = await client(fetch).listAuditEvents({ event_key: 'video_call_recording_ready' });
    const [event] = data;
    if (event?.event_key !== 'video_call_recording_ready') throw new Error('wrong kind');
    expect(event.details.size).toBe('9007199254740993');
    expect(queryOf(fetch.seen[0]?.url ?? '')).toBe('event_key=video_call_recording_ready');
  });
});

describe("a file's name and its key", () => {
  const file = (key: string, name: string) => ({ key, name, file_type: 'file' as const, size: 10 });
  const KEY = 'attaches/files/93746/e354fd79/report.pdf';

  it('refuses a new message whose file name lacks its key’s extension, sending nothing', async () => {
    const fetch = scriptedFetch(json(201, { data: { id: 1 } }));
    const send = client(fetch).createMessage({ body: { message: { entity_id: 1, content: 'x', files: [file(KEY, 'report.pdf'), file(KEY, 'report.txt')] } } });
    await expect(send).rejects.toMatchObject({ name: 'RequestValidationError', field: 'message.files[1].name' });
    await expect(send).rejects.toThrow(/\.pdf/);
    await expect(client(fetch).createMessage({ body: { message: { entity_id: 1, content: 'x', files: [file(KEY, 'report')] } } })).rejects.toBeInstanceOf(RequestValidationError);
    expect(fetch.seen).toHaveLength(0);
  });

  it('names a key that still holds the upload placeholder instead of blaming the name', async () => {
    const fetch = scriptedFetch(json(201, { data: { id: 1 } }));
    const send = client(fetch).createMessage({ body: { message: { entity_id: 1, content: 'x', files: [file('attaches/files/1/uuid/${filename}', 'report.pdf')] } } });
    await expect(send).rejects.toMatchObject({ field: 'message.files[0].key' });
    expect(fetch.seen).toHaveLength(0);
  });

  it('refuses the same on an edit', async () => {
    const fetch = scriptedFetch(json(200, { data: { id: 1 } }));
    const edit = client(fetch).updateMessage({ id: 1, body: { message: { files: [{ key: 'a/b/photo.png', name: 'photo.jpg' }] } } });
    await expect(edit).rejects.toMatchObject({ field: 'message.files[0].name' });
    expect(fetch.seen).toHaveLength(0);
  });

  it('sends a name whose extension matches, in any letter case, and a key without one with a name without one', async () => {
    const fetch = scriptedFetch(json(201, { data: { id: 1 } }));
    await client(fetch).createMessage({ body: { message: { entity_id: 1, content: 'x', files: [file(KEY, 'Квартальный отчёт.PDF'), file('a/b/README', 'README')] } } });
    expect(fetch.seen).toHaveLength(1);
  });
});
