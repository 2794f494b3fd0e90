/**
 * Validation of JSON-valued query parameters (uNet's `q`), which Prism does not check: Prism validates a query
 * parameter declared with `schema`, but one declared with `content` (a JSON document) passes unchecked. The
 * contract tests therefore check each such parameter against its schema before the request reaches Prism, and
 * answer a violation as Prism would: 422 with the problems in an `sl-violations` header.
 */
import { readFileSync } from 'node:fs';
import ajv2020 from 'ajv/dist/2020.js';
import type { ValidateFunction } from 'ajv/dist/2020.js';
import ajvFormats from 'ajv-formats';
import { findRoute, route, type Route } from '../setup/routes.js';

interface Parameter {
  readonly name: string;
  readonly in: string;
  readonly content?: Record<string, unknown>;
}

type Operation = { parameters?: Parameter[] };

/** The JSON query parameters of each operation of a bundled spec, with a validator each. */
export function jsonQueryValidators(specPath: string): Route<Map<string, ValidateFunction>>[] {
  const doc = JSON.parse(readFileSync(specPath, 'utf8')) as { paths: Record<string, Record<string, unknown>> };
  // Both packages are CommonJS with the class (or function) on `default`.
  const ajv = new ajv2020.default({ strict: false, allErrors: true });
  ajvFormats.default(ajv);
  ajv.addSchema(doc as object, 'spec.json');
  const routes: Route<Map<string, ValidateFunction>>[] = [];
  for (const [template, item] of Object.entries(doc.paths)) {
    for (const [method, operation] of Object.entries(item)) {
      const parameters = (operation as Operation).parameters ?? [];
      const validators = new Map<string, ValidateFunction>();
      parameters.forEach((parameter, index) => {
        if (parameter.in !== 'query' || !parameter.content?.['application/json']) return;
        const pointer = ['paths', template, method, 'parameters', String(index), 'content', 'application/json', 'schema']
          .map((part) => part.replace(/~/g, '~0').replace(/\//g, '~1'))
          .join('/');
        validators.set(parameter.name, ajv.compile({ $ref: `spec.json#/${pointer}` }));
      });
      if (validators.size > 0) routes.push(route(method, template, validators));
    }
  }
  return routes;
}

/** The problems with a request's JSON query parameters, in Prism's `sl-violations` shape. */
export function jsonQueryViolations(
  routes: readonly Route<Map<string, ValidateFunction>>[],
  method: string,
  url: URL,
): { location: string[]; message: string }[] {
  const match = findRoute(routes, method, url.pathname);
  if (!match) return [];
  const violations: { location: string[]; message: string }[] = [];
  for (const [name, validate] of match.value) {
    const raw = url.searchParams.get(name);
    if (raw === null) continue;
    let value: unknown;
    try {
      value = JSON.parse(raw);
    } catch {
      violations.push({ location: ['request', 'query', name], message: `${name} is not JSON` });
      continue;
    }
    if (!validate(value)) {
      for (const error of validate.errors ?? []) {
        violations.push({ location: ['request', 'query', name, ...error.instancePath.split('/').filter(Boolean)], message: `${name}${error.instancePath} ${error.message ?? 'is invalid'}` });
      }
    }
  }
  return violations;
}
