/**
 * JSON decoding that keeps int64 fields exact. `JSON.parse` turns `98211023614189660` into
 * `98211023614189664`: every integer above 2^53 loses digits in a JS `number`. The generated types declare
 * int64 fields as strings, and this module makes the values match: integer literals long enough to be unsafe
 * are read from the source text, and every int64 field (found through the dotted paths of the generated
 * operation table) is returned as its exact decimal string.
 */

/** Marks a long integer literal that was quoted before parsing, so it can be told from a real string. */
const QUOTED_MARK = '\u0000';
/** The mark as it is written inside JSON text (a raw control character is not allowed there). */
const QUOTED_MARK_ESCAPED = '\\u0000';

/** Only integers of 16 digits or more can exceed `Number.MAX_SAFE_INTEGER` (9007199254740991). */
const LONG_INTEGER = /\d{16}/;

function isDigit(code: number): boolean {
  return code >= 48 && code <= 57;
}

/**
 * Wraps every integer literal of 16 digits or more (outside strings) in quotes, prefixed by a mark.
 * Decimal and exponent literals are left alone: they are not int64 values.
 */
function quoteLongIntegers(text: string): string {
  let out = '';
  let copiedUpTo = 0;
  let i = 0;
  const length = text.length;
  while (i < length) {
    const code = text.charCodeAt(i);
    if (code === 34 /* " */) {
      i++;
      while (i < length) {
        const inner = text.charCodeAt(i);
        if (inner === 92 /* \ */) i += 2;
        else if (inner === 34) break;
        else i++;
      }
      i++;
    } else if (code === 45 /* - */ || isDigit(code)) {
      const start = i;
      i++;
      while (i < length && isDigit(text.charCodeAt(i))) i++;
      const next = text.charCodeAt(i);
      const isInteger = next !== 46 /* . */ && next !== 101 /* e */ && next !== 69; /* E */
      const digits = i - start - (code === 45 ? 1 : 0);
      if (isInteger && digits >= 16) {
        out += `${text.slice(copiedUpTo, start)}"${QUOTED_MARK_ESCAPED}${text.slice(start, i)}"`;
        copiedUpTo = i;
      }
      while (i < length && /[0-9.eE+-]/.test(text[i] ?? '')) i++;
    } else {
      i++;
    }
  }
  return copiedUpTo === 0 ? text : out + text.slice(copiedUpTo);
}

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

/** Splits the dotted int64 paths of an operation once, so each response only walks them. */
export function compileInt64Paths(paths: readonly string[] | undefined): readonly (readonly string[])[] | undefined {
  return paths && paths.length > 0 ? paths.map((path) => path.split('.')) : undefined;
}

/**
 * Parses JSON text, returning every int64 field at `int64Paths` as an exact decimal string.
 * Throws a `SyntaxError` when the text is not JSON; callers turn that into a typed error.
 */
export function parseJson(text: string, int64Paths?: readonly (readonly string[])[]): unknown {
  if (!int64Paths) return JSON.parse(text);
  const quoted = LONG_INTEGER.test(text) ? quoteLongIntegers(text) : text;
  const root = { value: JSON.parse(quoted) as unknown };
  for (const path of int64Paths) convertAt(root, ['value', ...path], 0, toInt64String);
  return quoted === text ? root.value : unquoteRest(root.value);
}
