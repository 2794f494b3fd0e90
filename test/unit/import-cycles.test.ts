/**
 * The source tree has no import cycle, type-only imports included: a cycle makes the order in which modules
 * initialise depend on which one is imported first, and it hides which folder depends on which. dependency-cruiser
 * reads the imports (with `tsPreCompilationDeps`, so `import type` counts as an edge too).
 */
import { cruise } from 'dependency-cruiser';
import extractTSConfig from 'dependency-cruiser/config-utl/extract-ts-config';
import { describe, expect, it } from 'vitest';

async function cycles(paths: string[]): Promise<string[]> {
  const result = await cruise(paths, {
    tsPreCompilationDeps: true,
    doNotFollow: { path: 'node_modules' },
    exclude: { path: 'node_modules' },
    validate: true,
    ruleSet: {
      forbidden: [{ name: 'no-cycle', severity: 'error', from: {}, to: { circular: true } }],
    },
    tsConfig: { fileName: 'tsconfig.json' },
  }, {}, { tsConfig: extractTSConfig('tsconfig.json') });
  if (typeof result.output === 'string') throw new Error(result.output);
  return result.output.summary.violations.map(
    (violation) => `${violation.from} → ${violation.to} (${(violation.cycle ?? []).map((step) => step.name).join(' → ')})`,
  );
}

describe('import graph', () => {
  it('has no cycle anywhere in src/ and generated/, type-only imports included', async () => {
    expect(await cycles(['src', 'generated'])).toEqual([]);
  }, 60_000);

  it('reports a cycle when two modules import each other', async () => {
    const { mkdtemp, writeFile } = await import('node:fs/promises');
    const { tmpdir } = await import('node:os');
    const path = await import('node:path');
    const dir = await mkdtemp(path.join(tmpdir(), 'cycle-'));
    await writeFile(path.join(dir, 'a.ts'), "import type { B } from './b.js';\nexport interface A { b?: B }\n");
    await writeFile(path.join(dir, 'b.ts'), "import type { A } from './a.js';\nexport interface B { a?: A }\n");
    const found = await cycles([dir]);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatch(/cycle-[^ ]*\/(a|b)\.ts → .*\/(a|b)\.ts/);
  }, 60_000);
});
