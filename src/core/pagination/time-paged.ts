/**
 * The walk of a list that pages by time, not by cursor (a generated row with `by: 'time'`): a page holds the newest
 * `count` items created at or before the input's anchor time. To read further back the next request sets the
 * anchor just above the oldest time seen (oldest + 1). That is right whether the API treats the anchor as inclusive
 * or exclusive: either way every item at the page edge comes again instead of being skipped, and the ones already
 * yielded are recognised by their id and dropped. Only the ids at the edge are remembered, so memory stays flat
 * however long the list.
 *
 * When more items share one time than a page holds, a page cannot move the edge; the walk then doubles the page
 * size, up to the count parameter's `maximum` when the spec states one, else {@link MAX_PAGE_SIZE}, and past that
 * ends with a `PaginationError` instead of looping. It ends at the input's oldest time (`until`), on a short page or
 * on an empty one.
 */
import { PaginationError, RequestValidationError } from '../errors/errors.js';
import { valueAt, withValueAt } from '../errors/shape.js';
import { pageOf } from './paginate.js';
import { INT64_TEXT } from '../exchange/json.js';
import type { ApiPromise, WithResponse } from '../client/types.js';

/** A paged list whose pages are anchored at a time the request names, as the generator finds it. */
export interface TimePagedList {
  /** The operation that fetches a page. */
  readonly list: string;
  /** Pages by time: the request names the newest time of a page. */
  readonly by: 'time';
  /** Where the input carries the newest time of a page: the caller may set where the walk starts; the walker moves it. */
  readonly cursor: readonly string[];
  /** Where the input carries the oldest time to reach, when the list takes one. */
  readonly until?: readonly string[];
  /** Where the input carries the page size. */
  readonly count: readonly string[];
  /** The page size the server uses when none is sent (the count parameter's `default`), the first page's when the caller gives none. */
  readonly defaultCount: number;
  /** The largest page size, when the spec states one (the count parameter's `maximum`). */
  readonly maxCount?: number;
  /** Where the answer holds the page's items, newest first. */
  readonly items: readonly string[];
  /** Where an item holds its time, a whole number (an exact decimal string for an int64). */
  readonly time: readonly string[];
  /** Where an item holds its id, which tells an item already yielded at the page edge. */
  readonly id: readonly string[];
}

/** The largest page a time walk grows to when the spec states no maximum page size: past it, the walk gives up. */
export const MAX_PAGE_SIZE = 1000;

/** Whether a value is a whole number a time walk can count with exactly: a safe integer or a decimal string. */
function isExactTime(value: unknown): value is number | string {
  return (typeof value === 'number' && Number.isSafeInteger(value)) || (typeof value === 'string' && INT64_TEXT.test(value));
}

/**
 * The check of a page that the time walk relies on: its items are an array, each with a whole-number time and an id;
 * it returns what is wrong, or `undefined`.
 */
export function timePageCheck(list: TimePagedList): (data: unknown) => string | undefined {
  const itemsName = list.items.join('.');
  return (data) => {
    if (data === null || typeof data !== 'object') return 'the body is not an object';
    const items = valueAt(data, list.items);
    if (!Array.isArray(items)) return items === undefined ? `the body has no ${itemsName}` : `the body's ${itemsName} is not an array`;
    const bad = items.findIndex((item) => {
      const id = valueAt(item, list.id);
      return !isExactTime(valueAt(item, list.time)) || (typeof id !== 'string' && !(typeof id === 'number' && Number.isFinite(id)));
    });
    return bad === -1 ? undefined : `${itemsName}[${bad}] has no integer ${list.time.join('.')} or no ${list.id.join('.')}`;
  };
}

/** A time given as a number or an exact decimal string, as text; refused before anything is sent. */
function timeOf(value: unknown, path: readonly string[]): string | undefined {
  if (value === undefined) return undefined;
  if (!isExactTime(value)) {
    throw new RequestValidationError(path.join('.'), 'must be a whole number (a safe integer or a decimal string)');
  }
  return String(value);
}

/** A page size: a whole number from 1 to the largest page; refused before anything is sent. */
function pageSizeOf(value: unknown, path: readonly string[], largest: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > largest) {
    throw new RequestValidationError(path.join('.'), `must be a whole number from 1 to ${largest}`);
  }
  return value;
}

/**
 * Yields the items of a time-paged list from newest to oldest, each exactly once, fetching a page at a time and
 * keeping the last page fetched (with its response, when it has one) in `state`. The input is the list's own: its
 * anchor time is where the walk starts (the newest items when it is left out), its oldest time where it ends.
 */
export async function* walkByTime<Item>(
  list: TimePagedList,
  fetchPage: (input: Record<string, unknown>) => Promise<unknown> | ApiPromise<unknown>,
  given: Record<string, unknown>,
  state: { lastPage: WithResponse<unknown> | undefined },
): AsyncGenerator<Item, void, undefined> {
  const largest = list.maxCount ?? MAX_PAGE_SIZE;
  let from = timeOf(valueAt(given, list.cursor), list.cursor);
  let count = pageSizeOf(valueAt(given, list.count) ?? list.defaultCount, list.count, largest);
  const untilText = list.until && timeOf(valueAt(given, list.until), list.until);
  const until = untilText === undefined ? undefined : BigInt(untilText);
  /** Items at the current page edge (the oldest time seen, and one above it), by id. */
  let edge = new Map<unknown, bigint>();
  let pages = 0;
  for (;;) {
    const input = withValueAt(from === undefined ? given : withValueAt(given, list.cursor, from), list.count, count);
    const page = await pageOf(fetchPage(input), state);
    pages++;
    const items = valueAt(page, list.items) as readonly Item[];
    let oldest: bigint | undefined;
    let fresh = 0;
    for (const item of items) {
      const time = BigInt(valueAt(item, list.time) as string | number);
      if (oldest === undefined || time < oldest) oldest = time;
      const id = valueAt(item, list.id);
      if (edge.has(id)) continue;
      if (until !== undefined && time < until) continue;
      fresh++;
      edge.set(id, time);
      yield item;
    }
    if (oldest === undefined || items.length < count || (until !== undefined && oldest <= until)) return;
    const bottom = oldest;
    const next = String(bottom + 1n);
    if (fresh === 0 || next === from) {
      // The page did not move the edge: more than `count` items share its time. Ask for bigger pages.
      if (count >= largest) {
        throw new PaginationError(list.list, pages, `more than ${largest} items, the largest page, share ${list.time.join('.')} ${bottom}`);
      }
      count = Math.min(largest, count * 2);
    }
    edge = new Map([...edge].filter(([, time]) => time <= bottom + 1n));
    from = next;
  }
}
