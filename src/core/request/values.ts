/**
 * What each serializer can carry, checked before anything is sent. `JSON.stringify` turns `NaN` and `Infinity`
 * into `null`, drops functions, and throws a bare `TypeError` on a BigInt or a cycle; a query string or a header
 * turns an object into `[object Object]` and `NaN` into the text `NaN`. Every one of those is the caller's
 * mistake, so each is a `RequestValidationError` naming the path of the value at fault (`body.message.count`,
 * `q.chat_id`, `headers.x-note`) instead of a request with a silently changed value.
 */
import { RequestValidationError } from '../errors/errors.js';
import { describeType } from '../errors/shape.js';

/** Appends a key to a field path: `.name` for plain keys, `["…"]` for others. */
function child(path: string, key: string): string {
  if (path === '') return key;
  return /^[A-Za-z_$][\w$-]*$/.test(key) ? `${path}.${key}` : `${path}[${JSON.stringify(key)}]`;
}

/** A request body's fields are named from its root, as the spec's checks name them (`message.content`). */
const BODY_ROOT = '';

/** Built-in objects that `JSON.stringify` writes as `{}` (or as an object of indexes), losing what they hold. */
const LOSSY_IN_JSON: readonly (abstract new (...args: never[]) => object)[] = [Map, Set, WeakMap, WeakSet, Promise, RegExp, Error, ArrayBuffer, Blob];

/** Names a built-in object that JSON cannot carry, or `undefined` for any other (plain objects are not looked at). */
function lossyKind(object: object): string | undefined {
  const prototype = Object.getPrototypeOf(object) as unknown;
  if (prototype === Object.prototype || prototype === null || Array.isArray(object)) return undefined;
  if (ArrayBuffer.isView(object)) return 'a typed array';
  const kind = LOSSY_IN_JSON.find((type) => object instanceof type);
  return kind ? `a ${kind.name}` : undefined;
}

/**
 * Checks that a value survives `JSON.stringify` unchanged: no BigInt, no cycle, no `NaN` or `±Infinity`, no
 * function or symbol, no Map, Set or other built-in that JSON writes as `{}`. Objects with a `toJSON` (a `Date`)
 * are left to it, as `JSON.stringify` does. The walk keeps the keys it is under on a stack and writes a field's
 * path only for the value it refuses, so a body that passes costs no string.
 */
export function checkJsonValue(value: unknown, field: string): void {
  const ancestors = new Set<object>();
  const keys: (string | number)[] = [];
  const refuse = (problem: string): never => {
    let path = field;
    for (const key of keys) path = typeof key === 'number' ? `${path === '' ? 'body' : path}[${key}]` : child(path, key);
    throw new RequestValidationError(path === '' ? 'body' : path, problem);
  };
  const walk = (item: unknown): void => {
    switch (typeof item) {
      case 'string':
      case 'boolean':
      case 'undefined':
        return;
      case 'number':
        if (!Number.isFinite(item)) refuse(`is ${String(item)}, which JSON cannot carry (it would be sent as null)`);
        return;
      case 'bigint':
        return refuse('is a BigInt, which JSON cannot carry; pass it as a string or a number');
      case 'function':
      case 'symbol':
        return refuse(`is a ${typeof item}, which JSON cannot carry`);
    }
    if (item === null || typeof (item as { toJSON?: unknown }).toJSON === 'function') return;
    const object = item as object;
    const lossy = lossyKind(object);
    if (lossy) refuse(`is ${lossy}, which JSON cannot carry (it would be sent as {})`);
    if (ancestors.has(object)) refuse('refers back to an object that contains it (a cycle), which JSON cannot carry');
    ancestors.add(object);
    if (Array.isArray(object)) {
      for (let index = 0; index < object.length; index++) {
        const entry: unknown = object[index];
        keys.push(index);
        // `JSON.stringify` writes an undefined array item as null, which changes what is sent.
        if (entry === undefined) refuse('is undefined, which JSON cannot carry in a list');
        walk(entry);
        keys.pop();
      }
    } else {
      for (const key in object) {
        if (!Object.hasOwn(object, key)) continue;
        keys.push(key);
        walk((object as Record<string, unknown>)[key]);
        keys.pop();
      }
    }
    ancestors.delete(object);
  };
  walk(value);
}

