/**
 * Reads a bundled OpenAPI document into the small runtime table of operations that the clients use:
 * operationId → method, path, success status, idempotency, whether it carries credentials, and where its
 * success body holds int64 values that must be decoded without losing digits.
 */
import type { OperationEntry } from '../../src/core/client/operation.js';
import { IDEMPOTENT_METHODS } from '../../src/core/exchange/retry.js';
import { SECRET_FIELD_NAME } from '../../src/core/errors/redact.js';
import type { OpenApiDocument } from './apis.js';

/** The HTTP methods an OpenAPI path item may hold, in the order they are listed. */
const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;


type Schema = Record<string, unknown>;

/** Follows local `$ref`s (`#/components/...`) of a bundled document. */
export function resolve(doc: OpenApiDocument, node: unknown): Schema | undefined {
  let current = node as Schema | undefined;
  const seen = new Set<string>();
  while (current && typeof current.$ref === 'string') {
    const ref = current.$ref;
    if (!ref.startsWith('#/') || seen.has(ref)) return undefined;
    seen.add(ref);
    current = ref
      .slice(2)
      .split('/')
      .map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'))
      .reduce<unknown>((value, key) => (value as Schema | undefined)?.[key], doc) as Schema | undefined;
  }
  return current;
}

function isInt64(schema: Schema): boolean {
  const type = schema.type;
  const isInteger = type === 'integer' || (Array.isArray(type) && type.includes('integer'));
  return isInteger && schema.format === 'int64';
}

/**
 * Lists where a schema holds int64 integers, as paths of property names where `[]` stands for every item of
 * an array and `{}` for every value of a map. Branches of `allOf`/`oneOf`/`anyOf` all contribute.
 */
export function findInt64Paths(doc: OpenApiDocument, root: unknown): string[][] {
  const found: string[][] = [];
  const walk = (node: unknown, at: string[], stack: Set<Schema>): void => {
    const schema = resolve(doc, node);
    if (!schema || stack.has(schema)) return;
    const inner = new Set(stack).add(schema);
    if (isInt64(schema)) found.push(at);
    for (const key of ['allOf', 'oneOf', 'anyOf'] as const) {
      const branches = schema[key];
      if (Array.isArray(branches)) for (const branch of branches) walk(branch, at, inner);
    }
    if (schema.items) walk(schema.items, [...at, '[]'], inner);
    const properties = schema.properties as Record<string, unknown> | undefined;
    if (properties) for (const [name, child] of Object.entries(properties)) walk(child, [...at, name], inner);
    if (schema.additionalProperties && typeof schema.additionalProperties === 'object') {
      walk(schema.additionalProperties, [...at, '{}'], inner);
    }
  };
  walk(root, [], new Set());
  const unique = new Map(found.map((p) => [p.join('.'), p]));
  return [...unique.values()];
}

/** Whether a schema declares, at any depth, a property whose name says it holds a secret (`access_token`, …). */
export function declaresSecretField(doc: OpenApiDocument, root: unknown): boolean {
  const seen = new Set<Schema>();
  const walk = (node: unknown): boolean => {
    const schema = resolve(doc, node);
    if (!schema || seen.has(schema)) return false;
    seen.add(schema);
    const properties = (schema.properties ?? {}) as Record<string, unknown>;
    if (Object.keys(properties).some((name) => SECRET_FIELD_NAME.test(name))) return true;
    const children = [...Object.values(properties), schema.items, schema.additionalProperties];
    for (const key of ['allOf', 'oneOf', 'anyOf'] as const) if (Array.isArray(schema[key])) children.push(...(schema[key] as unknown[]));
    return children.some((child) => child !== null && typeof child === 'object' && walk(child));
  };
  return walk(root);
}

/**
 * Whether a schema only admits JSON objects: `type: object`, or a union or intersection whose every branch
 * does. The client then refuses `null`, an array or a scalar where the spec promises an object.
 */
export function isObjectSchema(doc: OpenApiDocument, node: unknown, depth = 0): boolean {
  const schema = resolve(doc, node);
  if (!schema || depth > 16) return false;
  if (schema.type === 'object') return true;
  // `type: [object, 'null']`: an object, or the bare `null` the table marks `nullable`.
  if (Array.isArray(schema.type)) return schema.type.includes('object') && schema.type.every((type) => type === 'object' || type === 'null');
  for (const key of ['oneOf', 'anyOf', 'allOf'] as const) {
    const branches = schema[key];
    if (Array.isArray(branches) && branches.length > 0) {
      return key === 'allOf'
        ? branches.some((branch) => isObjectSchema(doc, branch, depth + 1))
        : branches.every((branch) => isObjectSchema(doc, branch, depth + 1));
    }
  }
  return false;
}

