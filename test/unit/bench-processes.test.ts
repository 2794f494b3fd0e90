import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { preloadFlags } from '../../bench/plain-node.js';

const root = path.resolve(import.meta.dirname, '../..');
const tsx = path.join(root, 'node_modules', '.bin', 'tsx');

describe('the benchmark runs its measured processes on plain Node', () => {
  it('forks a child without the TypeScript loader the runner was started with, which fork would otherwise pass on', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'bench-plain-'));
    const child = path.join(dir, 'child.mjs');
    writeFileSync(child, 'process.send(process.execArgv, () => process.exit(0));\n');
    const parent = path.join(dir, 'parent.mts');
    writeFileSync(
      parent,
      `import { fork } from 'node:child_process';
import { once } from 'node:events';
import { plainNode } from ${JSON.stringify(path.join(root, 'bench', 'plain-node.ts'))};
const argvOf = async (options: object) => (await once(fork(${JSON.stringify(child)}, [], options), 'message'))[0];
console.log(JSON.stringify({ inherited: await argvOf({}), plain: await argvOf(plainNode()) }));
`,
    );
    const output = JSON.parse(execFileSync(tsx, [parent], { encoding: 'utf8' })) as { inherited: string[]; plain: string[] };
    expect(preloadFlags(output.inherited, undefined).length).toBeGreaterThan(0);
    expect(output.plain).toEqual([]);
  }, 60_000);

  it('names the flags that would load code into a process, from execArgv and NODE_OPTIONS alike', () => {
    expect(preloadFlags(['--import', 'file:///tsx/loader.mjs', '--expose-gc'], '--require=/x/preflight.cjs --max-old-space-size=512')).toEqual([
      '--import file:///tsx/loader.mjs',
      '--require=/x/preflight.cjs',
    ]);
    expect(preloadFlags(['--expose-gc'], undefined)).toEqual([]);
  });

  it('says under --help how to add the official Pachca SDK (PACHCA_SDK_DIR), and exits without measuring', () => {
    const output = execFileSync(tsx, [path.join(root, 'bench', 'run.ts'), '--help'], { encoding: 'utf8' });
    expect(output).toMatch(/PACHCA_SDK_DIR\s+a local build of the official Pachca SDK/);
  }, 60_000);
});
