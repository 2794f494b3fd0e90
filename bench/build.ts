/**
 * Bundles the benchmark's processes with esbuild into plain JavaScript, so every contender runs as a user's
 * bundled code would: no TypeScript loader in the measured processes.
 */
import { build } from 'esbuild';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
/** Where the bundles go. */
export const buildDir = path.join(here, '.build');

/** Bundles `bench/<name>.ts` to `bench/.build/<name>.mjs` and returns its path. */
export async function bundleScript(name: string): Promise<string> {
  const outfile = path.join(buildDir, `${name}.mjs`);
  await build({
    entryPoints: [path.join(here, `${name}.ts`)],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    logLevel: 'error',
    // axios and friends are CommonJS; give the ESM bundle a require() for Node built-ins.
    banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
  });
  return outfile;
}
