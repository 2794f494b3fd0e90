/**
 * Bundle sizes: what a one-call program pulls in from each subpath, bundled, split and minified by esbuild for the
 * browser (the clients need nothing from Node), then gzipped. Shared by `npm run size` and `npm run bench`.
 */
import { build } from 'esbuild';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { repoRoot } from './apis.js';

/** A one-call program per entry, importing the way the README shows (resolved to this repository's sources). */
export const ONE_CALL_PROGRAMS: Record<string, string> = {
  pachca: `import { createPachcaClient } from 'messaging-api-clients/pachca';
const pachca = createPachcaClient({ token: 't' });
console.log(await pachca.createMessage({ body: { message: { entity_id: 198, content: 'Hello' } } }));`,
  ok: `import { createOkClient, sendText } from 'messaging-api-clients/ok';
const ok = createOkClient({ accessToken: 't' });
console.log(await ok.send(sendText('chat:C3ecb9d02a600', 'Hello')));`,
  unet: `import { createUnetClient } from 'messaging-api-clients/unet';
const unet = createUnetClient({ accessToken: 't', resourceUri: 'https://3801130518.unet.com/api/' });
console.log(await unet.addMessage({ q: { chat_id: 2200334455, message: 'Hello' } }));`,
  'pachca/operations': `import { createPachcaCore, createMessage } from 'messaging-api-clients/pachca/operations';
const core = createPachcaCore({ token: 't' });
console.log(await createMessage(core, { body: { message: { entity_id: 198, content: 'Hello' } } }));`,
  'ok/operations': `import { createOkCore, sendMessage } from 'messaging-api-clients/ok/operations';
const core = createOkCore({ accessToken: 't' });
console.log(await sendMessage(core, { chat_id: 'chat:C3ecb9d02a600', body: { recipient: { chat_id: 'chat:C3ecb9d02a600' }, message: { text: 'Hello' } } }));`,
  'unet/operations': `import { createUnetCore, addMessage } from 'messaging-api-clients/unet/operations';
const core = createUnetCore({ accessToken: 't', resourceUri: 'https://3801130518.unet.com/api/' });
console.log(await addMessage(core, { q: { chat_id: 2200334455, message: 'Hello' } }));`,
  'openapi-fetch alone': `import createClient from 'openapi-fetch';
const client = createClient({ baseUrl: 'https://api.pachca.com/api/shared/v1', headers: { authorization: 'Bearer t' } });
console.log(await client.POST('/messages', { body: { message: { entity_id: 198, content: 'Hello' } } }));`,
  axios: `import axios from 'axios';
const client = axios.create({ baseURL: 'https://api.pachca.com/api/shared/v1', headers: { authorization: 'Bearer t' } });
console.log((await client.post('/messages', { message: { entity_id: 198, content: 'Hello' } })).data);`,
};

/**
 * The official Pachca SDK, when `PACHCA_SDK_DIR` names a local build of it (sdk/typescript of the vendor's public
 * repository, built for the measurement only and never committed): its one-call program, for comparison.
 */
export function sdkProgram(): Record<string, string> {
  const dir = process.env.PACHCA_SDK_DIR;
  if (!dir) return {};
  return {
    'pachca SDK': `import { PachcaClient } from ${JSON.stringify(path.join(dir, 'dist', 'index.js'))};
const pachca = new PachcaClient('t');
console.log(await pachca.messages.createMessage({ message: { entityId: 198, content: 'Hello' } }));`,
  };
}

/** One row of the size table. */
export interface SizeRow {
  readonly entry: string;
  /** What the program loads when it starts: its own chunk and every chunk that one imports statically. */
  readonly minifiedBytes: number;
  readonly gzippedBytes: number;
  /**
   * What it loads only on demand, through dynamic imports (the telemetry, when an OpenTelemetry provider is
   * registered), gzipped chunk by chunk; 0 when nothing is split off.
   */
  readonly onDemandGzippedBytes: number;
}

const SUBPATHS: Record<string, string> = {
  'messaging-api-clients/pachca': 'src/pachca/index.ts',
  'messaging-api-clients/ok': 'src/ok/index.ts',
  'messaging-api-clients/unet': 'src/unet/index.ts',
  'messaging-api-clients/pachca/operations': 'src/pachca/operations.ts',
  'messaging-api-clients/ok/operations': 'src/ok/operations.ts',
  'messaging-api-clients/unet/operations': 'src/unet/operations.ts',
};

const gzipped = (code: Uint8Array): number => gzipSync(code, { level: 9 }).byteLength;

/**
 * Bundles each one-call program with code splitting, as an application's bundler would, and measures what it loads
 * at start (the entry and its static imports) apart from what it loads only on demand.
 */
export async function measureSizes(entries?: readonly string[]): Promise<SizeRow[]> {
  const programs = { ...ONE_CALL_PROGRAMS, ...sdkProgram() };
  const rows: SizeRow[] = [];
  for (const entry of entries ?? Object.keys(programs)) {
    const outdir = path.join(repoRoot, '.size-build');
    const result = await build({
      stdin: { contents: programs[entry] ?? '', resolveDir: repoRoot, loader: 'ts', sourcefile: 'program.ts' },
      bundle: true,
      minify: true,
      splitting: true,
      format: 'esm',
      platform: 'browser',
      target: 'es2022',
      outdir,
      write: false,
      metafile: true,
      logLevel: 'error',
      alias: Object.fromEntries(Object.entries(SUBPATHS).map(([name, file]) => [name, path.join(repoRoot, file)])),
    });
    const files = new Map(result.outputFiles.map((file) => [path.relative(repoRoot, file.path), file.contents]));
    const outputs = result.metafile.outputs;
    const start = Object.keys(outputs).find((name) => outputs[name]?.entryPoint !== undefined) as string;
    // The chunks loaded at start: the entry's, and those reached from it by static imports.
    const atStart = new Set<string>([start]);
    for (const name of atStart) {
      for (const imported of outputs[name]?.imports ?? []) if (imported.kind === 'import-statement' && !imported.external) atStart.add(imported.path);
    }
    let minifiedBytes = 0;
    let gzippedBytes = 0;
    let onDemandGzippedBytes = 0;
    for (const [name, code] of files) {
      if (!name.endsWith('.js')) continue;
      if (atStart.has(name)) {
        minifiedBytes += code.byteLength;
        gzippedBytes += gzipped(code);
      } else onDemandGzippedBytes += gzipped(code);
    }
    rows.push({ entry, minifiedBytes, gzippedBytes, onDemandGzippedBytes });
  }
  return rows;
}

/** Formats bytes as kilobytes with one decimal. */
export function kB(bytes: number): string {
  return `${(bytes / 1024).toFixed(1)} kB`;
}
