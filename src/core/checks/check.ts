/**
 * The one checker of requests: it walks an operation's generated check (what the spec states about its
 * parameters and JSON body) over the caller's input before anything is built or sent, and reports the first
 * field that breaks a rule with the field's path, the problem and the limit. Lengths count code points, as the
 * APIs do, so an emoji counts once. A refusal never repeats the value it refuses, which may be a secret: it says
 * what the value is (its type, its length, its number) and what it must be.
 */
import { RequestValidationError } from '../errors/errors.js';
import { describeType } from '../errors/shape.js';
import { INT64_TEXT } from '../exchange/json.js';
import type { RequestInput } from '../request/request.js';

/** What a spec states about one value. Every field is optional: a check holds only what the spec says. */
export interface FieldCheck {
  readonly type?: 'string' | 'integer' | 'number' | 'boolean' | 'object' | 'array';
  /** `null` is allowed besides the type. */
  readonly nullable?: true;
  /** An integer the caller may also give as an exact decimal string (int64). */
  readonly int64?: true;
  readonly enum?: readonly unknown[];
  /** The enum's values are read in any letter case (`x-enum-any-case`); they are listed in lower case. */
  readonly anyCase?: true;
  /** `minLength`, `maxLength` of a string, in code points; `null` where the spec gives none. */
  readonly length?: readonly [number | null, number | null];
  /**
   * The spec's `pattern` of a string, compiled once where the check is written (with the `u` flag, as ECMA-262
   * patterns are meant); like JSON Schema, it may match anywhere in the string unless it is anchored.
   */
  readonly pattern?: RegExp;
  /** `minItems`, `maxItems` of an array. */
  readonly count?: readonly [number | null, number | null];
  /** `minimum`, `maximum` of a number. */
  readonly range?: readonly [number | null, number | null];
  readonly required?: readonly string[];
  readonly properties?: { readonly [name: string]: FieldCheck };
  readonly items?: FieldCheck;
  /** The check of every value of a map (`additionalProperties`). */
  readonly values?: FieldCheck;
  /** The value must pass one of these (`oneOf`/`anyOf`). */
  readonly oneOf?: readonly FieldCheck[];
  /** The discriminator property that picks the branch of `oneOf`. */
  readonly tag?: string;
}

/** What a spec states about one operation's request. */
export interface RequestCheck {
  /** Parameters by name (path, query and header alike, as the typed methods take them). */
  readonly params?: { readonly [name: string]: FieldCheck };
  /** The parameters that must be given. */
  readonly required?: readonly string[];
  readonly body?: FieldCheck;
  readonly bodyRequired?: true;
}

/** Which rule a value breaks. */
export type RuleKind = 'required' | 'type' | 'enum' | 'length' | 'pattern' | 'count' | 'range' | 'oneOf';

/** A value that breaks a rule of the spec. */
export interface Refusal {
  /** The path of the field: property names and array indexes, from the input's top (a body's fields without `body`). */
  readonly path: readonly (string | number)[];
  readonly rule: RuleKind;
  /** What is wrong, in words, the limit included. */
  readonly problem: string;
  /** The limit broken, for length, count and range rules. */
  readonly limit?: number;
  /** The value's own length, count or number, for those rules. */
  readonly actual?: number;
}

/** Builds the error a refusal is thrown as; an API's client may name its own (Pachca's `ButtonLayoutError`). */
export type RefusalError = (refusal: Refusal) => RequestValidationError;

/** Writes a path the way errors name fields: `message.buttons[1][8].text`. */
export function fieldPath(path: readonly (string | number)[]): string {
  let text = '';
  for (const part of path) text += typeof part === 'number' ? `[${part}]` : text === '' ? part : `.${part}`;
  return text || 'body';
}

/** The default error of a refusal: a `RequestValidationError` naming the field. */
export const refusalError: RefusalError = (refusal) => new RequestValidationError(fieldPath(refusal.path), refusal.problem);

/** The number of code points of a string, counted only as far as a limit needs. */
function codePoints(text: string): number {
  let count = 0;
  for (const _ of text) count++;
  return count;
}

function hasType(check: FieldCheck, value: unknown): boolean {
  switch (check.type) {
    case undefined:
      return true;
    case 'string':
      return typeof value === 'string';
    case 'integer':
      return (typeof value === 'number' && Number.isInteger(value)) || (check.int64 === true && typeof value === 'string' && INT64_TEXT.test(value));
    case 'number':
      return typeof value === 'number' && Number.isFinite(value);
    case 'boolean':
      return typeof value === 'boolean';
    case 'array':
      return Array.isArray(value);
    case 'object':
      return value !== null && typeof value === 'object' && !Array.isArray(value);
    default:
      return true;
  }
}

