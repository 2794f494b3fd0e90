/**
 * Code samples for the API reference, made from the same bundled spec and operation table the clients are
 * generated from, so they cannot drift: for each operation a TypeScript call through this package's client (in
 * the `(input, options)` shape) and a cURL command, both filled with the spec's own examples.
 */
import type { OperationEntry } from '../../src/core/client/operation.js';
import type { OpenApiDocument } from './apis.js';
import { defaultServerOf, readOperations, resolve } from './operations.js';

type Node = Record<string, unknown>;

/** How each API's client is made and authenticated, for the samples. */
interface ClientRecipe {
  /** The subpath and factory. */
  readonly module: string;
  readonly factory: string;
  readonly variable: string;
  /** What follows the factory's opening parenthesis: its options (none: the credentials come from the environment). */
  readonly options: string;
  /** How cURL carries the credential: a header line, or a query parameter. */
  readonly curlAuth: { readonly header: string } | { readonly query: string };
}

const RECIPES: Readonly<Record<string, ClientRecipe>> = {
  pachca: {
    module: 'messaging-api-clients/pachca',
    factory: 'createPachcaClient',
    variable: 'pachca',
    options: '); // the token from PACHCA_TOKEN',
    curlAuth: { header: 'Authorization: Bearer $PACHCA_TOKEN' },
  },
  ok: {
    module: 'messaging-api-clients/ok',
    factory: 'createOkClient',
    variable: 'ok',
    options: '); // the token from OK_ACCESS_TOKEN',
    curlAuth: { query: 'access_token=$OK_ACCESS_TOKEN' },
  },
  unet: {
    module: 'messaging-api-clients/unet',
    factory: 'createUnetClient',
    variable: 'unet',
    options: '); // UNET_ACCESS_TOKEN and UNET_RESOURCE_URI, or { tokens } from createUnetAuth(…).exchangeCode(code)',
    curlAuth: { header: 'Authorization: Bearer $UNET_ACCESS_TOKEN' },
  },
};

/** The variable the samples give an API's client (`pachca`, `ok`, `unet`). */
export function clientVariable(api: string): string {
  return RECIPES[api]?.variable ?? api;
}

/** uNet's OAuth operations belong to `createUnetAuth`; their samples call its methods. */
const AUTH_CALLS: Readonly<Record<string, string>> = {
  authorize: "const state = crypto.randomUUID(); // keep it with the user's session\nconst url = auth.authorizeUrl({ scope: ['messages_read', 'messages_write'], state });",
  requestToken: '// callbackUrl: the address uNet sent the user back to; state: the one authorizeUrl was given\nconst tokens = await auth.exchangeCode(auth.codeFromRedirect(callbackUrl, state));',
  getTokenProperties: 'const properties = await auth.tokenProperties(process.env.UNET_ACCESS_TOKEN!);',
};

/** The first example of a parameter, a media type or a schema. */
function firstExample(node: Node | undefined): unknown {
  if (!node) return undefined;
  const examples = node.examples as Record<string, { value?: unknown }> | unknown[] | undefined;
  if (Array.isArray(examples)) return examples[0];
  if (examples && typeof examples === 'object') return Object.values(examples)[0]?.value;
  return node.example;
}

/** A property key as TypeScript source: bare where it can be, quoted otherwise. */
function propertyKey(key: string): string {
  return /^[A-Za-z_$][\w$]*$/.test(key) ? key : JSON.stringify(key);
}

/** An object's properties as TypeScript source on one line (`a: 1`, `b: 'x'`), to splice into a larger literal. */
function inlineProperties(value: Record<string, unknown>): string[] {
  return Object.entries(value).map(([key, item]) => `${propertyKey(key)}: ${literal(item)}`);
}

