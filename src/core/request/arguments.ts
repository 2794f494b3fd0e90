/**
 * Run-time checks of the arguments helpers take (uploads, pollers, builders, webhook and auth helpers). Their
 * types say the same, but a plain JavaScript caller, or a value read from a config file, is not held to them:
 * without these a wrong argument would travel on as `undefined` (a file named "undefined", a
 * `content-type: undefined` header) or end in a bare `TypeError` after a request was already made. Each check
 * throws a `RequestValidationError` naming the argument, before anything is sent.
 */
import { RequestValidationError } from '../errors/errors.js';
import { describeType } from '../errors/shape.js';

/** An object of named arguments (not `null`, not an array). */
export function requireObject<T extends object>(value: T, field: string): T;
export function requireObject(value: unknown, field: string): Record<string, unknown>;
export function requireObject(value: unknown, field: string): object {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new RequestValidationError(field, `must be an object, not ${describeType(value)}`);
  }
  return value;
}

/** {@link requireObject}, or `undefined` when left out. */
export function optionalObject(value: unknown, field: string): Record<string, unknown> | undefined {
  return value === undefined ? undefined : requireObject(value, field);
}

/** A non-empty string without line breaks (it may end up in a header, a URL or a file name). */
export function requireString(value: unknown, field: string): string {
  if (typeof value !== 'string' || value === '') {
    throw new RequestValidationError(field, `must be a non-empty string, not ${value === '' ? 'an empty one' : describeType(value)}`);
  }
  if (/[\r\n\0]/.test(value)) throw new RequestValidationError(field, 'must not contain line breaks');
  return value;
}

/** {@link requireString}, or `undefined` when left out. */
export function optionalString(value: unknown, field: string): string | undefined {
  return value === undefined ? undefined : requireString(value, field);
}

/** A media type such as `application/pdf` or `text/plain; charset=utf-8`. */
export function requireMediaType(value: unknown, field: string): string {
  const text = requireString(value, field);
  if (!/^[\w.+-]+\/[\w.+-]+(\s*;[\t\x20-\x7e]*)?$/.test(text)) throw new RequestValidationError(field, 'must be a media type such as application/pdf');
  return text;
}

/** A number within bounds, or `undefined` when left out. */
export function optionalNumber(value: unknown, field: string, bounds: { readonly min?: number; readonly max?: number; readonly integer?: boolean } = {}): number | undefined {
  if (value === undefined) return undefined;
  const { min = -Infinity, max = Infinity, integer = false } = bounds;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max || (integer && !Number.isInteger(value))) {
    const range = min === -Infinity ? '' : max === Infinity ? ` of at least ${min}` : ` from ${min} to ${max}`;
    throw new RequestValidationError(field, `must be a ${integer ? 'whole number' : 'finite number'}${range}, not ${typeof value === 'number' ? value : describeType(value)}`);
  }
  return value;
}

/** One of a fixed list of strings. */
export function requireOneOf<T extends string>(value: unknown, field: string, allowed: readonly T[]): T {
  if (typeof value !== 'string' || !allowed.includes(value as T)) {
    throw new RequestValidationError(field, `must be one of ${allowed.join(', ')}`);
  }
  return value as T;
}

/** A function, or `undefined` when left out. */
export function optionalFunction(value: unknown, field: string): void {
  if (value !== undefined && typeof value !== 'function') throw new RequestValidationError(field, `must be a function, not ${describeType(value)}`);
}

/** An `AbortSignal`, or `undefined` when left out. */
export function optionalSignal(value: unknown, field: string): void {
  if (value !== undefined && !(value instanceof AbortSignal)) throw new RequestValidationError(field, 'must be an AbortSignal');
}

/** A file's content: a Blob, an ArrayBuffer, a typed array or a string. */
export function requireBytes(value: unknown, field: string): Blob | ArrayBuffer | ArrayBufferView | string {
  if (typeof value === 'string' || value instanceof Blob || value instanceof ArrayBuffer || ArrayBuffer.isView(value)) return value;
  throw new RequestValidationError(field, `must be a Blob, an ArrayBuffer, a typed array or a string, not ${describeType(value)}`);
}

/** An object whose present members are functions: a set of event handlers. */
export function requireHandlers(value: unknown, field: string, known: readonly string[]): void {
  const handlers = requireObject(value, field);
  for (const [name, handler] of Object.entries(handlers)) {
    if (!known.includes(name)) throw new RequestValidationError(`${field}.${name}`, `is not an event handler; known handlers: ${known.join(', ')}`);
    optionalFunction(handler, `${field}.${name}`);
  }
}

/** A list of strings, each checked by `each`. */
export function requireStringList(value: unknown, field: string, each: (item: unknown, field: string) => string = requireString): string[] {
  if (!Array.isArray(value)) throw new RequestValidationError(field, `must be an array of strings, not ${describeType(value)}`);
  return value.map((item: unknown, index) => each(item, `${field}[${index}]`));
}

/** An object with the named methods (a clock, a store), or `undefined` when left out. */
export function optionalMethods(value: unknown, field: string, methods: readonly string[]): void {
  if (value === undefined) return;
  const object = requireObject(value, field);
  for (const name of methods) {
    if (typeof object[name] !== 'function') throw new RequestValidationError(`${field}.${name}`, `must be a function, not ${describeType(object[name])}`);
  }
}
