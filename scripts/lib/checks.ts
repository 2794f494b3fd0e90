/**
 * What a spec states about an operation's request, as the compact table the core checker walks before sending
 * (src/core/checks): for every parameter and JSON body, `required`, `type`, `enum` (with `x-enum-any-case`),
 * `minLength`/`maxLength`, `pattern`, `minItems`/`maxItems` and `minimum`/`maximum`. A named schema is written once
 * and shared by every operation that uses it, so an operation imported on its own carries only its own checks.
 * A pattern is written as a regular expression literal, so the module compiles it once, when it loads.
 */
import type { FieldCheck, RequestCheck } from '../../src/core/checks/check.js';
import type { OpenApiDocument } from './apis.js';
import { jsonSchemaOf, resolve, type SpecOperation } from './operations.js';

type Schema = Record<string, unknown>;
/** A check as generated: a named schema's check stands in as a reference, written as the name of its constant. */
type Draft = FieldCheck | { readonly $check: string };

const TYPES = new Set(['string', 'integer', 'number', 'boolean', 'object', 'array']);
const ANY_CASE_MARK = 'x-enum-any-case';

/** The checks of one document: each operation's, and the named schemas they share. */
export interface RequestChecks {
  readonly operations: ReadonlyMap<string, Draft & RequestCheck>;
  /** Named schemas' checks in an order where each comes after the ones it uses. */
  readonly shared: ReadonlyMap<string, Draft>;
}

/** The constant a named schema's check is written as. */
export function checkConstant(name: string): string {
  return `check${name.replace(/[^A-Za-z0-9]/g, '')}`;
}

/**
 * A spec's `pattern` as the expression the checker tests strings with. OpenAPI patterns are ECMA-262, read with
 * the `u` flag (so `\S` and a class take a code point, not half of one); a pattern that is not one fails the
 * generation, naming it, rather than a caller's request.
 */
function patternOf(pattern: unknown): RegExp | undefined {
  if (typeof pattern !== 'string') return undefined;
  try {
    return new RegExp(pattern, 'u');
  } catch (cause) {
    throw new Error(`the spec's pattern ${JSON.stringify(pattern)} is not an ECMA-262 regular expression with the u flag`, { cause });
  }
}

function bounds(min: unknown, max: unknown): readonly [number | null, number | null] | undefined {
  const low = typeof min === 'number' ? min : null;
  const high = typeof max === 'number' ? max : null;
  return low === null && high === null ? undefined : [low, high];
}

