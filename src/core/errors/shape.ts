/**
 * Checks of success bodies for what the helpers dereference (a page's list, a token answer's `access_token`),
 * so that a server answering `{}` or a list without its items gets an `UnexpectedResponseError` that names the
 * operation and the missing field, never a `TypeError` from deep inside a helper.
 */

/** Names a value's JSON kind for an error message: `null`, `an array`, `an object`, `a string`, …. */
export function describeType(value: unknown): string {
  if (value === null || value === undefined) return String(value);
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

/** The JSON kinds a field can be required to have. */
export type FieldKind = 'array' | 'object' | 'string';

function hasKind(value: unknown, kind: FieldKind): boolean {
  if (kind === 'array') return Array.isArray(value);
  if (kind === 'object') return value !== null && typeof value === 'object' && !Array.isArray(value);
  return typeof value === 'string' && value !== '';
}

/** The value at a path split at its dots (`meta.paginate`), or `undefined` when a step is missing. */
export function valueAt(data: unknown, path: readonly string[]): unknown {
  let value = data;
  for (const key of path) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}

/** A copy of an input with `value` at a path (`q.cursor`), each object on the way copied and the rest untouched. */
export function withValueAt(input: Record<string, unknown>, path: readonly string[], value: unknown): Record<string, unknown> {
  const [head, ...rest] = path as [string, ...string[]];
  if (rest.length === 0) return { ...input, [head]: value };
  return { ...input, [head]: withValueAt((input[head] ?? {}) as Record<string, unknown>, rest, value) };
}

/**
 * Builds a body check: each named field (a dotted path for nested ones, parents first) must be present and of its
 * kind; the check returns what is wrong, or `undefined`.
 */
export function expectFields(fields: Readonly<Record<string, FieldKind>>): (data: unknown) => string | undefined {
  // Split once here: the check runs on every answer of its operation.
  const checks = Object.entries(fields).map(([name, kind]) => [name, name.split('.'), kind] as const);
  return (data) => {
    if (data === null || typeof data !== 'object') return 'the body is not an object';
    for (const [name, path, kind] of checks) {
      const value = valueAt(data, path);
      if (hasKind(value, kind)) continue;
      if (value === undefined) return `the body has no ${name}`;
      return `the body's ${name} is not ${kind === 'array' ? 'an array' : kind === 'object' ? 'an object' : 'a non-empty string'}`;
    }
    return undefined;
  };
}
