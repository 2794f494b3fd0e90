/**
 * Builds the installable package into `dist/`: ESM JavaScript and `.d.ts` from `src/` and `generated/`
 * (with `tsc -p tsconfig.build.json`), and the bundled specs under `dist/openapi/<api>.json` that the `./testing`
 * subpath serves with Prism.
 */
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { rm } from 'node:fs/promises';
import { repoRoot, writeBundles } from './lib/apis.js';

const started = performance.now();
const dist = path.join(repoRoot, 'dist');
await rm(dist, { recursive: true, force: true });
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
const compiled = spawnSync(process.execPath, [tsc, '-p', 'tsconfig.build.json'], { cwd: repoRoot, stdio: 'inherit' });
if (compiled.status !== 0) process.exit(compiled.status ?? 1);
const specs = await writeBundles(path.join(dist, 'openapi'));
console.log(`package: dist/ with ${Object.keys(specs).length} bundled specs in ${Math.round(performance.now() - started)} ms`);
