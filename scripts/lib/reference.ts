/**
 * What the reference pages show beyond the spec itself, added to the bundled copy the docs are built from (the
 * specs and the mocks never see it):
 * - each operation opens with the client method that calls it (`pachca.createMessage({ body })`) and, for a
 *   list, its lazy iterator, so a reader finds the names the README teaches by the page's search;
 * - a value read in any letter case (`x-enum-any-case`, a pattern in the spec) shows as its values, marked
 *   "any letter case", instead of the regular expression.
 * The same method lines feed `docs/llms.txt`.
 */
import { createOkClient } from '../../src/ok/index.js';
import { createPachcaClient } from '../../src/pachca/index.js';
import { createUnetClient } from '../../src/unet/index.js';
import type { OpenApiDocument } from './apis.js';
import { readOperations, resolve } from './operations.js';
import { findPagedLists, type FoundList } from './pagination.js';
import { clientVariable } from './samples.js';

type Node = Record<string, unknown>;

/** uNet's OAuth operations are methods of the OAuth client (`createUnetAuth`), not of the messages client. */
const AUTH_METHODS: Readonly<Record<string, readonly string[]>> = {
  authorize: ['auth.authorizeUrl({ scope, state })'],
  requestToken: ['auth.exchangeCode(code)', 'auth.refresh(refreshToken)'],
  getTokenProperties: ['auth.tokenProperties(accessToken)'],
};

/** The method names of each API's client, read from a client made with a placeholder credential (nothing is sent). */
export function clientMethods(api: string): ReadonlySet<string> {
  const options = { fetch: () => Promise.reject(new Error('the docs build sends nothing')) };
  const clients: Record<string, () => object> = {
    pachca: () => createPachcaClient({ ...options, token: 'docs-placeholder' }),
    ok: () => createOkClient({ ...options, accessToken: 'docs-placeholder' }),
    unet: () => createUnetClient({ ...options, accessToken: 'docs-placeholder', resourceUri: 'https://1.unet.com/api/' }),
  };
  const client = clients[api]?.() ?? {};
  return new Set(Object.entries(client).filter(([, value]) => typeof value === 'function').map(([name]) => name));
}

/** One operation as the reference and llms.txt present it. */
export interface ReferenceOperation {
  readonly operationId: string;
  readonly method: string;
  readonly path: string;
  readonly summary: string;
  readonly tag: string;
  /** How the client calls it, such as `pachca.getMessage({ id })`; every call also takes `options` second. */
  readonly calls: readonly string[];
}

/**
 * The input an operation takes, as its call shows it: `{ chat_id, limit?, cursor? }`, the body as `body`, an
 * optional name marked `?`; empty when it takes nothing. `without` leaves out a parameter (an iterator's cursor).
 */
function inputShape(doc: OpenApiDocument, item: Node, operation: Node, without?: string): string {
  const names: string[] = [];
  for (const raw of [...((item.parameters as unknown[]) ?? []), ...((operation.parameters as unknown[]) ?? [])]) {
    const parameter = resolve(doc, raw);
    if (!parameter || parameter.in === 'cookie' || parameter.name === without) continue;
    names.push(`${String(parameter.name)}${parameter.required === true ? '' : '?'}`);
  }
  const body = resolve(doc, operation.requestBody);
  if (body) names.push(body.required === true ? 'body' : 'body?');
  return names.length === 0 ? '' : `{ ${names.join(', ')} }`;
}

/**
 * The input of a list's iterator: the list's own, in its own shape, without a cursor parameter the iterator sets
 * itself. A cursor inside a parameter (uNet's `q.cursor`) leaves that parameter shown whole, and a list paged by
 * time keeps its anchor, where the walk starts.
 */
function iteratorShape(doc: OpenApiDocument, item: Node, operation: Node, list: FoundList): string {
  const ownCursor = list.by !== 'time' && list.cursor.length === 1 ? list.cursor[0] : undefined;
  return inputShape(doc, item, operation, ownCursor);
}

/**
 * Every operation of a bundled document with the calls that reach it.
 *
 * @param methods - the names of the client's methods (its typed operations and helpers)
 */
export function referenceOperations(
  doc: OpenApiDocument,
  api: string,
  methods: ReadonlySet<string>,
  lists: readonly FoundList[] = findPagedLists(doc, readOperations(doc)),
): ReferenceOperation[] {
  const variable = clientVariable(api);
  const listsById = new Map(lists.map((list) => [list.list, list]));
  const operations: ReferenceOperation[] = [];
  for (const [path, rawItem] of Object.entries(doc.paths ?? {})) {
    const item = resolve(doc, rawItem) ?? {};
    for (const [method, operation] of Object.entries(item) as [string, Node][]) {
      const id = operation?.operationId;
      if (typeof id !== 'string') continue;
      let calls: string[];
      if (AUTH_METHODS[id] && api === 'unet') calls = [...AUTH_METHODS[id]];
      else if (methods.has(id)) {
        calls = [`${variable}.${id}(${inputShape(doc, item, operation)})`];
        const list = listsById.get(id);
        if (list && methods.has(list.name)) calls.push(`${variable}.${list.name}(${iteratorShape(doc, item, operation, list)})`);
      } else calls = [`${variable}.raw.${method.toUpperCase()}('${path}', init)`];
      const tags = operation.tags as string[] | undefined;
      operations.push({ operationId: id, method: method.toUpperCase(), path, summary: String(operation.summary ?? id), tag: tags?.[0] ?? '', calls });
    }
  }
  return operations;
}

