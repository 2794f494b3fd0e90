/**
 * `npm run docs`: builds the API reference into `docs/`, one self-contained Redoc page per API named in
 * `redocly.yaml` (the Redoc scripts are inlined, so the folder can be served as it is, offline) and an index
 * page that links them.
 */
import { spawn } from 'node:child_process';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { bundleApi, listApis, repoRoot } from './lib/apis.js';

const docsDir = path.join(repoRoot, 'docs');
const redoclyBin = path.join(path.dirname(createRequire(import.meta.url).resolve('@redocly/cli/package.json')), 'bin', 'cli.js');

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}

function buildPage(api: string, title: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const args = [redoclyBin, 'build-docs', api, '--inlineBundle', '--title', title, '--output', path.join(docsDir, `${api}.html`)];
    const child = spawn(process.execPath, args, {
      cwd: repoRoot,
      env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`redocly build-docs ${api} failed:\n${output}`))));
  });
}

async function main(): Promise<void> {
  const started = performance.now();
  await rm(docsDir, { recursive: true, force: true });
  await mkdir(docsDir, { recursive: true });
  const apis = await Promise.all(
    (await listApis()).map(async (api) => {
      const info = ((await bundleApi(api)).info ?? {}) as { title?: string; summary?: string; version?: string };
      return { name: api.name, title: info.title ?? api.name, summary: info.summary ?? '', version: info.version ?? '' };
    }),
  );
  await Promise.all(apis.map((api) => buildPage(api.name, api.title)));
  const items = apis
    .map(
      (api) =>
        `    <li><a href="${api.name}.html">${escapeHtml(api.title)}</a> <small>v${escapeHtml(api.version)}</small><br>${escapeHtml(api.summary)}</li>`,
    )
    .join('\n');
  await writeFile(
    path.join(docsDir, 'index.html'),
    `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>Messaging API reference</title>
  <style>body{font:16px/1.5 system-ui,sans-serif;max-width:44rem;margin:3rem auto;padding:0 1rem}li{margin:1rem 0}</style>
</head>
<body>
  <h1>Messaging API reference</h1>
  <p>The OpenAPI documents behind the typed clients, one page per API.</p>
  <ul>
${items}
  </ul>
</body>
</html>
`,
  );
  console.log(`docs: ${apis.length} API pages and index.html in ${Math.round(performance.now() - started)} ms → docs/`);
}

await main();
