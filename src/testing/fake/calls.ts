/**
 * What the fake remembers of each call, with every credential redacted, and the checks a test makes on it. The
 * checks throw a plain `Error` subclass with `actual` and `expected`, which vitest, jest and node:test all report
 * as a failed assertion (vitest and jest with a diff).
 */
import { REDACTED, type Redactor } from '../../core/errors/redact.js';
import { mapValues } from './json.js';

/** One request the fake received (a retry is a call of its own). */
export interface FakeCall {
  /** The operation it matched, or `undefined` when it matched none (the fake answered 404). */
  readonly operationId: string | undefined;
  readonly method: string;
  /** The URL, with credentials in its query replaced by `[REDACTED]`. */
  readonly url: string;
  /** Path and query parameters as the fake read them (numbers and booleans as the spec types them). */
  readonly params: { readonly path: Readonly<Record<string, unknown>>; readonly query: Readonly<Record<string, unknown>> };
  /**
   * The body: parsed JSON (long integers as `bigint`), a form's fields (a file as a `File`), or `undefined`.
   * A form field that carries a secret (a client secret, a refresh token) is `[REDACTED]`.
   */
  readonly body: unknown;
  /** The request headers, lower-case, with credentials replaced by `[REDACTED]`. */
  readonly headers: Readonly<Record<string, string>>;
  /** The status the fake answered with, or `undefined` when a fault gave no answer (a reset, a stall). */
  readonly status: number | undefined;
  /** The fault that answered this call, when one did. */
  readonly fault?: string | undefined;
}

/** Thrown by the fake's expectations; every test runner reports it as a failed assertion. */
export class FakeAssertionError extends Error {
  override name = 'AssertionError';
  readonly actual: unknown;
  readonly expected: unknown;
  /** Tells vitest and jest to print a diff of `expected` and `actual`. */
  readonly showDiff = true;

  constructor(message: string, actual: unknown, expected: unknown) {
    super(message);
    this.actual = actual;
    this.expected = expected;
  }
}

/** Whether `actual` holds everything `expected` says: objects by their listed keys, arrays item by item. */
export function matchesPartially(actual: unknown, expected: unknown): boolean {
  if (Object.is(actual, expected)) return true;
  // An int64 id may be given as a number, a string or a bigint: the same digits match.
  const numeric = (value: unknown) => typeof value === 'bigint' || typeof value === 'number' || (typeof value === 'string' && /^-?\d+$/.test(value));
  if ((typeof actual === 'bigint' || typeof expected === 'bigint') && numeric(actual) && numeric(expected)) return String(actual) === String(expected);
  if (Array.isArray(expected)) {
    return Array.isArray(actual) && actual.length === expected.length && expected.every((item, index) => matchesPartially(actual[index], item));
  }
  if (expected !== null && typeof expected === 'object' && !(expected instanceof Blob)) {
    if (actual === null || typeof actual !== 'object') return false;
    return Object.entries(expected).every(([key, value]) => matchesPartially((actual as Record<string, unknown>)[key], value));
  }
  return false;
}

/** JSON for messages, with bigints as their digits and files by name. */
export function show(value: unknown): string {
  return (
    JSON.stringify(value, (_key, item: unknown) => (typeof item === 'bigint' ? `${item}n` : item instanceof Blob ? `[File ${(item as File).name ?? ''}, ${item.size} bytes]` : item)) ??
    'undefined'
  );
}

/** Form fields whose value is a secret and is never recorded. */
const SECRET_FIELDS = new Set(['client_secret', 'refresh_token', 'access_token', 'password', 'code_verifier']);

/** A recorded body with secrets hidden: fields named like secrets, and every credential the redactor knows by value. */
export function redactBody(redactor: Redactor, body: unknown, field?: string): unknown {
  if (field !== undefined && SECRET_FIELDS.has(field) && typeof body === 'string') return REDACTED;
  if (typeof body === 'string') return redactor.text(body);
  if (Array.isArray(body)) return body.map((item) => redactBody(redactor, item));
  if (body !== null && typeof body === 'object' && !(body instanceof Blob)) {
    return mapValues(body, (item, key) => redactBody(redactor, item, key));
  }
  return body;
}

/**
 * The call of `operationId` whose body holds `partialBody` (any call of it, when `partialBody` is left out),
 * or a `FakeAssertionError` listing the calls that were made.
 */
export function findSent(calls: readonly FakeCall[], operationId: string, partialBody?: unknown): FakeCall {
  const same = calls.filter((call) => call.operationId === operationId);
  const found = same.find((call) => partialBody === undefined || matchesPartially(call.body, partialBody));
  if (found) return found;
  const wanted = partialBody === undefined ? `a ${operationId} call` : `a ${operationId} call whose body includes ${show(partialBody)}`;
  const seen =
    same.length === 0
      ? `no ${operationId} call was made; the calls were: ${calls.map((call) => call.operationId ?? `${call.method} ${call.url}`).join(', ') || 'none'}`
      : `the ${operationId} calls were:\n${same.map((call, index) => `  ${index + 1}. ${show(call.body)} (answered ${call.status ?? call.fault})`).join('\n')}`;
  throw new FakeAssertionError(`Expected ${wanted}, but ${seen}`, same.map((call) => call.body), partialBody);
}
