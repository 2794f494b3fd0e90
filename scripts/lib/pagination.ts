/**
 * Finds the paged lists of a spec, for the iterators the generator writes. A list is recognised by its shape:
 * a cursor the request sends (a `cursor` or `marker` query parameter, or a `cursor` inside a JSON query
 * parameter such as uNet's `q`), a next cursor the answer holds (`meta.paginate.next_page`, `next_cursor`, or a
 * `marker` beside the items) and the one array of items beside it. A `has_next` beside the next cursor ends the
 * walk when it is `false`; otherwise the walk ends when no next cursor comes.
 *
 * Where the shape cannot say it, the operation states it in `x-pagination` (documented in the README, "Changing
 * a spec"), whose fields override what the shape gives: `cursor` (the input path of the cursor, dotted), `next`
 * and `items` (paths in the answer), `ends` (`has-next`, `no-cursor` or `empty-page`, for lists whose last page
 * still names a next one) and `name` (the iterator's name); `x-pagination: false` keeps a list without one.
 */
import type { PagedList } from '../../src/core/pagination/paged-list.js';
import type { OpenApiDocument } from './apis.js';
import { jsonSchemaOf, resolve, type SpecOperation } from './operations.js';

type Schema = Record<string, unknown>;

/** The vendor extension that states a list's paging where its shape cannot. */
export const PAGINATION_MARK = 'x-pagination';

/** A paged list found in a spec, with the iterator the generator writes for it. */
export interface FoundList extends PagedList {
  /** The iterator's name, `iterate<Name>`. */
  readonly name: string;
}

const CURSOR_NAMES = ['cursor', 'marker'];

/**
 * The properties of an object schema, with its `allOf` parts and its `anyOf`/`oneOf` branches, leaving out the
 * error bodies an API sends under a success status (the root's `x-error-schemas`).
 */
function propertiesOf(doc: OpenApiDocument, node: unknown): Record<string, unknown> {
  const errors = new Set(((doc['x-error-schemas'] as unknown[] | undefined) ?? []).map((name) => `#/components/schemas/${String(name)}`));
  const schema = resolve(doc, node);
  if (!schema) return {};
  const own = (schema.properties as Record<string, unknown> | undefined) ?? {};
  const parts = [...((schema.allOf as unknown[] | undefined) ?? []), ...((schema.anyOf ?? schema.oneOf ?? []) as unknown[])]
    .filter((part) => !errors.has(String((part as { $ref?: unknown }).$ref)))
    .map((part) => propertiesOf(doc, part));
  return Object.assign({}, ...parts, own) as Record<string, unknown>;
}

function isArray(doc: OpenApiDocument, node: unknown): boolean {
  return resolve(doc, node)?.type === 'array';
}

/** `listChatMessages` → `iterateChatMessages`; `searchUsers` → `iterateSearchUsers`. */
function iteratorName(id: string): string {
  const rest = id.startsWith('list') && /[A-Z]/.test(id.charAt(4)) ? id.slice(4) : id.charAt(0).toUpperCase() + id.slice(1);
  return `iterate${rest}`;
}

/** The cursor the request sends: a query parameter, or a property of a JSON query parameter. */
function requestCursor(doc: OpenApiDocument, parameters: readonly Schema[]): readonly string[] | undefined {
  for (const parameter of parameters) {
    if (parameter.in !== 'query') continue;
    const name = String(parameter.name);
    if (CURSOR_NAMES.includes(name)) return [name];
    const json = jsonSchemaOf(doc, parameter);
    if (json === undefined) continue;
    const inner = Object.keys(propertiesOf(doc, json)).find((property) => CURSOR_NAMES.includes(property));
    if (inner) return [name, inner];
  }
  return undefined;
}

/** The next cursor, the items and the end flag in the answer's shape. */
function answerShape(doc: OpenApiDocument, success: unknown, cursorName: string): Pick<PagedList, 'next' | 'items' | 'hasNext'> | undefined {
  const top = propertiesOf(doc, success);
  const arrays = Object.keys(top).filter((name) => isArray(doc, top[name]));
  if (arrays.length !== 1) return undefined;
  const items = [arrays[0] as string];
  const paginate = propertiesOf(doc, propertiesOf(doc, top.meta).paginate);
  if ('next_page' in paginate) {
    return { next: ['meta', 'paginate', 'next_page'], items, ...('has_next' in paginate ? { hasNext: ['meta', 'paginate', 'has_next'] } : {}) };
  }
  if ('next_cursor' in top) return { next: ['next_cursor'], items, ...('has_next' in top ? { hasNext: ['has_next'] } : {}) };
  if (cursorName in top) return { next: [cursorName], items };
  return undefined;
}

const split = (value: unknown): readonly string[] | undefined => (typeof value === 'string' && value !== '' ? value.split('.') : undefined);

/** Every paged list of a document, in the order of its operations. */
export function findPagedLists(doc: OpenApiDocument, operations: readonly SpecOperation[]): FoundList[] {
  const found: FoundList[] = [];
  for (const { id, operation, parameters, entry } of operations) {
    const stated = operation[PAGINATION_MARK];
    if (stated === false) continue;
    const extension = (stated && typeof stated === 'object' ? stated : {}) as Schema;
    const cursor = split(extension.cursor) ?? requestCursor(doc, parameters);
    if (!cursor) continue;
    const success = jsonSchemaOf(doc, (operation.responses as Schema | undefined)?.[String(entry.success)]);
    const shape = success === undefined ? undefined : answerShape(doc, success, cursor[cursor.length - 1] as string);
    const next = split(extension.next) ?? shape?.next;
    const items = split(extension.items) ?? shape?.items;
    if (!next || !items) {
      if (stated) throw new Error(`${id}: x-pagination names no ${next ? 'items' : 'next cursor'} path the answer's shape does not give`);
      continue;
    }
    const ends = extension.ends;
    if (ends !== undefined && ends !== 'has-next' && ends !== 'no-cursor' && ends !== 'empty-page') {
      throw new Error(`${id}: x-pagination.ends must be has-next, no-cursor or empty-page`);
    }
    if (ends === 'has-next' && !shape?.hasNext) throw new Error(`${id}: x-pagination.ends is has-next, but the answer has no has_next`);
    found.push({
      name: typeof extension.name === 'string' ? extension.name : iteratorName(id),
      list: id,
      cursor,
      next,
      items,
      ...(shape?.hasNext && ends !== 'no-cursor' && ends !== 'empty-page' ? { hasNext: shape.hasNext } : {}),
      ...(ends === 'empty-page' ? { endsOnEmptyPage: true as const } : {}),
    });
  }
  return found;
}
