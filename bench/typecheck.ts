/**
 * The type-check cost for a user: `tsc --noEmit` on a small program that imports all three clients from the
 * built package (its `.d.ts`), against the same program with no imports, both with a user's usual settings
 * (strict, skipLibCheck). Reported as wall time and as a ratio.
 */
import { execFileSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';

const PROGRAM = (dist: string) => `
import { createPachcaClient } from '${dist}/src/pachca/index.js';
import { createOkClient, sendText } from '${dist}/src/ok/index.js';
import { createUnetClient } from '${dist}/src/unet/index.js';

const pachca = createPachcaClient({ token: 't' });
const ok = createOkClient({ accessToken: 't' });
const unet = createUnetClient({ accessToken: 't', resourceUri: 'https://1.unet.com/api/' });
export const calls = [
  pachca.createMessage({ body: { message: { entity_id: 198, content: 'Hello' } } }),
  pachca.getMessage({ id: 1 }),
  ok.send(sendText('chat:C1', 'Hello')),
  ok.listMessages({ chat_id: 'chat:C1' }),
  unet.addMessage({ q: { chat_id: 1, message: 'Hello' } }),
];
`;

const EMPTY = `export const calls: Promise<unknown>[] = [];\n`;

/** The result of the type-check benchmark. */
export interface TypecheckResult {
  readonly emptyMs: number;
  readonly threeClientsMs: number;
  readonly ratio: number;
}

function median(values: number[]): number {
  return [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number;
}

/** Type-checks both programs `runs` times each, alternating, and returns the medians. */
export async function measureTypecheck(repoRoot: string, runs = 5): Promise<TypecheckResult> {
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  const dir = await mkdtemp(path.join(tmpdir(), 'typecheck-'));
  try {
    const options = {
      target: 'ES2022',
      module: 'NodeNext',
      moduleResolution: 'NodeNext',
      strict: true,
      skipLibCheck: true,
      noEmit: true,
      lib: ['ES2023', 'DOM'],
      types: [],
    };
    for (const [name, source] of [['three', PROGRAM(path.join(repoRoot, 'dist'))], ['empty', EMPTY]] as const) {
      await writeFile(path.join(dir, `${name}.ts`), source);
      await writeFile(path.join(dir, `${name}.json`), JSON.stringify({ compilerOptions: options, files: [`${name}.ts`] }));
    }
    const time = (name: string): number => {
      const started = performance.now();
      execFileSync(process.execPath, [tsc, '-p', path.join(dir, `${name}.json`)], { stdio: 'inherit' });
      return performance.now() - started;
    };
    const empty: number[] = [];
    const three: number[] = [];
    for (let i = 0; i < runs; i++) {
      empty.push(time('empty'));
      three.push(time('three'));
    }
    return { emptyMs: median(empty), threeClientsMs: median(three), ratio: median(three) / median(empty) };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
