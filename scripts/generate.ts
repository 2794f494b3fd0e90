/**
 * `npm run generate`: for each API in `redocly.yaml`, bundle its spec, turn it into TypeScript types with
 * openapi-typescript, and write `generated/<api>.ts` with those types, a runtime table of its operations, their
 * request checks and paged lists; `generated/<api>-operations.ts` with each operation as a standalone function;
 * and `generated/<api>-fake.ts` with the request checks (ajv standalone code) and answers of the in-process fake,
 * written on a worker thread (`lib/fake-thread.ts`) while this one loads TypeScript and types the specs.
 *
 * `npm run generate -- --check` writes nothing; it exits with 1 and names every file whose content differs
 * from what the specs produce, so CI catches hand edits and forgotten regenerations. `--out <dir>` writes (or
 * checks) another folder than `generated/`.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { ApiEntry, OpenApiDocument } from './lib/apis.js';
import { startFakeThread, type FakeThread } from './lib/fake-thread.js';
import { repoRoot } from './lib/repo-root.js';

const check = process.argv.includes('--check');
const outIndex = process.argv.indexOf('--out');
const outDir = outIndex === -1 ? path.join(repoRoot, 'generated') : path.resolve(process.argv[outIndex + 1] ?? 'generated');

async function main(fakeThread: FakeThread): Promise<void> {
  // Loaded once the thread is started, so that its own start overlaps the load of Redocly.
  const { bundleApi, listApis } = await import('./lib/apis.js');
  // Every spec is bundled and handed to the thread before TypeScript loads, so that the fake modules are built
  // while this thread loads it and types the specs.
  const bundled: { api: ApiEntry; doc: OpenApiDocument; fakeText: Promise<string> }[] = [];
  for (const api of await listApis()) {
    const doc = await bundleApi(api);
    const fakeText = fakeThread.generate(doc, api.name);
    // A module that fails is reported where it is awaited, below, not as an unhandled rejection before.
    fakeText.catch(() => undefined);
    bundled.push({ api, doc, fakeText });
  }
  const { generateModule } = await import('./lib/codegen.js');
  const stale: string[] = [];
  if (!check) await mkdir(outDir, { recursive: true });
  for (const { api, doc, fakeText } of bundled) {
    const started = performance.now();
    const result = await generateModule(doc, api.name);
    const file = path.join(outDir, `${api.name}.ts`);
    const relative = path.relative(process.cwd(), file);
    // The in-process fake's checks and answers (messaging-api-clients/testing) live in a module of their own so that
    // only /testing pulls them in.
    for (const [written, text] of [
      [file, result.text],
      [path.join(outDir, `${api.name}-operations.ts`), result.operationsText],
      [path.join(outDir, `${api.name}-fake.ts`), await fakeText],
    ] as const) {
      if (check) {
        const current = await readFile(written, 'utf8').catch(() => undefined);
        if (current !== text) stale.push(path.relative(process.cwd(), written));
      } else {
        await writeFile(written, text);
      }
    }
    const ms = Math.round(performance.now() - started);
    console.log(`${api.name}: ${result.operations} operations, ${result.schemas} schemas, ${ms} ms → ${relative}`);
  }
  if (stale.length > 0) {
    console.error(`generated/ is out of date with the specs: ${stale.join(', ')}. Run \`npm run generate\`.`);
    process.exitCode = 1;
  }
}

const fakeThread = startFakeThread();
try {
  await main(fakeThread);
} finally {
  await fakeThread.close();
}
