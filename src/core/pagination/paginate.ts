/**
 * Lazy iteration over a paginated list: one page is fetched at a time, when the consumer asks for its first
 * item, and nothing but the current page is held. Breaking out of a `for await` loop stops fetching.
 *
 * Every walk ends: on a page without a next cursor; with a `PaginationError` when the server hands back a
 * cursor it already gave (the walk remembers the last {@link REMEMBERED_CURSORS}), or when
 * {@link MAX_EMPTY_PAGES} pages in a row bring no item but a fresh cursor.
 */
import { PaginationError } from '../errors/errors.js';
import type { ApiPromise, PageIterator, WithResponse } from '../client/types.js';

/** How many empty pages in a row end a walk with a `PaginationError`. */
export const MAX_EMPTY_PAGES = 10;
/** How many recent cursors a walk remembers to notice a loop. */
export const REMEMBERED_CURSORS = 64;

/** How to walk one kind of paginated list. */
export interface PageWalker<Page, Item, Cursor> {
  /** The operation that fetches pages, for errors. */
  readonly operationId: string;
  /**
   * Fetches the page after `cursor` (`undefined` for the first page). A typed method's promise also gives the
   * page's response, which the iterator's `lastPage` then shows.
   */
  fetchPage(cursor: Cursor | undefined): Promise<Page> | ApiPromise<Page>;
  /** The items of a page, in order. */
  items(page: Page): readonly Item[];
  /** The cursor of the next page, or `undefined` when this page is the last. */
  nextCursor(page: Page): Cursor | undefined;
}

/** Yields every item of every page; the iterator's `lastPage` is the last page fetched, with its response. */
export function paginate<Page, Item, Cursor>(walker: PageWalker<Page, Item, Cursor>): PageIterator<Item, Page> {
  const state: { lastPage: WithResponse<Page> | undefined } = { lastPage: undefined };
  return withLastPage(walkPages(walker, state), state);
}

/** Gives an iterator the `lastPage` of a walk that keeps it in `state` (for walks that do not use `paginate`). */
export function withLastPage<Item, Page>(
  iterator: AsyncGenerator<Item, void, undefined>,
  state: { readonly lastPage: WithResponse<Page> | undefined },
): PageIterator<Item, Page> {
  Object.defineProperty(iterator, 'lastPage', { get: () => state.lastPage, enumerable: true });
  return iterator as PageIterator<Item, Page>;
}

/**
 * Awaits a page; when it comes from a typed method's promise, which also gives the response, keeps the page with
 * its response in `state` for the iterator's `lastPage`.
 */
export async function pageOf<Page>(fetching: Promise<Page> | ApiPromise<Page>, state: { lastPage: WithResponse<Page> | undefined }): Promise<Page> {
  if (!('withResponse' in fetching)) return fetching;
  state.lastPage = await fetching.withResponse();
  return state.lastPage.data;
}

/** Yields every item of every page, keeping the last page fetched (with its response, when it has one) in `state`. */
export async function* walkPages<Page, Item, Cursor>(
  walker: PageWalker<Page, Item, Cursor>,
  state: { lastPage: WithResponse<Page> | undefined },
): AsyncGenerator<Item, void, undefined> {
  let cursor: Cursor | undefined;
  const seen: Cursor[] = [];
  let pages = 0;
  let emptyRun = 0;
  for (;;) {
    const page = await pageOf(walker.fetchPage(cursor), state);
    pages++;
    const items = walker.items(page);
    yield* items;
    const next = walker.nextCursor(page);
    if (next === undefined) return;
    if (seen.includes(next)) throw new PaginationError(walker.operationId, pages, 'the server handed back a cursor it had already given');
    emptyRun = items.length === 0 ? emptyRun + 1 : 0;
    if (emptyRun >= MAX_EMPTY_PAGES) {
      throw new PaginationError(walker.operationId, pages, `${MAX_EMPTY_PAGES} pages in a row were empty but named a next page`);
    }
    seen.push(next);
    if (seen.length > REMEMBERED_CURSORS) seen.shift();
    cursor = next;
  }
}
