/**
 * Reading and checking one request the way the spec describes it: the route (method and path template), the
 * parameters (path, query, headers; a JSON query parameter parsed), the media type and the body, each checked by
 * the checks compiled when the package was generated. A problem is reported as the field it concerns.
 */
import type { FakeCheck, FakeCheckProblem, FakeChecks, FakeOperation } from './model.js';
import type { IncomingRequest } from './incoming.js';
import { parseExactJson, withNumbers } from './json.js';

/** One operation's route. */
export interface Route {
  readonly operationId: string;
  readonly method: string;
  readonly pattern: RegExp;
  readonly names: readonly string[];
  /** How many path parameters the template has: a more literal template wins. */
  readonly parameters: number;
  /** Its place in the table: between equally literal templates, the first wins. */
  readonly order: number;
}

/** What a route is compiled from. */
export interface RouteSource {
  readonly operationId: string;
  readonly method: string;
  /** The path template, such as `/messages/{id}/reactions`. */
  readonly template: string;
}

/** The routes of one method, by the first segment of their template. */
interface MethodRoutes {
  /** Routes whose first segment is literal text, by that text. */
  readonly literal: Map<string, Route[]>;
  /** Routes whose first segment holds a parameter: they may match any request. */
  readonly open: Route[];
}

/**
 * Every route of an API, by method and by the first segment of the path: a request is matched against the few
 * templates that can fit it instead of all of them.
 */
export type RouteTable = ReadonlyMap<string, MethodRoutes>;

/** The first segment of a path: `messages` of `/messages/1/reactions`. */
function firstSegment(path: string): string {
  const end = path.indexOf('/', 1);
  return end === -1 ? path.slice(1) : path.slice(1, end);
}

/** Compiles the route of a path template such as `/messages/{id}/reactions`. */
function compileRoute({ operationId, method, template }: RouteSource, order: number): Route {
  const names: string[] = [];
  const source = template
    .replace(/\/+$/, '')
    .split(/(\{[^}]+\})/)
    .map((part) => {
      if (part.startsWith('{') && part.endsWith('}')) {
        names.push(part.slice(1, -1));
        return '([^/]+)';
      }
      return part.replace(/[.*+?^$()|[\]\\]/g, '\\$&');
    })
    .join('');
  return { operationId, method: method.toUpperCase(), pattern: new RegExp(`^${source}/?$`), names, parameters: names.length, order };
}

/** Compiles the routes of an API into the table {@link findRoute} reads. */
export function compileRoutes(sources: readonly RouteSource[]): RouteTable {
  const table = new Map<string, MethodRoutes>();
  sources.forEach((source, order) => {
    const route = compileRoute(source, order);
    let routes = table.get(route.method);
    if (!routes) table.set(route.method, (routes = { literal: new Map(), open: [] }));
    const first = firstSegment(source.template.replace(/\/+$/, ''));
    if (first.includes('{')) routes.open.push(route);
    else {
      const list = routes.literal.get(first);
      if (list) list.push(route);
      else routes.literal.set(first, [route]);
    }
  });
  return table;
}

/** The route a request belongs to, and its path parameters as written. */
export function findRoute(table: RouteTable, method: string, path: string): { route: Route; raw: Record<string, string> } | undefined {
  const routes = table.get(method);
  if (!routes) return undefined;
  let best: { route: Route; match: RegExpExecArray } | undefined;
  for (const candidates of [routes.literal.get(firstSegment(path)), routes.open]) {
    for (const route of candidates ?? []) {
      const match = route.pattern.exec(path);
      if (match && (!best || route.parameters < best.route.parameters || (route.parameters === best.route.parameters && route.order < best.route.order))) {
        best = { route, match };
      }
    }
  }
  if (!best) return undefined;
  const raw: Record<string, string> = {};
  best.route.names.forEach((name, index) => {
    raw[name] = decodeURIComponent(best.match[index + 1] ?? '');
  });
  return { route: best.route, raw };
}

/** A request problem: the field it concerns (`message.entity_type`, `chat_id`, `content-type`) and why. */
export interface Violation {
  readonly field: string;
  readonly location: readonly string[];
  readonly message: string;
  readonly value?: unknown;
}

