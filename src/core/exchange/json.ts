/**
 * JSON decoding that keeps int64 fields exact. `JSON.parse` turns `98211023614189660` into
 * `98211023614189664`: every integer above 2^53 loses digits in a JS `number`. The generated types declare
 * int64 fields as strings, and this module makes the values match: integer literals long enough to be unsafe
 * are read from the source text, and every int64 field (found through the dotted paths of the generated
 * operation table) is returned as its exact decimal string.
 */

/** An int64 written as text: an exact decimal string of at most 19 digits, as the clients take and give one. */
export const INT64_TEXT = /^-?\d{1,19}$/;

/** Marks a long integer literal that was quoted before parsing, so it can be told from a real string. */
export const QUOTED_MARK = '\u0000';
/** The mark as it is written inside JSON text (a raw control character is not allowed there). */
const QUOTED_MARK_ESCAPED = '\\u0000';

/**
 * A JSON string (skipped as it is) or an integer literal of 16 digits or more: only those can exceed
 * `Number.MAX_SAFE_INTEGER` (9007199254740991). Decimals and exponents are not int64 values and are left alone.
 */
const STRING_OR_LONG_INTEGER = /"(?:[^"\\]|\\.)*"|(?<![\d.eE+-])-?\d{16,}(?![.eE\d])/g;

/** Wraps every long integer literal outside strings in quotes, prefixed by {@link QUOTED_MARK}. */
export function quoteLongIntegers(text: string): string {
  return text.replace(STRING_OR_LONG_INTEGER, (token) => (token.startsWith('"') ? token : `"${QUOTED_MARK_ESCAPED}${token}"`));
}

/** Converts an int64 field read from quoted text: a quoted long integer loses its mark, a number becomes text. */
function toInt64String(value: unknown): unknown {
  if (typeof value === 'number' && Number.isInteger(value)) return String(value);
  if (typeof value === 'string' && value.startsWith(QUOTED_MARK)) return value.slice(1);
  return value;
}

/** Applies `convert` to every value found at a dotted path (`[]`: each array item, `{}`: each map value). */
function convertAt(
  holder: unknown,
  segments: readonly string[],
  index: number,
  convert: (value: unknown) => unknown,
): void {
  if (holder === null || typeof holder !== 'object') return;
  const container = holder as Record<string, unknown>;
  const segment = segments[index] as string;
  let keys: string[];
  if (segment === '[]') keys = Array.isArray(holder) ? Object.keys(holder) : [];
  else if (segment === '{}') keys = Array.isArray(holder) ? [] : Object.keys(holder);
  else keys = segment in container ? [segment] : [];
  const last = index === segments.length - 1;
  for (const key of keys) {
    if (last) container[key] = convert(container[key]);
    else convertAt(container[key], segments, index + 1, convert);
  }
}

/** Turns quoted long integers that are not in an int64 field back into numbers, as their schema says. */
function unquoteRest(value: unknown): unknown {
  if (typeof value === 'string') return value.startsWith(QUOTED_MARK) ? Number(value.slice(1)) : value;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) value[i] = unquoteRest(value[i]);
  } else if (value !== null && typeof value === 'object') {
    const record = value as Record<string, unknown>;
    for (const key of Object.keys(record)) record[key] = unquoteRest(record[key]);
  }
  return value;
}

/** Splits the dotted int64 paths of an operation once (under a `value` root), so responses only walk them. */
export function compileInt64Paths(paths: readonly string[] | undefined): readonly (readonly string[])[] | undefined {
  return paths && paths.length > 0 ? paths.map((path) => ['value', ...path.split('.')]) : undefined;
}

/**
 * Parses JSON text, returning every int64 field at `int64Paths` as an exact decimal string.
 * Throws a `SyntaxError` when the text is not JSON; callers turn that into a typed error.
 *
 * The common case costs one `JSON.parse` and a walk of the int64 paths: a field whose number is a safe integer
 * was read exactly and only needs turning into text. Only when a field holds an unsafe number (so digits were
 * lost) is the text read again with its long integer literals quoted.
 */
export function parseJson(text: string, int64Paths?: readonly (readonly string[])[]): unknown {
  const value: unknown = JSON.parse(text);
  if (!int64Paths) return value;
  let lossy = false;
  const exact = (item: unknown): unknown => {
    if (typeof item !== 'number') return item;
    if (Number.isSafeInteger(item)) return String(item);
    lossy = true;
    return item;
  };
  const root = { value };
  for (const path of int64Paths) convertAt(root, path, 0, exact);
  if (!lossy) return root.value;
  const quoted = { value: JSON.parse(quoteLongIntegers(text)) as unknown };
  for (const path of int64Paths) convertAt(quoted, path, 0, toInt64String);
  return unquoteRest(quoted.value);
}
