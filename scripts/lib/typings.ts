/**
 * The named per-operation types of a generated module, and one interface of typed methods per API. A method's
 * hover and every compiler message then name the operation (`GetMessageInput`, `CreateMessageBody`) and its
 * fields, never the runtime table row the client reads.
 *
 * For each operationId `fooBar`:
 * - `FooBarParams`: its parameters by name, path, query and header together (only when it has some);
 * - `FooBarBody`: its request body (only when it takes one);
 * - `FooBarInput`: what the method takes, the parameters flat beside `body`;
 * - `FooBarResult`: its success body (`undefined` when it declares none).
 */
import type { OpenApiDocument } from './apis.js';
import { jsonSchemaOf, resolve, type SpecOperation } from './operations.js';
import type { FoundList } from './pagination.js';

type Node = Record<string, unknown>;

/** `fooBar` → `FooBar`. */
export function pascalCase(id: string): string {
  return id.replace(/(^|[_-])([a-z])/g, (_match, _separator, letter: string) => letter.toUpperCase()).replace(/[^A-Za-z0-9]/g, '');
}

/** Text for a JSDoc block: no comment terminator, one ` * ` per line. */
function docComment(lines: readonly string[], indent: string): string {
  const text = lines.filter(Boolean).join('\n\n').replace(/\*\//g, '*\\/');
  return `${indent}/**\n${text.split('\n').map((line) => `${indent} *${line ? ` ${line}` : ''}`).join('\n')}\n${indent} */\n`;
}

/** The schema names whose bodies the API sends under a success status as errors (the root's `x-error-schemas`). */
function errorSchemas(doc: OpenApiDocument): string[] {
  const names = doc['x-error-schemas'];
  return Array.isArray(names) ? names.map(String) : [];
}

/** Writes the named types and the `<Api>Operations` interface of a bundled document. */
export function operationTypings(doc: OpenApiDocument, apiName: string, specOperations: readonly SpecOperation[], lists: readonly FoundList[] = []): string {
  const thrown = errorSchemas(doc);
  const types: string[] = [];
  const methods: string[] = [];
  /** Whether an operation's input may be left out, and which of its parameters are required. */
  const optionalInput = new Map<string, boolean>();
  const requiredParams = new Map<string, Set<string>>();
  for (const { id, path, operation, parameters, entry } of specOperations) {
    const name = pascalCase(id);
    const op = `operations[${JSON.stringify(id)}]`;
    const locations = (['path', 'query', 'header'] as const).filter((where) => (entry.params?.[where]?.length ?? 0) > 0);
    const anyParamRequired = parameters.some((parameter) => parameter.in === 'path' || parameter.required === true);
    requiredParams.set(id, new Set(parameters.filter((parameter) => parameter.in === 'path' || parameter.required === true).map((parameter) => String(parameter.name))));
    const requestBody = resolve(doc, operation.requestBody);
    const bodyRequired = requestBody?.required === true;
    const summary = typeof operation.summary === 'string' ? operation.summary : id;
    const description = typeof operation.description === 'string' ? operation.description.trim() : '';
    const where = `\`${entry.method} ${path}\``;

    const inputParts: string[] = [];
    if (locations.length > 0) {
      const parts = locations.map((location) =>
        location === 'path' ? `${op}["parameters"]["path"]` : `NonNullable<${op}["parameters"][${JSON.stringify(location)}]>`,
      );
      types.push(`${docComment([`The parameters of ${id} (${where}), by name.`], '')}export type ${name}Params = ${parts.join(' & ')};\n`);
      inputParts.push(`${name}Params`);
    }
    if (requestBody) {
      types.push(`${docComment([`The request body of ${id} (${where}).`], '')}export type ${name}Body = BodyOf<${op}["requestBody"]>;\n`);
      inputParts.push(`{ body${bodyRequired ? '' : '?'}: ${name}Body }`);
    }
    types.push(
      `${docComment([`What ${id} takes: ${inputParts.length > 0 ? 'its parameters by name, and its request body under `body`' : 'nothing'}.`], '')}` +
        `export type ${name}Input = ${inputParts.length > 0 ? inputParts.join(' & ') : 'Record<string, never>'};\n`,
    );
    const successSchema = jsonSchemaOf(doc, (operation.responses as Node | undefined)?.[String(entry.success)]);
    let result = 'undefined';
    if (successSchema) {
      const content = resolve(doc, (operation.responses as Node)[String(entry.success)])?.content as Node;
      const mediaType = Object.keys(content).find((type) => type.includes('json')) as string;
      result = `${op}["responses"][${entry.success}]["content"][${JSON.stringify(mediaType)}]`;
      if (thrown.length > 0) result = `Exclude<${result}, ${thrown.map((schema) => `components["schemas"][${JSON.stringify(schema)}]`).join(' | ')}>`;
    }
    const resultDoc = entry.redirect
      ? `What ${id} resolves to: the address its ${entry.success} redirect points to, which is not followed.`
      : `What ${id} resolves to: its success body${successSchema ? '' : ' (it declares none)'}.`;
    if (entry.redirect) result = '{ readonly location: string }';
    types.push(`${docComment([resultDoc], '')}export type ${name}Result = ${result};\n`);
    const optional = !anyParamRequired && !bodyRequired;
    optionalInput.set(id, optional);
    methods.push(
      docComment([summary, description, `${where}${entry.idempotent ? '' : ' · not retried after a 5xx or a dropped connection'}`], '    ') +
        `    ${id}(input${optional ? '?' : ''}: ${name}Input, options?: CallOptions): ApiPromise<${name}Result>;\n`,
    );
  }
  const iterators: string[] = [];
  for (const list of lists) {
    const name = pascalCase(list.name);
    const listName = pascalCase(list.list);
    const item = list.items.reduce((type, key) => `NonNullable<${type}>[${JSON.stringify(key)}]`, `${listName}Result`);
    const path = (segments: readonly string[]): string => `\`${segments.join('.')}\``;
    let input: string;
    let inputDoc: string;
    let walkDoc: string;
    if (list.by === 'time') {
      // The anchor time stays in the input: the caller may say where the walk starts.
      input = `${listName}Input`;
      inputDoc = `What ${list.name} takes: the input of ${list.list}, in its shape; ${path(list.cursor)} is where the walk starts (the newest items when left out), and the iterator moves it page by page.`;
      const end = list.until ? `at ${path(list.until)}, ` : '';
      walkDoc =
        `Every item of ${list.list}, newest first, each once, fetched a page at a time as you iterate: each next page asks for ${path(list.cursor)} just above ` +
        `the oldest ${path(list.time)} seen, drops the items already yielded by ${path(list.id)}, and grows ${path(list.count)} while one ${path(list.time)} fills a page; ` +
        `it ends ${end}on a short page or an empty one.`;
    } else {
      const [head, inner] = list.cursor as [string, string | undefined];
      input =
        inner === undefined
          ? `Omit<${listName}Input, ${JSON.stringify(head)}>`
          : `Omit<${listName}Input, ${JSON.stringify(head)}> & { ${head}${requiredParams.get(list.list)?.has(head) ? '' : '?'}: Omit<NonNullable<${listName}Input[${JSON.stringify(head)}]>, ${JSON.stringify(inner)}> }`;
      inputDoc = `What ${list.name} takes: the input of ${list.list}, in its shape, without the cursor, which the iterator sets page by page.`;
      const ends = list.hasNext ? `${path(list.hasNext)} is false` : list.endsOnEmptyPage ? 'a page is empty' : `no ${path(list.next)} comes`;
      walkDoc = `Every item of ${list.list}, fetched a page at a time as you iterate, following ${path(list.next)} until ${ends}.`;
    }
    types.push(`${docComment([inputDoc], '')}export type ${name}Input = ${input};\n`);
    types.push(`${docComment([`One item of ${list.list}'s pages, as ${list.name} yields it.`], '')}export type ${name}Item = NonNullable<${item}>[number];\n`);
    iterators.push(
      docComment([walkDoc], '    ') +
        `    ${list.name}(input${optionalInput.get(list.list) ? '?' : ''}: ${name}Input, options?: CallOptions): PageIterator<${name}Item, ${listName}Result>;\n`,
    );
  }
  const interfaceName = `${pascalCase(apiName)}Operations`;
  const byTag = new Map<string, string[]>();
  for (const { id, operation } of specOperations) {
    for (const tag of (operation.tags as unknown[] | undefined) ?? []) {
      const ids = byTag.get(String(tag)) ?? [];
      byTag.set(String(tag), [...ids, id]);
    }
  }
  const tagged = [...byTag]
    .map(([tag, ids]) => `  ${JSON.stringify(tag)}: [${ids.map((id) => JSON.stringify(id)).join(', ')}],`)
    .join('\n');
  const iteratorsName = `${pascalCase(apiName)}Iterators`;
  const byTime = lists.some((list) => list.by === 'time') ? ' (a list paged by time keeps its anchor time, where the walk starts)' : '';
  return (
    '\n/** The content of a request body, whatever its media type. */\n' +
    'type BodyOf<RequestBody> = NonNullable<RequestBody> extends { content: infer Content } ? Content[keyof Content] : never;\n\n' +
    types.join('\n') +
    `\n/** One typed method per operation of the spec: \`(input, options)\`, resolving to the success body (and, through \`.withResponse()\`, to the body with its response). */\n` +
    `export interface ${interfaceName} {\n${methods.join('\n')}}\n` +
    `\n/** One iterator per paged list of the spec: the list's input without the cursor${byTime}, yielding every item lazily; its \`lastPage\` is the last page fetched, with its response. */\n` +
    `export interface ${iteratorsName} {\n${iterators.join('\n')}}\n` +
    `\n/** The operationIds of each tag of the spec, for a client that serves one part of an API. */\n` +
    `export const operationsByTag = {\n${tagged}\n} as const;\n`
  );
}
