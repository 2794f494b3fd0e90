/**
 * What the in-process fake of `messaging-api-clients/testing` needs from one spec, produced when the package is
 * generated so that the fake compiles no schema at run time: ajv's standalone code for every request check
 * (each operation's parameters and each of its request bodies), bundled by esbuild with the few ajv helpers it
 * calls so that it imports nothing, and a table of each operation's parameters, body media types and declared
 * answers (status, media type, examples, headers) and of the webhook examples.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import ajv2020 from 'ajv/dist/2020.js';
import standaloneCode from 'ajv/dist/standalone/index.js';
import ajvFormats from 'ajv-formats';
import { build } from 'esbuild';
import type { OpenApiDocument } from './apis.js';
import { resolve } from './operations.js';
import { repoRoot } from './repo-root.js';
import type { FakeOperation, FakeParameter, FakeResponse } from '../../src/testing/fake/model.js';

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;

type Node = Record<string, unknown>;

/** A JSON pointer to `parts` under the spec's `$id`. */
function pointer(parts: readonly string[]): string {
  return `spec#/${parts.map((part) => part.replace(/~/g, '~0').replace(/\//g, '~1')).join('/')}`;
}

/** Follows a `#/…` reference and says where it led, so that a check can point at the resolved location. */
function located(doc: OpenApiDocument, node: unknown, at: string[]): { node: Node; at: string[] } | undefined {
  let current = node as Node | undefined;
  let where = at;
  for (let hops = 0; current && typeof current.$ref === 'string' && hops < 16; hops++) {
    const ref = current.$ref;
    if (!ref.startsWith('#/')) return undefined;
    where = ref
      .slice(2)
      .split('/')
      .map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'));
    current = resolve(doc, { $ref: ref });
  }
  return current ? { node: current, at: where } : undefined;
}

function examplesOf(doc: OpenApiDocument, media: Node | undefined): Record<string, unknown> {
  if (!media) return {};
  const examples: Record<string, unknown> = {};
  for (const [name, raw] of Object.entries((media.examples as Record<string, unknown> | undefined) ?? {})) {
    const example = resolve(doc, raw);
    if (example && 'value' in example) examples[name] = example.value;
  }
  if (Object.keys(examples).length === 0 && 'example' in media) examples.example = media.example;
  return examples;
}

/** Reads the fake's table and the request schemas (by validator name, as spec pointers) from a bundled document. */
export function fakeModel(doc: OpenApiDocument): {
  operations: Record<string, FakeOperation>;
  webhooks: Record<string, unknown>;
  strict: Record<string, string>;
  coercing: Record<string, object>;
  servers: string[];
} {
  const strict: Record<string, string> = {};
  const coercing: Record<string, object> = {};
  const operations: Record<string, FakeOperation> = {};
  for (const [template, item] of Object.entries(doc.paths ?? {})) {
    for (const method of METHODS) {
      const operation = item[method] as Node | undefined;
      if (!operation || typeof operation.operationId !== 'string') continue;
      const id = operation.operationId;
      const declared = [
        ...((item.parameters as unknown[] | undefined) ?? []).map((raw, index) => located(doc, raw, ['paths', template, 'parameters', String(index)])),
        ...((operation.parameters as unknown[] | undefined) ?? []).map((raw, index) => located(doc, raw, ['paths', template, method, 'parameters', String(index)])),
      ].filter((entry): entry is { node: Node; at: string[] } => entry !== undefined);
      const parameters: FakeParameter[] = [];
      const groups: Record<string, { type: 'object'; properties: Record<string, object>; required: string[] }> = {};
      for (const { node, at } of declared) {
        const name = node.name as string;
        const where = node.in as FakeParameter['in'];
        const content = node.content as Record<string, Node> | undefined;
        const json = content?.['application/json'] !== undefined;
        const schemaAt = json ? [...at, 'content', 'application/json', 'schema'] : [...at, 'schema'];
        const schema = located(doc, json ? content?.['application/json']?.schema : node.schema, schemaAt);
        const array = schema?.node.type === 'array';
        parameters.push({ name, in: where, required: node.required === true || where === 'path', ...(json ? { json: true as const } : {}), ...(array ? { array: true as const } : {}) });
        const group = (groups[where] ??= { type: 'object', properties: {}, required: [] });
        // Header names arrive in lower case.
        const key = where === 'header' ? name.toLowerCase() : name;
        group.properties[key] = { $ref: pointer(schemaAt) };
        if (node.required === true || where === 'path') group.required.push(key);
      }
      let parametersCheck: string | undefined;
      if (parameters.length > 0) {
        parametersCheck = `${id}$parameters`;
        coercing[parametersCheck] = { type: 'object', properties: groups };
      }
      const bodies: Record<string, string | null> = {};
      const requestBody = located(doc, operation.requestBody, ['paths', template, method, 'requestBody']);
      for (const [mediaType, media] of Object.entries((requestBody?.node.content as Record<string, Node> | undefined) ?? {})) {
        if (!media.schema) {
          bodies[mediaType] = null;
          continue;
        }
        const name = `${id}$body$${Object.keys(bodies).length}`;
        const ref = pointer([...(requestBody?.at ?? []), 'content', mediaType, 'schema']);
        // A form's fields arrive as text: they are checked with numbers and booleans read from that text.
        if (mediaType === 'application/json' || mediaType.startsWith('application/json;')) strict[name] = ref;
        else coercing[name] = { $ref: ref };
        bodies[mediaType] = name;
      }
      const responses: FakeResponse[] = [];
      for (const [status, raw] of Object.entries((operation.responses as Record<string, unknown> | undefined) ?? {})) {
        const response = resolve(doc, raw) ?? {};
        const [contentType, media] = Object.entries((response.content as Record<string, Node> | undefined) ?? {})[0] ?? [];
        const headers = Object.fromEntries(
          Object.entries((response.headers as Record<string, unknown> | undefined) ?? {}).map(([name, raw]) => {
            const header = resolve(doc, raw) ?? {};
            const schema = resolve(doc, header.schema) ?? {};
            const example = 'example' in header ? header.example : Object.values(examplesOf(doc, { examples: header.examples }))[0] ?? schema.example ?? null;
            return [name, example];
          }),
        );
        responses.push({
          status,
          ...(contentType ? { contentType } : {}),
          examples: examplesOf(doc, media),
          ...(Object.keys(headers).length > 0 ? { headers } : {}),
        });
      }
      operations[id] = { parameters, ...(parametersCheck ? { parametersCheck } : {}), bodies, bodyRequired: requestBody?.node.required === true, responses };
    }
  }
  const webhooks: Record<string, unknown> = {};
  for (const webhook of Object.values((doc.webhooks as Record<string, Node> | undefined) ?? {})) {
    const body = resolve(doc, (webhook.post as Node | undefined)?.requestBody);
    for (const media of Object.values((body?.content as Record<string, Node> | undefined) ?? {})) Object.assign(webhooks, examplesOf(doc, media));
  }
  const servers = [
    ...((doc.servers as { url: string }[] | undefined) ?? []),
    ...Object.values(doc.paths ?? {}).flatMap((item) => (item.servers as { url: string }[] | undefined) ?? []),
  ].map((server) => server.url.replace(/\/+$/, ''));
  return { operations, webhooks, strict, coercing, servers: [...new Set(servers)] };
}