/** A JSON value as TypeScript source, keys unquoted where they can be. */
function literal(value: unknown, indent = ''): string {
  if (Array.isArray(value)) return `[${value.map((item) => literal(item, indent)).join(', ')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value);
    if (entries.length === 0) return '{}';
    const flat = entries.every(([, item]) => item === null || typeof item !== 'object');
    const inline = `{ ${inlineProperties(value as Record<string, unknown>).join(', ')} }`;
    if (flat && inline.length <= 60) return inline;
    const inner = `${indent}  `;
    const lines = entries.map(([key, item]) => `${inner}${propertyKey(key)}: ${literal(item, inner)}`);
    return `{\n${lines.join(',\n')},\n${indent}}`;
  }
  return typeof value === 'string' ? `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'` : JSON.stringify(value);
}

/** A shell word in single quotes. */
function shellQuote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

interface SampleInput {
  readonly path: Record<string, unknown>;
  readonly query: Record<string, unknown>;
  readonly body: unknown;
  readonly mediaType: string | undefined;
  /** The multipart fields that carry a file (`format: binary`), which samples pass as a `Blob` named `file`. */
  readonly fileFields: readonly string[];
}

function sampleInput(doc: OpenApiDocument, item: Node, operation: Node): SampleInput {
  const input: SampleInput = { path: {}, query: {}, body: undefined, mediaType: undefined, fileFields: [] };
  const parameters = [...((item.parameters as unknown[]) ?? []), ...((operation.parameters as unknown[]) ?? [])];
  for (const raw of parameters) {
    const parameter = resolve(doc, raw);
    if (!parameter || (parameter.in !== 'path' && parameter.in !== 'query')) continue;
    const content = parameter.content as Record<string, Node> | undefined;
    const example = firstExample(parameter) ?? (content ? firstExample(Object.values(content)[0]) : undefined) ?? firstExample(resolve(doc, parameter.schema));
    if (example === undefined || (parameter.in === 'query' && parameter.required !== true && Object.keys(input.query).length >= 2)) continue;
    input[parameter.in as 'path' | 'query'][String(parameter.name)] = example;
  }
  const content = resolve(doc, operation.requestBody)?.content as Record<string, Node> | undefined;
  if (content) {
    const [mediaType, media] = Object.entries(content)[0] ?? [];
    const properties = (resolve(doc, media?.schema)?.properties ?? {}) as Record<string, unknown>;
    const fileFields = Object.entries(properties)
      .filter(([, property]) => resolve(doc, property)?.format === 'binary')
      .map(([name]) => name);
    return { ...input, body: firstExample(media), mediaType, fileFields };
  }
  return input;
}

/** The TypeScript sample of one operation. */
function typescriptSample(api: string, id: string, input: SampleInput, entry: OperationEntry): string {
  const recipe = RECIPES[api] as ClientRecipe;
  if (api === 'unet' && AUTH_CALLS[id]) {
    return [
      `import { createUnetAuth } from '${recipe.module}';`,
      '',
      'const auth = createUnetAuth({',
      '  clientId: process.env.UNET_CLIENT_ID!,',
      '  clientSecret: process.env.UNET_CLIENT_SECRET!,',
      "  redirectUri: 'https://bot.example.com/unet/callback',",
      '});',
      AUTH_CALLS[id],
    ].join('\n');
  }
  const flat: Record<string, unknown> = { ...input.path, ...input.query };
  let argument = Object.keys(flat).length > 0 ? literal(flat) : '';
  if (input.body !== undefined && entry.body !== 'binary' && entry.body !== 'multipart') {
    argument = literal({ ...flat, body: input.body });
  } else if (entry.body === 'binary') {
    argument = `{ ${[...inlineProperties(flat), 'body: file'].join(', ')} }`;
  } else if (entry.body === 'multipart') {
    // A multipart form's text fields keep their example values; its file fields take a Blob the caller holds.
    const example = (input.body && typeof input.body === 'object' ? input.body : {}) as Record<string, unknown>;
    const textFields = Object.fromEntries(Object.entries(example).filter(([name]) => !input.fileFields.includes(name)));
    const files = input.fileFields.map((name) => (name === 'file' ? 'file' : `${name}: file`));
    // The direct upload's text fields are the ones getUploadParams answered, so the sample spreads those.
    const text = id === 'directUpload' ? ['...uploadParams'] : inlineProperties(textFields);
    argument = `{ ${[...inlineProperties(flat), `body: { ${[...text, ...files].join(', ')} }`].join(', ')} }`;
  }
  const result = entry.noContent ? `await ${recipe.variable}.${id}(${argument});` : `const result = await ${recipe.variable}.${id}(${argument});`;
  return [`import { ${recipe.factory} } from '${recipe.module}';`, '', `const ${recipe.variable} = ${recipe.factory}(${recipe.options}`, result].join('\n');
}

