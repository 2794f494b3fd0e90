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
 *
 * A list that pages by time, not by cursor (OK's history), says so with `by: time` and names what no shape tells:
 * `cursor` (the input's anchor time, the newest of a page), `until` (the input's oldest time, if any), `count` (the
 * input's page size, whose schema gives the default page size and, if it states one, the largest), `time` and `id`
 * (where an item holds its time and its id), and optionally `items` and `name`. Each is checked against the
 * operation's parameters and answer here, so a misspelt path fails the generation instead of a walk.
 */
import type { CursorPagedList, PagedList, TimePagedList } from '../../src/core/pagination/paged-list.js';
import type { OpenApiDocument } from './apis.js';
import { jsonSchemaOf, resolve, type SpecOperation } from './operations.js';

type Schema = Record<string, unknown>;

/** The vendor extension that states a list's paging where its shape cannot. */
export const PAGINATION_MARK = 'x-pagination';

/** A paged list found in a spec, with the iterator the generator writes for it (its `name`, `iterate<Name>`). */
export type FoundList = PagedList & { readonly name: string };

/** The fields `x-pagination` takes, by how the list pages. */
const FIELDS = {
  cursor: ['by', 'cursor', 'next', 'items', 'ends', 'name'],
  time: ['by', 'cursor', 'until', 'count', 'time', 'id', 'items', 'name'],
} as const;

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

/** The one array at the top of an answer, when there is exactly one: a page's items. */
function oneArray(doc: OpenApiDocument, success: unknown): readonly string[] | undefined {
  const top = propertiesOf(doc, success);
  const arrays = Object.keys(top).filter((name) => isArray(doc, top[name]));
  return arrays.length === 1 ? [arrays[0] as string] : undefined;
}

/** The next cursor, the items and the end flag in the answer's shape. */
function answerShape(doc: OpenApiDocument, success: unknown, cursorName: string): { next: readonly string[]; items: readonly string[]; hasNext?: readonly string[] } | undefined {
  const top = propertiesOf(doc, success);
  const items = oneArray(doc, success);
  if (!items) return undefined;
  const paginate = propertiesOf(doc, propertiesOf(doc, top.meta).paginate);
  if ('next_page' in paginate) {
    return { next: ['meta', 'paginate', 'next_page'], items, ...('has_next' in paginate ? { hasNext: ['meta', 'paginate', 'has_next'] } : {}) };
  }
  if ('next_cursor' in top) return { next: ['next_cursor'], items, ...('has_next' in top ? { hasNext: ['has_next'] } : {}) };
  if (cursorName in top) return { next: [cursorName], items };
  return undefined;
}

/** The schema at a dotted path inside a schema, through its properties (and `allOf`, `anyOf`, `oneOf` parts). */
function schemaAt(doc: OpenApiDocument, node: unknown, path: readonly string[]): Schema | undefined {
  let current = resolve(doc, node);
  for (const key of path) {
    if (!current) return undefined;
    current = resolve(doc, propertiesOf(doc, current)[key]);
  }
  return current;
}

/** The schema of an input path: a parameter by name, or a field inside a JSON parameter (`q.from`). */
function inputSchema(doc: OpenApiDocument, parameters: readonly Schema[], path: readonly string[]): Schema | undefined {
  const [head, ...rest] = path;
  const parameter = parameters.find((candidate) => candidate.name === head && candidate.in !== 'cookie');
  if (!parameter) return undefined;
  return schemaAt(doc, parameter.schema ?? jsonSchemaOf(doc, parameter), rest);
}

function isInteger(schema: Schema | undefined): boolean {
  const type = schema?.type;
  return type === 'integer' || (Array.isArray(type) && type.includes('integer'));
}

/** One operation's `x-pagination`, its fields checked. */
interface Extension {
  /** How the list pages. */
  readonly by: keyof typeof FIELDS;
  /** The iterator's name, when stated. */
  readonly name?: string;
  /** How a cursor-paged list ends, when stated. */
  readonly ends?: unknown;
  /** A path field, split at its dots; `undefined` when not stated. */
  path(key: string): readonly string[] | undefined;
}

/** Reads the fields of one operation's `x-pagination`, refusing what it does not take. */
function readExtension(id: string, stated: unknown): Extension {
  if (stated !== undefined && (stated === null || typeof stated !== 'object' || Array.isArray(stated))) {
    throw new Error(`${id}: x-pagination must be an object of fields, or false for a list without an iterator`);
  }
  const extension = (stated ?? {}) as Schema;
  const by = extension.by ?? 'cursor';
  if (by !== 'cursor' && by !== 'time') throw new Error(`${id}: x-pagination.by must be cursor or time, not ${JSON.stringify(by)}`);
  const fields: readonly string[] = FIELDS[by];
  for (const key of Object.keys(extension)) {
    if (!fields.includes(key)) throw new Error(`${id}: x-pagination.${key} is not a field of a list paged by ${by} (its fields: ${fields.join(', ')})`);
  }
  const name = extension.name;
  if (name !== undefined && (typeof name !== 'string' || !/^[A-Za-z_$][\w$]*$/.test(name))) {
    throw new Error(`${id}: x-pagination.name must be the iterator's name, such as iterateMessages`);
  }
  return {
    by,
    ...(name === undefined ? {} : { name }),
    ...(extension.ends === undefined ? {} : { ends: extension.ends }),
    path(key) {
      const value = extension[key];
      if (value === undefined) return undefined;
      if (typeof value !== 'string' || !/^[^.]+(\.[^.]+)*$/.test(value)) {
        throw new Error(`${id}: x-pagination.${key} must be a path, its steps joined by dots, such as message.mid`);
      }
      return value.split('.');
    },
  };
}

/** A list paged by cursor: what its shape gives, overridden by what `x-pagination` states. */
function cursorList(doc: OpenApiDocument, { id, operation, parameters, entry }: SpecOperation, extension: Extension, stated: boolean): Omit<CursorPagedList, 'list'> | undefined {
  const cursor = extension.path('cursor') ?? requestCursor(doc, parameters);
  if (!cursor) return undefined;
  const success = jsonSchemaOf(doc, (operation.responses as Schema | undefined)?.[String(entry.success)]);
  const shape = success === undefined ? undefined : answerShape(doc, success, cursor[cursor.length - 1] as string);
  const next = extension.path('next') ?? shape?.next;
  const items = extension.path('items') ?? shape?.items;
  if (!next || !items) {
    if (stated) throw new Error(`${id}: x-pagination names no ${next ? 'items' : 'next cursor'} path the answer's shape does not give`);
    return undefined;
  }
  const { ends } = extension;
  if (ends !== undefined && ends !== 'has-next' && ends !== 'no-cursor' && ends !== 'empty-page') {
    throw new Error(`${id}: x-pagination.ends must be has-next, no-cursor or empty-page`);
  }
  if (ends === 'has-next' && !shape?.hasNext) throw new Error(`${id}: x-pagination.ends is has-next, but the answer has no has_next`);
  return {
    cursor,
    next,
    items,
    ...(shape?.hasNext && ends !== 'no-cursor' && ends !== 'empty-page' ? { hasNext: shape.hasNext } : {}),
    ...(ends === 'empty-page' ? { endsOnEmptyPage: true as const } : {}),
  };
}

/**
 * A list paged by time (`x-pagination: { by: time, … }`): every path it names is checked against the operation's
 * parameters and answer, and the count parameter gives the default page size and, when it states one, the largest.
 */
function timeList(doc: OpenApiDocument, { id, operation, parameters, entry }: SpecOperation, extension: Extension): Omit<TimePagedList, 'list'> {
  const required = (key: string, what: string): readonly string[] => {
    const path = extension.path(key);
    if (!path) throw new Error(`${id}: x-pagination by time names no ${key}: ${what}`);
    return path;
  };
  const cursor = required('cursor', "the input's anchor time, the newest of a page, such as from");
  const until = extension.path('until');
  const count = required('count', "the input's page size, such as count");
  const time = required('time', 'where an item holds its time, such as timestamp');
  const itemId = required('id', 'where an item holds its id, such as message.mid');
  const integerInput = (key: string, path: readonly string[]): Schema => {
    const schema = inputSchema(doc, parameters, path);
    if (!schema) throw new Error(`${id}: x-pagination.${key} names ${path.join('.')}, which is not a parameter of ${id}`);
    if (!isInteger(schema)) throw new Error(`${id}: x-pagination.${key} names ${path.join('.')}, which is not an integer`);
    return schema;
  };
  integerInput('cursor', cursor);
  if (until) integerInput('until', until);
  const countSchema = integerInput('count', count);
  const maximum = countSchema.maximum;
  const maxCount = typeof maximum === 'number' && Number.isInteger(maximum) && maximum >= 1 ? maximum : undefined;
  const defaultCount = countSchema.default;
  if (typeof defaultCount !== 'number' || !Number.isInteger(defaultCount) || defaultCount < 1 || (maxCount !== undefined && defaultCount > maxCount)) {
    throw new Error(
      `${id}: x-pagination.count names ${count.join('.')}, whose schema states no default page size from 1 to its maximum; the walk's first page needs the size the server uses`,
    );
  }
  const success = jsonSchemaOf(doc, (operation.responses as Schema | undefined)?.[String(entry.success)]);
  const items = extension.path('items') ?? (success === undefined ? undefined : oneArray(doc, success));
  if (!items) throw new Error(`${id}: x-pagination names no items path the answer's shape does not give`);
  const array = schemaAt(doc, success, items);
  if (array?.type !== 'array') throw new Error(`${id}: x-pagination.items names ${items.join('.')}, which is not an array in the answer`);
  if (!isInteger(schemaAt(doc, array.items, time))) {
    throw new Error(`${id}: x-pagination.time names ${time.join('.')}, which is not an integer field of the answer's ${items.join('.')}`);
  }
  if (!schemaAt(doc, array.items, itemId)) {
    throw new Error(`${id}: x-pagination.id names ${itemId.join('.')}, which is not a field of the answer's ${items.join('.')}`);
  }
  return {
    by: 'time',
    cursor,
    ...(until ? { until } : {}),
    count,
    defaultCount,
    ...(maxCount === undefined ? {} : { maxCount }),
    items,
    time,
    id: itemId,
  };
}

/** Every paged list of a document, in the order of its operations. */
export function findPagedLists(doc: OpenApiDocument, operations: readonly SpecOperation[]): FoundList[] {
  const found: FoundList[] = [];
  for (const operation of operations) {
    const stated = operation.operation[PAGINATION_MARK];
    if (stated === false) continue;
    const extension = readExtension(operation.id, stated);
    const list = extension.by === 'time' ? timeList(doc, operation, extension) : cursorList(doc, operation, extension, stated !== undefined);
    if (!list) continue;
    found.push({ name: extension.name ?? iteratorName(operation.id), list: operation.id, ...list });
  }
  return found;
}
