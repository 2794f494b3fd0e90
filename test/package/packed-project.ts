/**
 * A fresh consumer project with this package installed from its packed tarball, as a user gets it: `npm pack`,
 * then `npm install <tarball>` into an empty `"type": "module"` project. Shared by the package tests. Needs
 * `npm run build` first (the package is built from `dist/`).
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { repoRoot } from '../../scripts/lib/apis.js';

export const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
/** This repository's TypeScript compiler. */
export const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');

/** The compiler options every consumer project shares: strict NodeNext, with Node's types from this repository. */
export const STRICT_NODE_NEXT = {
  target: 'ES2022',
  module: 'NodeNext',
  moduleResolution: 'NodeNext',
  strict: true,
  typeRoots: [path.join(repoRoot, 'node_modules', '@types')],
  types: ['node'],
};

/** A project folder with the package installed, and the tarball it came from. */
export interface PackedProject {
  readonly project: string;
  readonly tarball: string;
}

/** Packs the package and installs the tarball into a new temporary project whose name starts with `prefix`. */
export async function packedProject(prefix: string): Promise<PackedProject> {
  if (!existsSync(path.join(repoRoot, 'dist', 'src', 'pachca', 'index.js'))) throw new Error('dist/ is not built: run `npm run build` first');
  const project = await mkdtemp(path.join(tmpdir(), prefix));
  execFileSync(npm, ['pack', '--pack-destination', project, '--silent'], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'inherit'] });
  const [name] = (await readdir(project)).filter((file) => file.endsWith('.tgz'));
  const tarball = path.join(project, name as string);
  await writeFile(path.join(project, 'package.json'), JSON.stringify({ name: path.basename(project).toLowerCase(), private: true, type: 'module' }));
  execFileSync(npm, ['install', tarball, '--prefer-offline', '--no-audit', '--no-fund', '--ignore-scripts', '--silent'], {
    cwd: project,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return { project, tarball };
}
