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

/** The per-call options, which go in a method's second argument. */
const CALL_OPTIONS: ReadonlySet<string> = new Set(['signal', 'headers', 'timeoutMs', 'baseUrl']);
/** openapi-fetch's nesting, which the typed methods do not use. */
const NESTINGS: ReadonlySet<string> = new Set(['params', 'path', 'query', 'header']);

/** Why a key is not part of an operation's input, and what to write instead. */
function unknownKey(operationId: string, entry: OperationEntry, key: string): RequestValidationError {
  const names = [...(entry.params?.path ?? []), ...(entry.params?.query ?? []), ...(entry.params?.header ?? [])];
  const flat = names.length === 0 ? '{}' : `{ ${names.join(', ')} }`;
  const problem = `is not a parameter of ${operationId}`;
  if (CALL_OPTIONS.has(key)) {
    return new RequestValidationError(key, `${problem}; call options go in the second argument: ${operationId}(${flat}, { ${key} })`);
  }
  if (NESTINGS.has(key)) {
    return new RequestValidationError(key, `${problem}; parameters are passed flat by name, ${operationId}(${flat}), and a request body as body`);
  }
  return new RequestValidationError(key, names.length === 0 ? `${problem}, which takes none` : `${problem}, whose parameters are ${names.join(', ')}`);
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