/** The cURL sample of one operation. */
function curlSample(api: string, server: string, path: string, input: SampleInput, entry: OperationEntry): string {
  const recipe = RECIPES[api] as ClientRecipe;
  let url = server.replace(/\/+$/, '') + path.replace(/\{([^}]+)\}/g, (_match, name: string) => encodeURIComponent(String(input.path[name] ?? `{${name}}`)).replace(/%3A/gi, ':'));
  // As the client writes them: a JSON parameter as JSON, an array as its values repeated under the API's own name.
  const query = Object.entries(input.query).flatMap(([name, value]) => {
    const wire = entry.queryNames?.[name] ?? name;
    if (Array.isArray(value) && !entry.jsonQuery?.includes(name)) return value.map((item) => `${wire}=${encodeURIComponent(String(item))}`);
    return [`${wire}=${encodeURIComponent(typeof value === 'object' ? JSON.stringify(value) : String(value))}`];
  });
  if (entry.auth && 'query' in recipe.curlAuth) query.push(recipe.curlAuth.query);
  if (query.length > 0) url += `?${query.join('&')}`;
  const lines = [`curl -X ${entry.method} "${url}"`];
  if (entry.auth && 'header' in recipe.curlAuth) lines.push(`-H "${recipe.curlAuth.header}"`);
  if (input.body !== undefined) {
    if (entry.body === 'multipart' && input.body && typeof input.body === 'object') {
      for (const [name, value] of Object.entries(input.body)) {
        // curl reads a field's content from a file when its value starts with @.
        const isFile = input.fileFields.includes(name) || typeof value !== 'string';
        lines.push(`-F ${shellQuote(`${name}=${isFile ? `@${typeof value === 'string' ? value : 'report.pdf'}` : value}`)}`);
      }
    } else if (entry.body === 'binary') {
      lines.push('-H "Content-Type: application/pdf"', '--data-binary @report.pdf');
    } else if (entry.body === 'form' && input.body && typeof input.body === 'object') {
      for (const [name, value] of Object.entries(input.body)) lines.push(`--data-urlencode ${shellQuote(`${name}=${String(value)}`)}`);
    } else {
      lines.push(`-H "Content-Type: ${input.mediaType ?? 'application/json'}"`, `-d ${shellQuote(JSON.stringify(input.body))}`);
    }
  }
  return lines.join(' \\\n  ');
}

/** Adds `x-codeSamples` (TypeScript and cURL) to every operation of a bundled document, in place. */
export function addCodeSamples(doc: OpenApiDocument, api: string): number {
  if (!RECIPES[api]) return 0;
  const defaultServer = defaultServerOf(doc).replace(/\{user_id\}/, '3801130518');
  let count = 0;
  for (const { id, path, item, operation, entry } of readOperations(doc)) {
    const input = sampleInput(doc, item, operation);
    const server = entry.server ?? defaultServer;
    operation['x-codeSamples'] = [
      // Redoc keys a sample by its label and shows it when the key is in the page's language list (scripts/docs.ts).
      { lang: 'TypeScript', label: 'TypeScript', source: typescriptSample(api, id, input, entry) },
      { lang: 'curl', label: 'cURL', source: curlSample(api, server, path, input, entry) },
    ];
    count++;
  }
  return count;
}
