/**
 * Lazy iteration over a paginated list: one page is fetched at a time, when the consumer asks for its first
 * item, and nothing but the current page is held. Breaking out of a `for await` loop stops fetching.
 *
 * Every walk ends: on a page without a next cursor; with a `PaginationError` when the server hands back a
 * cursor it already gave (the walk remembers the last {@link REMEMBERED_CURSORS}), or when
 * {@link MAX_EMPTY_PAGES} pages in a row bring no item but a fresh cursor.
 */
import { PaginationError } from '../errors/errors.js';

/** How many empty pages in a row end a walk with a `PaginationError`. */
export const MAX_EMPTY_PAGES = 10;
/** How many recent cursors a walk remembers to notice a loop. */
export const REMEMBERED_CURSORS = 64;

/** How to walk one kind of paginated list. */
export interface PageWalker<Page, Item, Cursor> {
  /** The operation that fetches pages, for errors. */
  readonly operationId: string;
  /** Fetches the page after `cursor` (`undefined` for the first page). */
  fetchPage(cursor: Cursor | undefined): Promise<Page>;
  /** The items of a page, in order. */
  items(page: Page): readonly Item[];
  /** The cursor of the next page, or `undefined` when this page is the last. */
  nextCursor(page: Page): Cursor | undefined;
}

/** Yields every item of every page. */
export async function* paginate<Page, Item, Cursor>(walker: PageWalker<Page, Item, Cursor>): AsyncGenerator<Item, void, undefined> {
  let cursor: Cursor | undefined;
  const seen: Cursor[] = [];
  let pages = 0;
  let emptyRun = 0;
  for (;;) {
    const page = await walker.fetchPage(cursor);
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