/** ajv's standalone code for the given checks (by export name), with the spec added as `spec`. */
function standalone(doc: OpenApiDocument, checks: Record<string, object | string>, coerce: boolean): string {
  const ajv = new ajv2020.default({
    strict: false,
    // Every problem, so that the fake can name the one of the branch of a union the request came closest to.
    allErrors: true,
    coerceTypes: coerce ? 'array' : false,
    // No check of the schemas against JSON Schema's meta-schema: it would compile that meta-schema in each of the
    // six instances a run makes (a third of ajv's time) to look only at the keys of the document's root, which are
    // OpenAPI's, not JSON Schema's, and at the generated groups of `$ref`s above; a `$ref`'s target is never
    // checked against it. The specs' schemas are validated by `npm run lint:specs`.
    validateSchema: false,
    code: { source: true, esm: true, lines: false },
  });
  ajvFormats.default(ajv);
  ajv.addSchema({ ...doc, $id: 'spec' });
  const ids: Record<string, string> = {};
  for (const [name, schema] of Object.entries(checks)) {
    if (typeof schema === 'string') ids[name] = schema;
    else {
      ajv.addSchema({ ...schema, $id: name });
      ids[name] = name;
    }
  }
  return standaloneCode.default(ajv, ids);
}

/** The text of `generated/<api>-fake.ts`. */
export async function generateFakeModule(doc: OpenApiDocument, apiName: string): Promise<string> {
  const { operations, webhooks, strict, coercing, servers } = fakeModel(doc);
  const dir = await mkdtemp(path.join(tmpdir(), `fake-${apiName}-`));
  try {
    await writeFile(path.join(dir, 'strict.mjs'), standalone(doc, strict, false));
    await writeFile(path.join(dir, 'coercing.mjs'), standalone(doc, coercing, true));
    await writeFile(
      path.join(dir, 'entry.mjs'),
      "import * as strict from './strict.mjs';\nimport * as coercing from './coercing.mjs';\nexport const checks = { ...strict, ...coercing };\n",
    );
    const bundled = await build({
      entryPoints: [path.join(dir, 'entry.mjs')],
      bundle: true,
      format: 'iife',
      globalName: 'compiledChecks',
      platform: 'neutral',
      target: 'es2022',
      minify: true,
      write: false,
      legalComments: 'none',
      logLevel: 'error',
      nodePaths: [path.join(repoRoot, 'node_modules')],
    });
    const code = bundled.outputFiles[0]?.text ?? '';
    return (
      `// @ts-nocheck\n/**\n * Generated by scripts/generate.ts from the spec named in redocly.yaml. Do not edit by hand: change the spec and\n` +
      ` * run \`npm run generate\`. The request checks of the in-process fake (src/testing/fake), compiled by ajv when\n` +
      ` * the package is generated, and the table of each operation's parameters, bodies and declared answers.\n */\n` +
      `import type { FakeChecks, FakeOperationTable } from '../src/testing/fake/model.js';\n\n` +
      `${code.trim()}\n\n` +
      `/** The compiled request checks, by name. */\n` +
      `export const fakeChecks: FakeChecks = compiledChecks.checks;\n\n` +
      `/** Each operation's parameters, request media types (with the name of their check) and declared answers. */\n` +
      `export const fakeOperations: FakeOperationTable = ${JSON.stringify(operations)};\n\n` +
      `/** Every server the spec names (its own and those of single paths), which the fake answers for. */\n` +
      `export const fakeServers: readonly string[] = ${JSON.stringify(servers)};\n\n` +
      `/** The spec's example webhook events, by name. */\n` +
      `export const fakeWebhookExamples: Readonly<Record<string, unknown>> = ${JSON.stringify(webhooks)};\n`
    );
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