function outOfBounds(
  bounds: readonly [number | null, number | null],
  actual: number,
  path: readonly (string | number)[],
  rule: 'length' | 'count' | 'range',
): Refusal | undefined {
  const [min, max] = bounds;
  const unit = rule === 'length' ? ' characters long' : rule === 'count' ? ' items' : '';
  const verb = rule === 'range' ? 'is' : rule === 'length' ? 'is' : 'has';
  if (min !== null && actual < min) {
    const least = rule === 'range' ? `it must be at least ${min}` : `at least ${min} ${rule === 'length' ? 'characters are' : 'items are'} required`;
    return { path, rule, problem: `${verb} ${actual}${unit}; ${least}`, limit: min, actual };
  }
  if (max !== null && actual > max) {
    const most = rule === 'range' ? `it must be at most ${max}` : `at most ${max} ${rule === 'length' ? 'characters are' : 'items are'} allowed`;
    return { path, rule, problem: `${verb} ${actual}${unit}; ${most}`, limit: max, actual };
  }
  return undefined;
}

/** The first rule a value breaks, or `undefined`. */
export function checkValue(check: FieldCheck, value: unknown, path: readonly (string | number)[]): Refusal | undefined {
  if (value === null && check.nullable) return undefined;
  if (!hasType(check, value)) return { path, rule: 'type', problem: `must be ${check.type === 'integer' || check.type === 'array' || check.type === 'object' ? 'an' : 'a'} ${check.type}, not ${describeType(value)}` };
  if (check.enum) {
    const seen = check.anyCase && typeof value === 'string' ? value.toLowerCase() : value;
    if (!check.enum.includes(seen)) return { path, rule: 'enum', problem: `must be one of ${check.enum.map((item) => JSON.stringify(item)).join(', ')}${check.anyCase ? ' (in any letter case)' : ''}` };
  }
  if (check.length && typeof value === 'string') {
    const [min, max] = check.length;
    // A string's UTF-16 length bounds its code points from above, and twice them from below.
    const mayBreak = (max !== null && value.length > max) || (min !== null && value.length < min * 2);
    const refusal = mayBreak ? outOfBounds(check.length, codePoints(value), path, 'length') : undefined;
    if (refusal) return refusal;
  }
  if (check.pattern && typeof value === 'string' && !check.pattern.test(value)) {
    return { path, rule: 'pattern', problem: `does not match the pattern ${check.pattern.source}` };
  }
  if (check.range && typeof value === 'number') {
    const refusal = outOfBounds(check.range, value, path, 'range');
    if (refusal) return refusal;
  }
  if (Array.isArray(value)) {
    if (check.count) {
      const refusal = outOfBounds(check.count, value.length, path, 'count');
      if (refusal) return refusal;
    }
    if (check.items) {
      for (let index = 0; index < value.length; index++) {
        const refusal = checkValue(check.items, value[index], [...path, index]);
        if (refusal) return refusal;
      }
    }
  } else if (value !== null && typeof value === 'object') {
    const object = value as Record<string, unknown>;
    for (const name of check.required ?? []) {
      if (object[name] === undefined) return { path: [...path, name], rule: 'required', problem: 'is required' };
    }
    if (check.properties) {
      for (const name in check.properties) {
        const child = object[name];
        if (child === undefined) continue;
        const refusal = checkValue(check.properties[name] as FieldCheck, child, [...path, name]);
        if (refusal) return refusal;
      }
    }
    if (check.values) {
      for (const name in object) {
        const refusal = checkValue(check.values, object[name], [...path, name]);
        if (refusal) return refusal;
      }
    }
  }
  if (check.oneOf) return checkBranches(check, value, path);
  return undefined;
}

/** A value of a union passes when one branch takes it; the branch its tag names, when there is a tag. */
function checkBranches(check: FieldCheck, value: unknown, path: readonly (string | number)[]): Refusal | undefined {
  const branches = check.oneOf as readonly FieldCheck[];
  const tag = check.tag;
  if (tag !== undefined && value !== null && typeof value === 'object') {
    const chosen = branches.find((branch) => branch.properties?.[tag]?.enum?.includes((value as Record<string, unknown>)[tag]));
    if (chosen) return checkValue(chosen, value, path);
  }
  let first: Refusal | undefined;
  for (const branch of branches) {
    const refusal = checkValue(branch, value, path);
    if (!refusal) return undefined;
    // The refusal of the branch that got furthest explains the most.
    if (!first || refusal.path.length > first.path.length) first = refusal;
  }
  return first;
}

/** The first rule an operation's input breaks, or `undefined`. */
export function checkRequest(check: RequestCheck, input: RequestInput): Refusal | undefined {
  const { params } = input as { params?: { path?: Record<string, unknown>; query?: Record<string, unknown>; header?: Record<string, unknown> } };
  const valueOf = (name: string): unknown => params?.path?.[name] ?? params?.query?.[name] ?? params?.header?.[name];
  for (const name of check.required ?? []) {
    if (valueOf(name) === undefined) return { path: [name], rule: 'required', problem: 'is required' };
  }
  if (check.params) {
    for (const name in check.params) {
      const value = valueOf(name);
      if (value === undefined) continue;
      const refusal = checkValue(check.params[name] as FieldCheck, value, [name]);
      if (refusal) return refusal;
    }
  }
  const body = (input as { body?: unknown }).body;
  if (body === undefined) return check.bodyRequired ? { path: ['body'], rule: 'required', problem: 'is required' } : undefined;
  return check.body ? checkValue(check.body, body, []) : undefined;
}
