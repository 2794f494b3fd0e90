/**
 * The typed methods take one flat input: every parameter by name, and the request body under `body`
 * (`getMessage({ id })`, `updateMessage({ id, body })`). This splits it into path, query and header parameters
 * along the operation's table row. A key that is neither a parameter nor `body` is the caller's mistake, reported
 * before anything is sent instead of being dropped.
 */
import { RequestValidationError } from '../errors/errors.js';
import type { OperationEntry } from '../client/operation.js';
import type { RequestInput } from './request.js';
import { describeType } from '../errors/shape.js';

type Bag = Record<string, unknown>;

/** The per-call options, which go in a method's second argument (see `CallOptions`). */
export const CALL_OPTIONS: ReadonlySet<string> = new Set(['signal', 'headers', 'timeoutMs', 'baseUrl']);
/** openapi-fetch's nesting, which the typed methods do not use. */
const NESTINGS: ReadonlySet<string> = new Set(['params', 'path', 'query', 'header']);
/** Where a typed method takes what: said alike for a call option in the input and an unknown key in the options. */
const ARGUMENTS = 'call options go in the second argument and parameters (and body) by name in the first';

/** An operation's parameter names, as its flat input writes them: `{ id, limit }`, or `{}` for none. */
function parameterNames(entry: OperationEntry): string[] {
  return [...(entry.params?.path ?? []), ...(entry.params?.query ?? []), ...(entry.params?.header ?? [])];
}

/** A call of the operation that puts a parameter and an option where they go: `getMessage({ id }, { timeoutMs })`. */
function callShape(operationId: string, entry: OperationEntry, option: string): string {
  const names = parameterNames(entry);
  return `${operationId}(${names.length === 0 ? '{}' : `{ ${names.join(', ')} }`}, { ${option} })`;
}

/** Why a key is not part of an operation's input, and what to write instead. */
function unknownKey(operationId: string, entry: OperationEntry, key: string): RequestValidationError {
  const names = parameterNames(entry);
  const problem = `is not a parameter of ${operationId}`;
  if (CALL_OPTIONS.has(key)) return new RequestValidationError(key, `${problem}; ${ARGUMENTS}: ${callShape(operationId, entry, key)}`);
  if (NESTINGS.has(key)) {
    const flat = names.length === 0 ? '{}' : `{ ${names.join(', ')} }`;
    return new RequestValidationError(key, `${problem}; parameters are passed flat by name, ${operationId}(${flat}), and a request body as body`);
  }
  return new RequestValidationError(key, names.length === 0 ? `${problem}, which takes none` : `${problem}, whose parameters are ${names.join(', ')}`);
}

/**
 * Checks the per-call options a caller gave, before anything is built. An option the path does not know is
 * refused rather than ignored: `{ timeoutMS: 1 }` would otherwise leave the call unbounded without a word. A typed
 * call's message shows the operation called as it should be; a raw call's says what its second argument takes.
 */
export function checkCallOptions(options: unknown, operation: { readonly id: string | undefined; readonly entry: OperationEntry }, raw: boolean): void {
  if (options === undefined) return;
  if (options === null || typeof options !== 'object' || Array.isArray(options)) {
    throw new RequestValidationError('options', `must be an object of call options (${[...CALL_OPTIONS].join(', ')}), not ${describeType(options)}`);
  }
  for (const key of Object.keys(options)) {
    if (CALL_OPTIONS.has(key) || (options as Record<string, unknown>)[key] === undefined) continue;
    const where = raw
      ? 'a raw call takes params, body and the call options in its second argument'
      : `${ARGUMENTS}: ${operation.id === undefined ? 'getMessage({ id }, { timeoutMs })' : callShape(operation.id, operation.entry, 'timeoutMs')}`;
    throw new RequestValidationError(`options.${key}`, `is not a call option (${[...CALL_OPTIONS].join(', ')}); ${where}`);
  }
  const { signal } = options as { signal?: unknown };
  if (signal !== undefined && !(signal instanceof AbortSignal)) throw new RequestValidationError('options.signal', 'must be an AbortSignal');
}

/** Splits a flat input into openapi-fetch's `{ params, body }` form. */
export function splitInput(operationId: string, entry: OperationEntry, input: unknown): RequestInput {
  if (input === undefined || input === null) return {};
  if (typeof input !== 'object' || Array.isArray(input)) {
    throw new RequestValidationError('input', `must be an object of ${operationId}'s parameters, not ${describeType(input)}`);
  }
  const locations = entry.params ?? {};
  let path: Bag | undefined;
  let query: Bag | undefined;
  let header: Bag | undefined;
  let body: unknown;
  for (const key in input) {
    const value = (input as Bag)[key];
    if (key === 'body') body = value;
    else if (locations.path?.includes(key)) (path ??= {})[key] = value;
    else if (locations.query?.includes(key)) (query ??= {})[key] = value;
    else if (locations.header?.includes(key)) (header ??= {})[key] = value;
    else if (value !== undefined) throw unknownKey(operationId, entry, key);
  }
  const split: { params?: RequestInput['params']; body?: unknown } = {};
  if (path || query || header) {
    const params: Bag = {};
    if (path) params.path = path;
    if (query) params.query = query;
    if (header) params.header = header;
    split.params = params;
  }
  if (body !== undefined) split.body = body;
  return split as RequestInput;
}

/**
 * Checks an operation's input against what the spec says it takes, in either calling style: a `body` where the
 * operation takes none (a GET with a body is refused by `fetch` and would only be retried), a missing body the
 * operation requires, and a missing required query or header parameter.
 */
export function checkPresence(operationId: string, entry: OperationEntry, input: RequestInput, checking = true): void {
  if (input.body !== undefined && entry.requestBody === undefined) {
    throw new RequestValidationError('body', `is not taken by ${operationId} (${entry.method} ${entry.path} has no request body)`);
  }
  // What the spec requires is its rule, which `checkRequests: false` lets through to the server.
  if (!checking) return;
  if (input.body === undefined && entry.requestBody === 'required') {
    throw new RequestValidationError('body', `is required by ${operationId}`);
  }
  const required = entry.params?.required;
  if (!required) return;
  const params = input.params;
  for (const name of required) {
    const value = params?.query?.[name] ?? params?.header?.[name];
    if (value === undefined || value === null) throw new RequestValidationError(name, `is required by ${operationId}`);
  }
}
