/**
 * The one walker of the generated paged lists: a row of a generated `pagedLists` table says where a list's
 * request carries its cursor, where its answer holds the next cursor and the items, and how a walk ends. Every
 * `iterate<Name>` of every client is this walker over one row.
 */
import { RequestValidationError } from '../errors/errors.js';
import { describeType, valueAt } from '../errors/shape.js';
import { paginate } from './paginate.js';

/** One paged list of a spec, as the generator finds it (scripts/lib/pagination.ts). */
export interface PagedList {
  /** The operation that fetches a page. */
  readonly list: string;
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

/** The input of the page after `cursor`: the caller's input with the cursor set where the list takes it. */
function withCursor(input: Record<string, unknown>, path: readonly string[], cursor: string | undefined): Record<string, unknown> {
  if (cursor === undefined) return input;
  const [head, ...rest] = path as [string, ...string[]];
  if (rest.length === 0) return { ...input, [head]: cursor };
  return { ...input, [head]: withCursor((input[head] ?? {}) as Record<string, unknown>, rest, cursor) };
}

/**
 * Walks a paged list lazily, asking for each next page with the caller's input and the cursor the last page named.
 * The input is the list's own, in the list's own shape, without the cursor, which the walker alone sets.
 */
export async function* walkList<Item>(
  list: PagedList,
  fetchPage: (input: Record<string, unknown>) => Promise<unknown>,
  input: unknown,
): AsyncGenerator<Item, void, undefined> {
  // A refused input surfaces on the first step, like any failure of the walk.
  if (input !== undefined && (input === null || typeof input !== 'object' || Array.isArray(input))) {
    throw new RequestValidationError('input', `must be an object of ${list.list}'s parameters, not ${describeType(input)}`);
  }
  const given = (input ?? {}) as Record<string, unknown>;
  if (valueAt(given, list.cursor) !== undefined) {
    throw new RequestValidationError(list.cursor.join('.'), 'is set by the iterator, page by page; leave it out');
  }
  yield* paginate<unknown, Item, string>({
    operationId: list.list,
    fetchPage: (cursor) => fetchPage(withCursor(given, list.cursor, cursor)),
    items: (page) => valueAt(page, list.items) as readonly Item[],
    nextCursor: (page) => {
      if (list.hasNext && valueAt(page, list.hasNext) === false) return undefined;
      if (list.endsOnEmptyPage && (valueAt(page, list.items) as readonly unknown[]).length === 0) return undefined;
      const next = valueAt(page, list.next);
      return typeof next === 'string' && next !== '' ? next : undefined;
    },
  });
}