/** Whether a schema admits the bare JSON `null` (`type: [..., 'null']`, or a `null` branch of a union). */
export function admitsNull(doc: OpenApiDocument, node: unknown, depth = 0): boolean {
  const schema = resolve(doc, node);
  if (!schema || depth > 16) return false;
  if (schema.type === 'null' || (Array.isArray(schema.type) && schema.type.includes('null'))) return true;
  for (const key of ['oneOf', 'anyOf'] as const) {
    const branches = schema[key];
    if (Array.isArray(branches) && branches.some((branch) => admitsNull(doc, branch, depth + 1))) return true;
  }
  return false;
}

/**
 * The names of an operation's parameters by location. The typed methods take them flat beside `body`, so a name
 * used in two locations, or a parameter called `body`, is refused here rather than shadowed at run time.
 */
function parameterLocations(id: string, parameters: readonly Schema[]): NonNullable<OperationEntry['params']> {
  const locations: { path?: string[]; query?: string[]; header?: string[]; required?: string[] } = {};
  const seen = new Set<string>(['body']);
  for (const parameter of parameters) {
    const where = parameter.in;
    if (where !== 'path' && where !== 'query' && where !== 'header') continue;
    const name = String(parameter.name);
    // An operation's own parameter overrides the path item's one of the same name and location.
    if (locations[where]?.includes(name)) continue;
    if (seen.has(name)) throw new Error(`${id}: the parameter ${name} clashes with another parameter or with body`);
    seen.add(name);
    (locations[where] ??= []).push(name);
    // Path parameters are always required and checked where the path is filled; the others only when marked.
    if (where !== 'path' && parameter.required === true) (locations.required ??= []).push(name);
  }
  return locations;
}

/** The encoding fields of a table entry for the media types a request body declares. */
function requestEncoding(types: readonly string[]): Pick<OperationEntry, 'body' | 'contentType'> {
  const json = types.find((type) => type.includes('json'));
  if (json) return json === 'application/json' ? {} : { contentType: json };
  if (types.includes('multipart/form-data')) return { body: 'multipart' };
  if (types.includes('application/x-www-form-urlencoded')) return { body: 'form' };
  return types.length > 0 ? { body: 'binary' } : {};
}

export function jsonSchemaOf(doc: OpenApiDocument, holder: unknown): unknown {
  const content = resolve(doc, holder)?.content as Record<string, { schema?: unknown }> | undefined;
  if (!content) return undefined;
  const jsonType = Object.keys(content).find((type) => type.includes('json'));
  return jsonType ? content[jsonType]?.schema : undefined;
}

/** The document's default server: its first `servers` entry, or `/`, which OpenAPI takes when a document names none. */
export function defaultServerOf(doc: OpenApiDocument): string {
  const servers = doc.servers as readonly { readonly url: string }[] | undefined;
  return servers?.[0]?.url ?? '/';
}

/** One operation of a bundled document, found by the one walk over its paths and methods. */
export interface SpecOperation {
  readonly id: string;
  /** The path template, as the spec spells it. */
  readonly path: string;
  /** The method, lower case, as the path item keys it. */
  readonly method: (typeof METHODS)[number];
  /** The path item (its shared parameters, its servers). */
  readonly item: Schema;
  /** The operation object itself. */
  readonly operation: Schema;
  /** The path item's and the operation's parameters, resolved, the operation's own last. */
  readonly parameters: readonly Schema[];
  /** The row of the operation table. */
  readonly entry: OperationEntry;
}

/**
 * Walks a bundled document's paths and methods once and reads each operation into its table row. Throws when an
 * operation has no operationId or no success response, or when a JSON request body holds an int64 (the clients
 * could not send it losslessly).
 */
