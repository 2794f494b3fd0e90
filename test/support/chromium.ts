/**
 * Which Chromium the browser tests drive, so that `npm test` passes on a machine with only Node and npm:
 * `CHROMIUM_PATH` when set, Debian's `/usr/bin/chromium` when installed, and otherwise the Chromium that ships
 * inside the `@sparticuz/chromium` npm package (a binary in a registry package, not a download at install time).
 * That one is unpacked into a folder of this project's own (`node_modules/.cache/chromium`), not the shared /tmp.
 */
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { repoRoot } from '../../scripts/lib/apis.js';

/** The flags every run uses: no sandbox (root in CI), no GPU, and no traffic to Google's services. */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/** Where a Chromium was found, and which kind it is (for the test's report). */
export interface FoundChromium {
  readonly executablePath: string;
  readonly source: 'CHROMIUM_PATH' | 'debian' | '@sparticuz/chromium';
}

/** Finds (or unpacks) a Chromium to drive. */
export async function findChromium(): Promise<FoundChromium> {
  const fromEnv = process.env.CHROMIUM_PATH;
  if (fromEnv) {
    if (!existsSync(fromEnv)) throw new Error(`CHROMIUM_PATH names ${fromEnv}, which does not exist`);
    return { executablePath: fromEnv, source: 'CHROMIUM_PATH' };
  }
  if (existsSync('/usr/bin/chromium')) return { executablePath: '/usr/bin/chromium', source: 'debian' };
  const unpackTo = path.join(repoRoot, 'node_modules', '.cache', 'chromium');
  await mkdir(unpackTo, { recursive: true });
  // The package unpacks into os.tmpdir(), which follows TMPDIR; pointing it at our own folder keeps the shared
  // /tmp out of it. Its import reads the folder too, so TMPDIR is set before the import.
  const previous = process.env.TMPDIR;
  process.env.TMPDIR = unpackTo;
  try {
    const { default: chromium } = await import('@sparticuz/chromium');
    return { executablePath: await chromium.executablePath(), source: '@sparticuz/chromium' };
  } finally {
    if (previous === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = previous;
  }
}