/** Serializes a value as JSON after {@link checkJsonValue}. */
export function toJsonText(value: unknown, field: string): string {
  checkJsonValue(value, field);
  return JSON.stringify(value);
}

/** Checks one value written as text (a query value, a header, a form field, a path segment). */
export function checkScalar(value: unknown, field: string): void {
  switch (typeof value) {
    case 'string':
    case 'boolean':
    case 'bigint':
      return;
    case 'number':
      if (!Number.isFinite(value)) throw new RequestValidationError(field, `is ${String(value)}, not a finite number`);
      return;
  }
  throw new RequestValidationError(field, `must be a string, a number or a boolean, not ${describeType(value)}`);
}

/**
 * Checks a query object before it is written: each value a scalar, a list of scalars, or (written as
 * `name[key]=value`) an object of scalars. Values named in `json` are JSON documents and checked as such.
 */
export function checkQuery(query: Record<string, unknown>, json: readonly string[] | undefined): void {
  for (const name of Object.keys(query)) {
    const value = query[name];
    if (value === undefined || value === null) continue;
    if (json?.includes(name)) checkJsonValue(value, name);
    else if (Array.isArray(value)) value.forEach((item: unknown, index) => checkScalar(item, `${name}[${index}]`));
    else if (typeof value === 'object' && !(value instanceof Date)) {
      for (const key of Object.keys(value)) checkScalar((value as Record<string, unknown>)[key], child(name, key));
    } else checkScalar(value, name);
  }
}

/** Checks a body sent as `application/x-www-form-urlencoded`: an object of scalars. */
export function checkFormFields(body: unknown): void {
  if (body instanceof URLSearchParams) return;
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw new RequestValidationError('body', `must be an object of form fields, not ${describeType(body)}`);
  }
  for (const [name, value] of Object.entries(body)) if (value !== undefined) checkScalar(value, child(BODY_ROOT, name));
}

/** Checks a body sent as `multipart/form-data`: scalars, files, and objects sent as JSON text. */
export function checkMultipartFields(body: unknown): void {
  if (body instanceof FormData) return;
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw new RequestValidationError('body', `must be an object of form fields, not ${describeType(body)}`);
  }
  for (const [name, value] of Object.entries(body)) {
    if (value === undefined || value === null || value instanceof Blob) continue;
    if (typeof value === 'object') checkJsonValue(value, child(BODY_ROOT, name));
    else checkScalar(value, child(BODY_ROOT, name));
  }
}

/** Checks a body sent as raw bytes: a Blob, an ArrayBuffer, a typed array or a string. */
export function checkBinary(body: unknown): void {
  if (typeof body === 'string' || body instanceof Blob || body instanceof ArrayBuffer || ArrayBuffer.isView(body)) return;
  throw new RequestValidationError('body', `must be a Blob, an ArrayBuffer, a typed array or a string, not ${describeType(body)}`);
}

/** The body checks by encoding. */
const BODY_CHECKS = {
  json: (body: unknown) => checkJsonValue(body, BODY_ROOT),
  multipart: checkMultipartFields,
  form: checkFormFields,
  binary: checkBinary,
} as const;

/**
 * Checks every value of a call against what its serializer can carry: path values, query values (JSON ones as
 * JSON), and the body by its encoding. Run before the spec's own checks, so a `NaN` is named as such rather than
 * as a number that is not an integer, and run whether or not those checks are on: these values cannot be sent as
 * given at all.
 */
export function checkValues(
  encoding: { readonly body?: keyof typeof BODY_CHECKS; readonly jsonQuery?: readonly string[] },
  input: { readonly params?: { readonly path?: Record<string, unknown>; readonly query?: Record<string, unknown> }; readonly body?: unknown },
): void {
  const params = input.params;
  if (params?.path) {
    for (const [name, value] of Object.entries(params.path)) {
      if (typeof value === 'number' && !Number.isFinite(value)) throw new RequestValidationError(name, `is ${value}, not a finite number`);
    }
  }
  if (params?.query) checkQuery(params.query, encoding.jsonQuery);
  if (input.body !== undefined) BODY_CHECKS[encoding.body ?? 'json'](input.body);
}