/**
 * The problem to report: the one deepest in the request (a union's branch that got furthest is the one the caller
 * meant), and among equally deep ones, one of the union branch with the fewest problems; otherwise the first.
 */
function mainProblem(problems: readonly FakeCheckProblem[]): FakeCheckProblem | undefined {
  const concrete = problems.filter((problem) => !['oneOf', 'anyOf', 'if', 'discriminator'].includes(problem.keyword));
  const depth = (problem: FakeCheckProblem) => problem.instancePath.split('/').length + (problem.keyword === 'required' ? 1 : 0);
  const branchOf = (problem: FakeCheckProblem) => /^(.*\/(?:oneOf|anyOf)\/\d+)\//.exec(problem.schemaPath ?? '')?.[1] ?? '';
  const sizes = new Map<string, number>();
  for (const problem of concrete) sizes.set(branchOf(problem), (sizes.get(branchOf(problem)) ?? 0) + 1);
  const ranked = concrete
    .map((problem, index) => ({ problem, index, depth: depth(problem), size: sizes.get(branchOf(problem)) ?? 0 }))
    .sort((a, b) => b.depth - a.depth || a.size - b.size || a.index - b.index);
  return ranked[0]?.problem ?? problems[0];
}

/** The problem a check reports, as a violation under `location`. */
function violationOf(check: FakeCheck, location: readonly string[], data: unknown): Violation {
  const problem = mainProblem(check.errors ?? []);
  const segments = (problem?.instancePath ?? '').split('/').filter(Boolean).map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'));
  // A missing property is reported on its parent: name the property itself.
  const missing = problem?.keyword === 'required' ? String(problem.params.missingProperty) : undefined;
  const additional = problem?.keyword === 'additionalProperties' ? String(problem.params.additionalProperty) : undefined;
  const path = [...segments, ...(missing ? [missing] : additional ? [additional] : [])];
  let value: unknown = data;
  for (const segment of segments) value = value !== null && typeof value === 'object' ? (value as Record<string, unknown>)[segment] : undefined;
  const message = missing ? 'is required' : additional ? 'is not allowed here' : (problem?.message ?? 'is invalid');
  return { field: path.join('.') || location[location.length - 1] || 'body', location: [...location, ...path], message, value: missing ? undefined : value };
}

/** What a checked request holds. */
export interface CheckedRequest {
  readonly path: Record<string, unknown>;
  readonly query: Record<string, unknown>;
  readonly body: unknown;
}

/** A value too long for a `number`, kept as a `bigint`; others as the check typed them. */
function exactNumber(raw: unknown, typed: unknown): unknown {
  return typeof typed === 'number' && typeof raw === 'string' && /^-?\d{16,}$/.test(raw) ? BigInt(raw) : typed;
}

/** A request's parameters: typed as the spec says, or as written with the first problem found. */
export interface ReadParameters {
  readonly path: Record<string, unknown>;
  readonly query: Record<string, unknown>;
  readonly violation?: Violation;
}

