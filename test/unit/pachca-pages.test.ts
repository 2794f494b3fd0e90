/**
 * The Pachca iterators across pages: a cursor list follows `next_page` while `has_next` holds, and a search walk
 * (whose pages carry no `has_next`) ends on its first empty page.
 */
import { describe, expect, it } from 'vitest';
import { createPachcaClient } from '../../src/pachca/index.js';
import { json, scriptedFetch } from './helpers.js';

const user = (id: number) => ({ id, nickname: `user${id}` });

describe('Pachca iterators', () => {
  it('walk the audit log across two pages, keeping the filters on the second request', async () => {
    const event = (id: string) => ({
      id,
      created_at: '2025-05-01T09:11:00.000Z',
      event_key: 'user_login',
      entity_id: '98765',
      entity_type: 'User',
      actor_id: '98765',
      actor_type: 'User',
      details: {},
      ip_address: '192.0.2.10',
      user_agent: 'Mozilla/5.0',
    });
    const fetch = scriptedFetch(
      json(200, { data: [event('a1')], meta: { paginate: { next_page: 'p2', prev_page: 'p0', has_next: true, has_prev: false } } }),
      json(200, { data: [event('a2')], meta: { paginate: { next_page: 'p3', prev_page: 'p1', has_next: false, has_prev: true } } }),
    );
    const pachca = createPachcaClient({ token: 'tok-pages-0123', fetch });
    const ids: string[] = [];
    for await (const found of pachca.iterateAuditEvents({ event_key: 'user_login' })) ids.push(found.id);
    expect(ids).toEqual(['a1', 'a2']);
    const second = new URL(fetch.seen[1]?.url ?? '').searchParams;
    expect(second.get('cursor')).toBe('p2');
    expect(second.get('event_key')).toBe('user_login');
  });
});

/** Every cursor-paged list, with the least input its iterator needs, and whether its items' ids are int64 (strings). */
const CURSOR_LISTS: readonly [string, Record<string, unknown>, ('int64 ids' | undefined)?][] = [
  ['iterateChatMessages', { chat_id: 334 }],
  ['iterateReactions', { id: 194275 }],
  ['iterateReadMembers', { id: 194275 }],
  ['iterateChats', {}],
  ['iterateChatMembers', { id: 334 }],
  ['iterateUsers', {}],
  ['iterateGroupTags', {}],
  ['iterateGroupTagUsers', { id: 9111 }],
  ['iterateThreads', {}, 'int64 ids'],
  ['iterateTasks', {}],
  ['iterateBots', {}],
  ['iterateAuditEvents', {}],
  ['iterateWebhookEvents', {}],
];
const SEARCH_LISTS = ['iterateSearchChats', 'iterateSearchMessages', 'iterateSearchUsers'] as const;

type Walk = (input: Record<string, unknown>) => AsyncIterable<unknown>;

describe('every Pachca list pages across two pages', () => {
  it('covers every iterator the client has', () => {
    const pachca = createPachcaClient({ token: 'tok-pages-0123', fetch: scriptedFetch() });
    const iterators = Object.keys(pachca).filter((key) => key.startsWith('iterate'));
    expect(new Set(iterators)).toEqual(new Set([...CURSOR_LISTS.map(([name]) => name), ...SEARCH_LISTS]));
  });

  it.each(CURSOR_LISTS)('%s yields both pages and sends the first page’s cursor for the second', async (name, input, ids) => {
    const fetch = scriptedFetch(
      json(200, { data: [user(1), user(2)], meta: { paginate: { next_page: 'c2', prev_page: 'c0', has_next: true, has_prev: false } } }),
      json(200, { data: [user(3)], meta: { paginate: { next_page: 'c3', prev_page: 'c1', has_next: false, has_prev: true } } }),
    );
    const pachca = createPachcaClient({ token: 'tok-pages-0123', fetch }) as unknown as Record<string, Walk>;
    const items: unknown[] = [];
    for await (const item of pachca[name]!(input)) items.push(item);
    expect(items).toEqual([1, 2, 3].map((id) => (ids === 'int64 ids' ? { ...user(id), id: String(id) } : user(id))));
    expect(fetch.seen).toHaveLength(2);
    expect(new URL(fetch.seen[0]?.url ?? '').searchParams.has('cursor')).toBe(false);
    expect(new URL(fetch.seen[1]?.url ?? '').searchParams.get('cursor')).toBe('c2');
  });

  it.each(SEARCH_LISTS)('%s yields both pages and stops on the empty third', async (name) => {
    const fetch = scriptedFetch(
      json(200, { data: [user(1)], meta: { total: 2, paginate: { next_page: 'c2' } } }),
      json(200, { data: [user(2)], meta: { total: 2, paginate: { next_page: 'c3' } } }),
      json(200, { data: [], meta: { total: 2, paginate: { next_page: 'c4' } } }),
    );
    const pachca = createPachcaClient({ token: 'tok-pages-0123', fetch }) as unknown as Record<string, Walk>;
    const items: unknown[] = [];
    for await (const item of pachca[name]!({ query: 'x' })) items.push(item);
    expect(items).toEqual([user(1), user(2)]);
    expect(fetch.seen).toHaveLength(3);
    expect(new URL(fetch.seen[1]?.url ?? '').searchParams.get('cursor')).toBe('c2');
    expect(new URL(fetch.seen[2]?.url ?? '').searchParams.get('cursor')).toBe('c3');
  });
});