/** The line that opens an operation's description on its page. */
function methodLine(operation: ReferenceOperation): string {
  const [call, ...iterators] = operation.calls;
  const iterate = iterators.map((line) => ` Every page, lazily: \`${line}\`.`).join('');
  return `**Client method:** \`${call}\` (options, such as \`{ timeoutMs }\`, go second).${iterate}`;
}

const ANY_CASE_NOTE = 'Any letter case is accepted.';

/** Adds the any-case note to a description, once. */
function withAnyCaseNote(description: unknown): string {
  if (typeof description !== 'string' || description === '') return ANY_CASE_NOTE;
  return /any letter case/i.test(description) ? description : `${description} ${ANY_CASE_NOTE}`;
}

/**
 * A schema read in any letter case shows as its values; a property that refers to it (whose own description
 * replaces the schema's on the page) says so too.
 */
function showAnyCase(doc: OpenApiDocument, schema: Node): void {
  const values = schema['x-enum-any-case'];
  if (Array.isArray(values)) {
    delete schema.pattern;
    schema.enum = values;
    schema.description = withAnyCaseNote(schema.description);
  } else if (typeof schema.$ref === 'string' && 'description' in schema && Array.isArray(resolve(doc, schema)?.['x-enum-any-case'])) {
    schema.description = withAnyCaseNote(schema.description);
  }
}

/** Visits every object of a document once. */
function visit(node: unknown, seen: Set<object>, action: (node: Node) => void): void {
  if (node === null || typeof node !== 'object' || seen.has(node)) return;
  seen.add(node);
  if (!Array.isArray(node)) action(node as Node);
  for (const child of Object.values(node)) visit(child, seen, action);
}

/** Adds the client methods and the any-case values to a bundled document, in place, for the reference page. */
export function decorateForReference(doc: OpenApiDocument, api: string, methods: ReadonlySet<string>, lists?: readonly FoundList[]): ReferenceOperation[] {
  const operations = referenceOperations(doc, api, methods, lists);
  const byId = new Map(operations.map((operation) => [operation.operationId, operation]));
  for (const rawItem of Object.values(doc.paths ?? {})) {
    const item = resolve(doc, rawItem) ?? {};
    for (const operation of Object.values(item) as Node[]) {
      const found = typeof operation?.operationId === 'string' ? byId.get(operation.operationId) : undefined;
      if (!found) continue;
      const description = typeof operation.description === 'string' ? operation.description : '';
      operation.description = `${methodLine(found)}\n\n${description}`.trim();
    }
  }
  visit(doc, new Set(), (node) => showAnyCase(doc, node));
  return operations;
}

/** `docs/llms.txt`: a plain-text index of every API for coding assistants, made from the same operations. */
export function llmsText(pages: readonly { readonly name: string; readonly title: string; readonly summary: string; readonly operations: readonly ReferenceOperation[] }[]): string {
  const lines = [
    '# messaging-api-clients',
    '',
    '> Typed, contract-tested TypeScript clients for the Pachca, OK.ru Graph API and uNet messaging APIs. Every',
    '> operation is a method `client.operationId(input, options)`: `input` holds the parameters flat by name and the',
    '> request body under `body`; `options` holds `signal`, `headers`, `timeoutMs` and `baseUrl`. Each method resolves',
    '> to the whole success body the spec declares and throws a typed `ClientError` subclass otherwise.',
    '',
    'Install: `npm install messaging-api-clients`. Clients: `createPachcaClient()` from `messaging-api-clients/pachca`',
    '(token from PACHCA_TOKEN), `createOkClient()` from `messaging-api-clients/ok` (OK_ACCESS_TOKEN),',
    '`createUnetClient()` from `messaging-api-clients/unet` (UNET_ACCESS_TOKEN, UNET_RESOURCE_URI), mocks for tests from',
    '`messaging-api-clients/testing`.',
    '',
    '## Guides',
    '',
    '- [Errors and retries](guide-errors.html)',
    '- [Pagination](guide-pagination.html)',
    '- [Uploads](guide-uploads.html)',
    '- [Receiving events](guide-events.html)',
  ];
  for (const page of pages) {
    lines.push('', `## ${page.title}`, '', `${page.summary} Reference: [${page.name}.html](${page.name}.html)`, '');
    for (const operation of page.operations) {
      const link = `${page.name}.html#/${operation.tag.toLowerCase().replace(/\s+/g, '-')}/${operation.operationId.toLowerCase()}`;
      lines.push(`- [${operation.operationId}](${link}): ${operation.summary}. \`${operation.method} ${operation.path}\` · ${operation.calls.map((call) => `\`${call}\``).join(', ')}`);
    }
  }
  return `${lines.join('\n')}\n`;
}