/** Reads every operation's request checks from a bundled document. */
export function readRequestChecks(doc: OpenApiDocument, operations: readonly SpecOperation[]): RequestChecks {
  const shared = new Map<string, Draft>();
  const inProgress = new Set<string>();

  /** A schema's check, or `undefined` when the spec states nothing the checker can enforce. */
  function toCheck(node: unknown): Draft | undefined {
    const ref = (node as Schema | undefined)?.$ref;
    if (typeof ref === 'string') {
      const match = /^#\/components\/schemas\/([^/]+)$/.exec(ref);
      if (!match) return toCheck(resolve(doc, node));
      const name = match[1] as string;
      // A schema that holds itself is checked down to where it recurses.
      if (inProgress.has(name)) return undefined;
      if (!shared.has(name)) {
        inProgress.add(name);
        const check = toCheck(resolve(doc, node));
        inProgress.delete(name);
        if (check === undefined) return undefined;
        shared.set(name, check);
      }
      return { $check: name };
    }
    const schema = node as Schema | undefined;
    if (!schema || typeof schema !== 'object') return undefined;
    const check: Record<string, unknown> = {};
    const types = (Array.isArray(schema.type) ? schema.type : [schema.type]).filter((type): type is string => TYPES.has(type as string));
    // A file travels as a Blob; only its presence is checked.
    if (types.length === 1 && schema.format !== 'binary') check.type = types[0];
    if ((Array.isArray(schema.type) && schema.type.includes('null')) || schema.nullable === true) check.nullable = true;
    if (schema.format === 'int64' && check.type === 'integer') check.int64 = true;
    const anyCase = schema[ANY_CASE_MARK];
    if (Array.isArray(anyCase)) {
      check.enum = anyCase.map((value) => String(value).toLowerCase());
      check.anyCase = true;
    } else if (Array.isArray(schema.enum)) check.enum = schema.enum;
    else if (schema.const !== undefined) check.enum = [schema.const];
    const length = bounds(schema.minLength, schema.maxLength);
    if (length) check.length = length;
    const pattern = patternOf(schema.pattern);
    if (pattern) check.pattern = pattern;
    const count = bounds(schema.minItems, schema.maxItems);
    if (count) check.count = count;
    const range = bounds(schema.minimum, schema.maximum);
    if (range) check.range = range;

    const properties: Record<string, Draft> = {};
    const required = new Set<string>();
    const addObject = (object: Schema): void => {
      for (const [name, child] of Object.entries((object.properties as Record<string, unknown> | undefined) ?? {})) {
        if (resolve(doc, child)?.readOnly === true) continue;
        const childCheck = toCheck(child);
        if (childCheck !== undefined) properties[name] = childCheck;
      }
      for (const name of (object.required as string[] | undefined) ?? []) {
        if (resolve(doc, (object.properties as Record<string, unknown> | undefined)?.[name])?.readOnly !== true) required.add(name);
      }
    };
    addObject(schema);
    // allOf: every part holds, so their fields and limits add up.
    for (const part of (schema.allOf as unknown[] | undefined) ?? []) {
      const resolved = resolve(doc, part);
      if (!resolved) continue;
      addObject(resolved);
      const partCheck = toCheck({ ...resolved, properties: undefined, required: undefined });
      if (partCheck && !('$check' in partCheck)) Object.assign(check, { ...partCheck, ...check });
    }
    if (Object.keys(properties).length > 0) check.properties = properties;
    if (required.size > 0) check.required = [...required];
    if (schema.items !== undefined) {
      const items = toCheck(schema.items);
      if (items !== undefined) check.items = items;
    }
    if (schema.additionalProperties && typeof schema.additionalProperties === 'object') {
      const values = toCheck(schema.additionalProperties);
      if (values !== undefined) check.values = values;
    }
    const branches = (schema.oneOf ?? schema.anyOf) as unknown[] | undefined;
    if (Array.isArray(branches) && branches.length > 0) {
      const checks = branches.map((branch) => toCheck(branch));
      // A branch that states nothing admits anything, and so does the union.
      if (checks.every((branchCheck) => branchCheck !== undefined)) {
        check.oneOf = checks;
        const tag = (schema.discriminator as { propertyName?: unknown } | undefined)?.propertyName;
        if (typeof tag === 'string') check.tag = tag;
      }
    }
    return Object.keys(check).length > 0 ? (check as FieldCheck) : undefined;
  }

  const checks = new Map<string, Draft & RequestCheck>();
  for (const { id, operation, parameters, entry } of operations) {
    const params: Record<string, Draft> = {};
    const required: string[] = [];
    for (const parameter of parameters) {
      const name = String(parameter.name);
      if (parameter.in !== 'path' && parameter.in !== 'query' && parameter.in !== 'header') continue;
      if (parameter.in === 'path' || parameter.required === true) required.push(name);
      const check = toCheck(parameter.schema ?? jsonSchemaOf(doc, parameter));
      if (check !== undefined) params[name] = check;
    }
    const requestBody = resolve(doc, operation.requestBody);
    // Only a JSON body is checked: a form or a file travels as the caller built it.
    const body = entry.body === undefined ? toCheck(jsonSchemaOf(doc, requestBody)) : undefined;
    const check: Record<string, unknown> = {};
    if (Object.keys(params).length > 0) check.params = params;
    if (required.length > 0) check.required = required;
    if (body !== undefined) check.body = body;
    if (requestBody?.required === true) check.bodyRequired = true;
    if (Object.keys(check).length > 0) checks.set(id, check as Draft & RequestCheck);
  }
  return { operations: checks, shared };
}

/** Writes a check as a JavaScript expression, its shared parts as the names of their constants. */
export function writeCheck(value: unknown): string {
  // A literal keeps its source as the spec wrote it (a slash escaped) and its flag.
  if (value instanceof RegExp) return String(value);
  if (Array.isArray(value)) return `[${value.map(writeCheck).join(', ')}]`;
  if (value !== null && typeof value === 'object') {
    const ref = (value as { $check?: unknown }).$check;
    if (typeof ref === 'string') return checkConstant(ref);
    const fields = Object.entries(value).map(([key, child]) => `${/^[A-Za-z_$][\w$]*$/.test(key) ? key : JSON.stringify(key)}: ${writeCheck(child)}`);
    return `{ ${fields.join(', ')} }`;
  }
  return JSON.stringify(value);
}

/** The checks as the runtime objects the generated module holds, each shared check put in place of its name. */
export function inlineChecks(checks: RequestChecks): Record<string, RequestCheck> {
  const inline = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(inline);
    if (value === null || typeof value !== 'object' || value instanceof RegExp) return value;
    const ref = (value as { $check?: unknown }).$check;
    if (typeof ref === 'string') return inline(checks.shared.get(ref));
    return Object.fromEntries(Object.entries(value).map(([key, child]) => [key, inline(child)]));
  };
  return Object.fromEntries([...checks.operations].map(([id, check]) => [id, inline(check) as RequestCheck]));
}
