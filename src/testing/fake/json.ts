/**
 * JSON for the fake that keeps long integers exact both ways: a request's integer literals beyond 2^53 are read as
 * `bigint` (so an int64 id a bot sends is stored digit for digit), and a `bigint` in an answer is written as a bare
 * JSON number (so the client reads it as the exact decimal string its types promise).
 */
import { quoteLongIntegers, QUOTED_MARK } from '../../core/exchange/json.js';

/** Parses JSON text, turning every integer literal too long for a `number` into a `bigint`. */
export function parseExactJson(text: string): unknown {
  const value: unknown = JSON.parse(text);
  if (!/\d{16}/.test(text)) return value;
  return toBigInts(JSON.parse(quoteLongIntegers(text)));
}

function toBigInts(value: unknown): unknown {
  if (typeof value === 'string') return value.startsWith(QUOTED_MARK) ? BigInt(value.slice(1)) : value;
  if (Array.isArray(value)) return value.map(toBigInts);
  if (value !== null && typeof value === 'object') {
    return mapValues(value, toBigInts);
  }
  return value;
}

/** A mark no JSON text holds, around a bigint's digits while the text is built. */
const BIGINT_MARK = '\u0001bigint:';
const BIGINT_TOKEN = /"\\u0001bigint:(-?\d+)"/g;

/** Writes JSON, each `bigint` as a bare number with every digit. */
export function stringifyExactJson(value: unknown): string {
  // Most answers hold no bigint, and JSON.stringify without a replacer is about a third cheaper; one that holds
  // a bigint throws, and is written again with the replacer.
  try {
    return JSON.stringify(value);
  } catch (error) {
    if (!(error instanceof TypeError)) throw error;
  }
  let found = false;
  const text = JSON.stringify(value, (_key, item: unknown) => {
    if (typeof item !== 'bigint') return item;
    found = true;
    return `${BIGINT_MARK}${item}`;
  });
  return found ? text.replace(BIGINT_TOKEN, '$1') : text;
}

/** A copy of a value where each `bigint` is a `number` (digits may be lost): the form the request checks read. */
export function withNumbers(value: unknown): unknown {
  if (typeof value === 'bigint') return Number(value);
  if (Array.isArray(value)) return value.map(withNumbers);
  if (value !== null && typeof value === 'object' && !(value instanceof Blob)) {
    return mapValues(value, withNumbers);
  }
  return value;
}

/**
 * A deep copy of a JSON-like value (an example from the spec, with long integers as `bigint`): objects and
 * arrays copied, everything else as it is. A value of any other kind (a `Date`, a `Map`) is copied by
 * `structuredClone`, which copies plain data too, at about five times the cost (a message example: 8.7 µs, here 1.7).
 */
export function copyJson<T>(value: T): T {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map(copyJson) as T;
  const prototype: unknown = Object.getPrototypeOf(value);
  if (prototype !== Object.prototype) return structuredClone(value);
  return mapValues(value, copyJson) as T;
}

/**
 * A plain object with each own value of `value` mapped, keys as they were: what
 * `Object.fromEntries(Object.entries(value).map(…))` gives, without its arrays of pairs.
 */
export function mapValues(value: object, map: (item: unknown, key: string) => unknown): Record<string, unknown> {
  const copy: Record<string, unknown> = {};
  for (const key of Object.keys(value)) {
    const item = map((value as Record<string, unknown>)[key], key);
    // An own `__proto__` key (JSON.parse makes one) stays a key, not the copy's prototype.
    if (key === '__proto__') Object.defineProperty(copy, key, { value: item, enumerable: true, writable: true, configurable: true });
    else copy[key] = item;
  }
  return copy;
}
