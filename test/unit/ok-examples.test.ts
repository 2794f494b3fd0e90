/**
 * Every request body the OK spec documents (its examples) still compiles against the exact body types: the
 * exclusive unions and the attachment tuples refuse mixtures, and must not refuse what the documents show.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { bundleApi, listApis, repoRoot } from '../../scripts/lib/apis.js';
import { pascalCase } from '../../scripts/lib/typings.js';

const run = promisify(execFile);

describe('the documented OK request bodies', () => {
  it('all compile against the generated body types', async () => {
    const api = (await listApis()).find((entry) => entry.name === 'ok');
    if (!api) throw new Error('no ok API in redocly.yaml');
    const doc = await bundleApi(api);
    const lines: string[] = [`import type * as Ok from ${JSON.stringify(path.join(repoRoot, 'generated', 'ok.js'))};`];
    let count = 0;
    for (const item of Object.values(doc.paths ?? {})) {
      for (const operation of Object.values(item) as { operationId?: string; requestBody?: { content?: Record<string, { examples?: Record<string, { value?: unknown }> }> } }[]) {
        if (!operation?.operationId || !operation.requestBody?.content) continue;
        for (const media of Object.values(operation.requestBody.content)) {
          for (const [name, example] of Object.entries(media.examples ?? {})) {
            if (typeof example.value !== 'object') continue;
            lines.push(`export const ${operation.operationId}_${name.replace(/\W/g, '_')}: Ok.${pascalCase(operation.operationId)}Body = ${JSON.stringify(example.value)};`);
            count++;
          }
        }
      }
    }
    expect(count).toBeGreaterThanOrEqual(14);
    const dir = await mkdtemp(path.join(tmpdir(), 'ok-examples-'));
    try {
      await writeFile(path.join(dir, 'examples.ts'), `${lines.join('\n')}\n`);
      const config = { compilerOptions: { strict: true, exactOptionalPropertyTypes: true, noEmit: true, module: 'NodeNext', moduleResolution: 'NodeNext', target: 'ES2022', skipLibCheck: true, types: [] }, files: ['examples.ts'] };
      await writeFile(path.join(dir, 'tsconfig.json'), JSON.stringify(config));
      const tsc = path.join(repoRoot, 'node_modules', 'typescript', 'bin', 'tsc');
      const result = await run(process.execPath, [tsc, '-p', dir]).catch((error: { stdout?: string }) => error);
      expect((result as { stdout?: string }).stdout ?? '').toBe('');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
