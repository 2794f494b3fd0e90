/**
 * The one walker of the generated paged lists: a row of a generated `pagedLists` table says where a list's
 * request carries its cursor, where its answer holds the next cursor and the items, and how a walk ends; or, for a
 * list that pages by time (`by: 'time'`), where the request carries the anchor time and the page size and where an
 * item holds its time and id (time-paged.ts). Every `iterate<Name>` of every client is this walker over one row.
 */
import { RequestValidationError } from '../errors/errors.js';
import { describeType, valueAt, withValueAt } from '../errors/shape.js';
import { walkPages, withLastPage } from './paginate.js';
import { timePageCheck, walkByTime, type TimePagedList } from './time-paged.js';
import type { ApiPromise, PageIterator, WithResponse } from '../client/types.js';

export type { TimePagedList } from './time-paged.js';

/** One paged list of a spec, as the generator finds it (scripts/lib/pagination.ts): paged by cursor or by time. */
export type PagedList = CursorPagedList | TimePagedList;

/** A list whose every page names the cursor of the next. */
export interface CursorPagedList {
  /** The operation that fetches a page. */
  readonly list: string;
  /** Pages by the cursor each answer names (left out of the generated rows: it is the default). */
  readonly by?: 'cursor';
  /** Where the input carries the cursor: a parameter (`['cursor']`), or a field of one (`['q', 'cursor']`). */
  readonly cursor: readonly string[];
  /** Where the answer holds the next page's cursor. */
  readonly next: readonly string[];
  /** Where the answer holds the page's items (an array). */
  readonly items: readonly string[];
  /** Where the answer says whether another page follows; `false` there ends the walk. */
  readonly hasNext?: readonly string[];
  /** An empty page ends the walk (search results, whose last page still names a next one). */
  readonly endsOnEmptyPage?: true;
}

/**
 * The check of a page that the walker relies on: its items are an array, and whatever holds the next cursor is an
 * object; it returns what is wrong, or `undefined`.
 */
export function pageCheck(list: PagedList): (data: unknown) => string | undefined {
  if (list.by === 'time') return timePageCheck(list);
  const holders = list.next.slice(0, -1).map((_, index) => list.next.slice(0, index + 1));
  const itemsName = list.items.join('.');
  return (data) => {
    if (data === null || typeof data !== 'object') return 'the body is not an object';
    const items = valueAt(data, list.items);
    if (!Array.isArray(items)) return items === undefined ? `the body has no ${itemsName}` : `the body's ${itemsName} is not an array`;
    for (const path of holders) {
      const holder = valueAt(data, path);
      if (holder === null || typeof holder !== 'object' || Array.isArray(holder)) {
        return holder === undefined ? `the body has no ${path.join('.')}` : `the body's ${path.join('.')} is not an object`;
      }
    }
    return undefined;
  };
}

/**
 * Walks a paged list lazily, asking for each next page with the caller's input and the cursor the last page named.
 * The input is the list's own, in the list's own shape, without the cursor, which the walker alone sets; a
 * time-paged list's input keeps its anchor time, where the walk starts. The iterator's `lastPage` is the last page
 * fetched, with its response.
 */
export function walkList<Item>(
  list: PagedList,
  fetchPage: (input: Record<string, unknown>) => Promise<unknown> | ApiPromise<unknown>,
  input: unknown,
): PageIterator<Item, unknown> {
  const state: { lastPage: WithResponse<unknown> | undefined } = { lastPage: undefined };
  return withLastPage(steps<Item>(list, fetchPage, input, state), state);
}

async function* steps<Item>(
  list: PagedList,
  fetchPage: (input: Record<string, unknown>) => Promise<unknown> | ApiPromise<unknown>,
  input: unknown,
  state: { lastPage: WithResponse<unknown> | undefined },
): AsyncGenerator<Item, void, undefined> {
  // A refused input surfaces on the first step, like any failure of the walk.
  if (input !== undefined && (input === null || typeof input !== 'object' || Array.isArray(input))) {
    throw new RequestValidationError('input', `must be an object of ${list.list}'s parameters, not ${describeType(input)}`);
  }
  const given = (input ?? {}) as Record<string, unknown>;
  if (list.by === 'time') {
    yield* walkByTime<Item>(list, fetchPage, given, state);
    return;
  }
  if (valueAt(given, list.cursor) !== undefined) {
    throw new RequestValidationError(list.cursor.join('.'), 'is set by the iterator, page by page; leave it out');
  }
  yield* walkPages<unknown, Item, string>(
    {
      operationId: list.list,
      fetchPage: (cursor) => fetchPage(cursor === undefined ? given : withValueAt(given, list.cursor, cursor)),
      items: (page) => valueAt(page, list.items) as readonly Item[],
      nextCursor: (page) => {
        if (list.hasNext && valueAt(page, list.hasNext) === false) return undefined;
        if (list.endsOnEmptyPage && (valueAt(page, list.items) as readonly unknown[]).length === 0) return undefined;
        const next = valueAt(page, list.next);
        return typeof next === 'string' && next !== '' ? next : undefined;
      },
    },
    state,
  );
}