export function readOperations(doc: OpenApiDocument): SpecOperation[] {
  const found: SpecOperation[] = [];
  const ids = new Set<string>();
  const globalSecurity = (doc.security as unknown[] | undefined) ?? [];
  for (const [path, rawItem] of Object.entries(doc.paths ?? {})) {
    const item = resolve(doc, rawItem) ?? {};
    const pathServers = item.servers as { url: string }[] | undefined;
    for (const method of METHODS) {
      const operation = item[method] as Schema | undefined;
      if (!operation) continue;
      const id = operation.operationId;
      if (typeof id !== 'string') throw new Error(`${method.toUpperCase()} ${path} has no operationId`);
      if (ids.has(id)) throw new Error(`operationId ${id} is used twice`);
      ids.add(id);
      const responses = (operation.responses ?? {}) as Record<string, unknown>;
      const successCodes = Object.keys(responses)
        .filter((code) => /^2\d\d$/.test(code))
        .map(Number)
        .sort((a, b) => a - b);
      // An operation whose only success is a redirect with a Location resolves to that address.
      const redirectCode = Object.keys(responses).find((code) => /^3\d\d$/.test(code) && hasLocation(doc, responses[code]));
      const success = successCodes[0] ?? (redirectCode === undefined ? undefined : Number(redirectCode));
      if (success === undefined) throw new Error(`${id} declares no 2xx response and no redirect with a Location`);
      const redirect = successCodes.length === 0;
      const requestBody = resolve(doc, operation.requestBody);
      const requestTypes = Object.keys((requestBody?.content as object | undefined) ?? {});
      const requestSchema = jsonSchemaOf(doc, operation.requestBody);
      if (requestSchema && findInt64Paths(doc, requestSchema).length > 0) {
        throw new Error(`${id} has an int64 in its JSON request body, which the clients cannot send losslessly`);
      }
      const parameters = [...((item.parameters as unknown[]) ?? []), ...((operation.parameters as unknown[]) ?? [])]
        .map((parameter) => resolve(doc, parameter))
        .filter((parameter): parameter is Schema => parameter !== undefined);
      const jsonQuery = parameters
        .filter((parameter) => parameter.in === 'query' && jsonSchemaOf(doc, parameter) !== undefined)
        .map((parameter) => String(parameter.name));
      // A query parameter the API reads under another name (`names[]`) keeps its readable name for the caller.
      const queryNames = Object.fromEntries(
        parameters
          .filter((parameter) => parameter.in === 'query' && typeof parameter['x-query-name'] === 'string')
          .map((parameter) => [String(parameter.name), String(parameter['x-query-name'])]),
      );
      for (const parameter of parameters) {
        const schema = jsonSchemaOf(doc, parameter);
        if (schema && findInt64Paths(doc, schema).length > 0) {
          throw new Error(`${id} has an int64 in its JSON parameter ${String(parameter.name)}, which cannot be sent losslessly`);
        }
      }
      const params = parameterLocations(id, parameters);
      const security = (operation.security as unknown[] | undefined) ?? globalSecurity;
      const verb = method.toUpperCase();
      const successResponse = resolve(doc, responses[String(success)]);
      const successSchema = jsonSchemaOf(doc, successResponse);
      const int64 = findInt64Paths(doc, successSchema);
      const entry: OperationEntry = {
        method: verb,
        path,
        success,
        idempotent: operation['x-idempotent'] === true || IDEMPOTENT_METHODS.has(verb),
        auth: security.some((requirement) => Object.keys(requirement as object).length > 0),
        ...(pathServers?.[0] ? { server: pathServers[0].url } : {}),
        ...(Object.keys(params).length > 0 ? { params } : {}),
        ...(redirect ? { redirect: true as const } : successSchema ? {} : { noContent: true as const }),
        ...(successSchema && isObjectSchema(doc, successSchema) ? { object: true as const } : {}),
        ...(successSchema && admitsNull(doc, successSchema) ? { nullable: true as const } : {}),
        ...(requestBody ? { requestBody: requestBody.required === true ? ('required' as const) : ('optional' as const) } : {}),
        ...requestEncoding(requestTypes),
        ...(jsonQuery.length > 0 ? { jsonQuery } : {}),
        ...(Object.keys(queryNames).length > 0 ? { queryNames } : {}),
        ...(successSchema && declaresSecretField(doc, successSchema) ? { secretAnswer: true as const } : {}),
        ...(int64.length > 0 ? { int64: int64.map((segments) => segments.join('.')) } : {}),
        ...scopeOf(id, operation, security),
      };
      found.push({ id, path, method, item, operation, parameters, entry });
    }
  }
  return found;
}

/** The operation table of a bundled document: operationId → entry (see {@link readOperations}). */
export function extractOperations(doc: OpenApiDocument): Record<string, OperationEntry> {
  return Object.fromEntries(readOperations(doc).map(({ id, entry }) => [id, entry]));
}


/**
 * The permission an operation needs: Pachca names it in `x-scope`, an OAuth 2 spec in the scopes of its security
 * requirement (uNet's `OAuth2: [messages_read]`). The table carries one scope per operation, which is what every
 * spec here declares; a spec that asks for more, or says two different things, stops the generator.
 */
