/**
 * `npm run generate`: for each API in `redocly.yaml`, bundle its spec, turn it into TypeScript types with
 * openapi-typescript, and write `generated/<api>.ts` with those types and a runtime table of its operations.
 *
 * `npm run generate -- --check` writes nothing; it exits with 1 and names every file whose content differs
 * from what the specs produce, so CI catches hand edits and forgotten regenerations. `--out <dir>` writes (or
 * checks) another folder than `generated/`.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { bundleApi, listApis, repoRoot } from './lib/apis.js';
import { generateModule } from './lib/codegen.js';

const check = process.argv.includes('--check');
const outIndex = process.argv.indexOf('--out');
const outDir = outIndex === -1 ? path.join(repoRoot, 'generated') : path.resolve(process.argv[outIndex + 1] ?? 'generated');

async function main(): Promise<void> {
  const stale: string[] = [];
  if (!check) await mkdir(outDir, { recursive: true });
  for (const api of await listApis()) {
    const started = performance.now();
    const result = await generateModule(await bundleApi(api), api.name);
    const file = path.join(outDir, `${api.name}.ts`);
    const relative = path.relative(process.cwd(), file);
    if (check) {
      const current = await readFile(file, 'utf8').catch(() => undefined);
      if (current !== result.text) stale.push(relative);
    } else {
      await writeFile(file, result.text);
    }
    const ms = Math.round(performance.now() - started);
    console.log(`${api.name}: ${result.operations} operations, ${result.schemas} schemas, ${ms} ms → ${relative}`);
  }
  if (stale.length > 0) {
    console.error(`generated/ is out of date with the specs: ${stale.join(', ')}. Run \`npm run generate\`.`);
    process.exitCode = 1;
  }
}

await main();
