/**
 * Lazy iteration over a paginated list: one page is fetched at a time, when the consumer asks for its first
 * item, and nothing but the current page is held. Breaking out of a `for await` loop stops fetching.
 */
import { ClientError } from './errors.js';

/** How to walk one kind of paginated list. */
export interface PageWalker<Page, Item, Cursor> {
  /** Fetches the page after `cursor` (`undefined` for the first page). */
  fetchPage(cursor: Cursor | undefined): Promise<Page>;
  /** The items of a page, in order. */
  items(page: Page): Iterable<Item>;
  /** The cursor of the next page, or `undefined` when this page is the last. */
  nextCursor(page: Page): Cursor | undefined;
}

/**
 * Yields every item of every page. Throws a `ClientError` if the server hands back the cursor it was just given,
 * which would otherwise loop forever.
 */
export async function* paginate<Page, Item, Cursor>(
  walker: PageWalker<Page, Item, Cursor>,
): AsyncGenerator<Item, void, undefined> {
  let cursor: Cursor | undefined;
  for (;;) {
    const page = await walker.fetchPage(cursor);
    yield* walker.items(page);
    const next = walker.nextCursor(page);
    if (next === undefined) return;
    if (cursor !== undefined && next === cursor) {
      throw new ClientError(`Pagination did not advance: the server returned the cursor ${String(cursor)} again`);
    }
    cursor = next;
  }
}