function scopeOf(id: string, operation: Schema, security: readonly unknown[]): Pick<OperationEntry, 'scope'> {
  const named = operation['x-scope'];
  if (named !== undefined && typeof named !== 'string') throw new Error(`${id}: x-scope must be a string`);
  const required = security.flatMap((requirement) => Object.values(requirement as Record<string, unknown>).flatMap((scopes) => (Array.isArray(scopes) ? scopes.map(String) : [])));
  const distinct = [...new Set(named === undefined ? required : [named, ...required])];
  if (distinct.length > 1) throw new Error(`${id} names more than one scope (${distinct.join(', ')}); the operation table holds one`);
  return distinct[0] === undefined ? {} : { scope: distinct[0] };
}

/** Whether a response declares a `Location` header (case as the spec spells it). */
function hasLocation(doc: OpenApiDocument, raw: unknown): boolean {
  const headers = (resolve(doc, raw)?.headers ?? {}) as Record<string, unknown>;
  return Object.keys(headers).some((name) => name.toLowerCase() === 'location');
}

/** Where the spec's security schemes put credentials, for the redactor. `Authorization` is always covered. */
export function extractCredentialLocations(doc: OpenApiDocument): { query: string[]; header: string[] } {
  const locations = { query: [] as string[], header: [] as string[] };
  for (const raw of Object.values(doc.components?.securitySchemes ?? {})) {
    const scheme = resolve(doc, raw);
    if (scheme?.type !== 'apiKey' || typeof scheme.name !== 'string') continue;
    if (scheme.in === 'query') locations.query.push(scheme.name);
    if (scheme.in === 'header') locations.header.push(scheme.name);
  }
  return locations;
}

/**
 * The int64 fields of each webhook's JSON body (the document's `webhooks`, by name), as dotted paths: an event
 * parser reads them as exact decimal strings, as the client reads answers.
 */
export function readWebhookInt64(doc: OpenApiDocument): Record<string, string[]> {
  const webhooks = (doc.webhooks as Record<string, unknown> | undefined) ?? {};
  return Object.fromEntries(
    Object.entries(webhooks).map(([name, item]) => {
      const delivery = resolve(doc, item)?.post as Schema | undefined;
      return [name, findInt64Paths(doc, jsonSchemaOf(doc, delivery?.requestBody)).map((segments) => segments.join('.'))];
    }),
  );
}

/** Marks a property schema that the generated types render as `never` (see codegen.ts). */
export const NEVER_MARK = 'x-typing-never';

/**
 * Visits every node of a document once, in place: every `oneOf` of object variants becomes exclusive in the
 * types (each variant gains the properties of its siblings that it lacks, marked to become `?: never`, since
 * TypeScript's plain unions accept the keys of two variants together, `{ message, chat_control }`, which the spec
 * and the API refuse), and every JSON-valued parameter is lifted.
 */
function prepareTypes(doc: OpenApiDocument): void {
  const seen = new Set<unknown>();
  const visit = (node: unknown): void => {
    if (node === null || typeof node !== 'object' || seen.has(node)) return;
    seen.add(node);
    const schema = node as Schema;
    liftJsonParameter(doc, schema);
    if (Array.isArray(schema.oneOf)) {
      const variants = schema.oneOf.map((branch) => resolve(doc, branch));
      if (variants.length > 1 && variants.every((variant) => variant?.type === 'object' && variant.properties)) {
        const names = new Set(variants.flatMap((variant) => Object.keys(variant?.properties as object)));
        for (const variant of variants as Schema[]) {
          const properties = variant.properties as Record<string, unknown>;
          for (const name of names) if (!(name in properties)) properties[name] = { [NEVER_MARK]: true };
        }
      }
    }
    for (const value of Object.values(schema)) visit(value);
  };
  visit(doc.paths);
  visit(doc.components);
}

/**
 * A parameter whose value is a JSON document (`content` instead of `schema`) gets that document's schema, so the
 * generated type is the object the caller passes (the client serializes it) instead of openapi-typescript's plain
 * `string`.
 */
function liftJsonParameter(doc: OpenApiDocument, node: Schema): void {
  if (typeof node.in !== 'string' || typeof node.name !== 'string' || node.schema || !node.content) return;
  const schema = jsonSchemaOf(doc, node);
  if (schema === undefined) return;
  node.schema = schema;
  delete node.content;
}

/**
 * A copy of a bundled document for type generation only, made in one pass over it: `oneOf` variants made
 * exclusive, and JSON-valued parameters typed as the object they carry. The published spec keeps the faithful
 * `content` form.
 */
export function typingView(doc: OpenApiDocument): OpenApiDocument {
  const copy = structuredClone(doc);
  prepareTypes(copy);
  return copy;
}
