/**
 * Bundle sizes: what a one-call program pulls in from each subpath, bundled and minified by esbuild for the
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
  readonly minifiedBytes: number;
  readonly gzippedBytes: number;
}

const SUBPATHS: Record<string, string> = {
  'messaging-api-clients/pachca': 'src/pachca/index.ts',
  'messaging-api-clients/ok': 'src/ok/index.ts',
  'messaging-api-clients/unet': 'src/unet/index.ts',
  'messaging-api-clients/pachca/operations': 'src/pachca/operations.ts',
  'messaging-api-clients/ok/operations': 'src/ok/operations.ts',
  'messaging-api-clients/unet/operations': 'src/unet/operations.ts',
};

/** Bundles each one-call program and measures it. */
export async function measureSizes(entries?: readonly string[]): Promise<SizeRow[]> {
  const programs = { ...ONE_CALL_PROGRAMS, ...sdkProgram() };
  const rows: SizeRow[] = [];
  for (const entry of entries ?? Object.keys(programs)) {
    const result = await build({
      stdin: { contents: programs[entry] ?? '', resolveDir: repoRoot, loader: 'ts' },
      bundle: true,
      minify: true,
      format: 'esm',
      platform: 'browser',
      target: 'es2022',
      write: false,
      logLevel: 'error',
      alias: Object.fromEntries(Object.entries(SUBPATHS).map(([name, file]) => [name, path.join(repoRoot, file)])),
    });
    const code = result.outputFiles[0]?.contents ?? new Uint8Array();
    rows.push({ entry, minifiedBytes: code.byteLength, gzippedBytes: gzipSync(code, { level: 9 }).byteLength });
  }
  return rows;
}

/** Formats bytes as kilobytes with one decimal. */
export function kB(bytes: number): string {
  return `${(bytes / 1024).toFixed(1)} kB`;
}