/** Reads the parameters of a request and checks them. */
export function checkParameters(operation: FakeOperation, checks: FakeChecks, rawPath: Record<string, string>, searchParams: URLSearchParams, headers: Headers): ReadParameters {
  const path: Record<string, unknown> = {};
  const query: Record<string, unknown> = {};
  const header: Record<string, unknown> = {};
  const exactJson: Record<string, unknown> = {};
  for (const parameter of operation.parameters) {
    if (parameter.in === 'path') {
      if (rawPath[parameter.name] !== undefined) path[parameter.name] = rawPath[parameter.name];
    } else if (parameter.in === 'query') {
      if (parameter.array) {
        const values = [...searchParams.getAll(parameter.name), ...searchParams.getAll(`${parameter.name}[]`)];
        if (values.length > 0) query[parameter.name] = values;
      } else {
        const value = searchParams.get(parameter.name);
        if (value === null) continue;
        if (parameter.json) {
          try {
            exactJson[parameter.name] = parseExactJson(value);
          } catch {
            return { path, query: { ...query, [parameter.name]: value }, violation: { field: parameter.name, location: ['request', 'query', parameter.name], message: 'is not JSON', value } };
          }
          query[parameter.name] = withNumbers(exactJson[parameter.name]);
        } else query[parameter.name] = value;
      }
    } else if (parameter.in === 'header') {
      const value = headers.get(parameter.name);
      if (value !== null) header[parameter.name.toLowerCase()] = value;
    }
  }
  const raw = { path: { ...path }, query: { ...query } };
  const check = operation.parametersCheck ? checks[operation.parametersCheck] : undefined;
  // Coercion writes typed values into the objects it checks; `raw` keeps them as written.
  const data = { path, query, header };
  if (check && !check(data)) {
    const violation = violationOf(check, ['request'], data);
    // The first segment after `request` is the location (`query`, `path`); the field is what follows it.
    return { ...raw, violation: { ...violation, field: violation.location.slice(2).join('.') || violation.field } };
  }
  for (const name of Object.keys(path)) path[name] = exactNumber(raw.path[name], path[name]);
  for (const name of Object.keys(query)) query[name] = name in exactJson ? exactJson[name] : exactNumber(raw.query[name], query[name]);
  return { path, query };
}

/** The media type without its parameters, lower case. */
function essence(contentType: string | null): string {
  return (contentType ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
}

/** A request's body as read (JSON parsed, a form's fields), and the first problem found, if any. */
export interface ReadBody {
  readonly body: unknown;
  readonly violation?: Violation;
}

/** Reads a request's body by its media type and checks it. */
export async function checkBody(operation: FakeOperation, checks: FakeChecks, request: IncomingRequest): Promise<ReadBody> {
  const declared = Object.entries(operation.bodies);
  const { hasBody } = request;
  if (declared.length === 0 || !hasBody) {
    if (operation.bodyRequired && !hasBody) return { body: undefined, violation: { field: 'body', location: ['request', 'body'], message: 'is required' } };
    // A body the operation does not take is ignored, as the API ignores it.
    return { body: undefined };
  }
  const type = essence(request.headers.get('content-type'));
  const media = declared.find(([name]) => essence(name) === type) ?? declared.find(([name]) => name === '*/*');
  if (!media) {
    const text = await request.text();
    return {
      body: text || undefined,
      violation: { field: 'content-type', location: ['request', 'header', 'content-type'], message: `must be ${declared.map(([name]) => name).join(' or ')}`, value: type || undefined },
    };
  }
  const [mediaType, checkName] = media;
  let body: unknown;
  let checked: unknown;
  if (essence(mediaType) === 'multipart/form-data' || essence(mediaType) === 'application/x-www-form-urlencoded') {
    let form: FormData;
    try {
      form = await request.formData();
    } catch {
      return { body: undefined, violation: { field: 'body', location: ['request', 'body'], message: `is not ${essence(mediaType)}` } };
    }
    const fields: Record<string, unknown> = {};
    const forCheck: Record<string, unknown> = {};
    for (const [name, value] of form) {
      // A file is checked as the string its schema (`format: binary`) describes.
      const plain = typeof value === 'string' ? value : value.name || 'file';
      if (name in fields) {
        fields[name] = [...([] as unknown[]).concat(fields[name]), value];
        forCheck[name] = [...([] as unknown[]).concat(forCheck[name]), plain];
      } else {
        fields[name] = value;
        forCheck[name] = plain;
      }
    }
    body = fields;
    checked = forCheck;
  } else if (essence(mediaType) === 'application/json' || type === 'application/json') {
    const text = await request.text();
    try {
      body = parseExactJson(text);
    } catch {
      return { body: text, violation: { field: 'body', location: ['request', 'body'], message: 'is not JSON' } };
    }
    checked = withNumbers(body);
  } else {
    body = await request.blob();
    checked = '';
  }
  const check = checkName ? checks[checkName] : undefined;
  if (check && !check(checked)) return { body, violation: violationOf(check, ['request', 'body'], checked) };
  return { body };
}
