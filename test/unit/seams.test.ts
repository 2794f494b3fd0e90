/**
 * The clients take the core's output typed as it comes from the generated spec records: a cast at that seam would
 * hide a mismatch between what the core returns and what a client promises, so none is allowed in the API folders.
 */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const repoRoot = path.resolve(import.meta.dirname, '../..');

describe('the API folders', () => {
  it('hold no double cast (as unknown as) in src/pachca, src/ok or src/unet', async () => {
    const found: string[] = [];
    for (const folder of ['pachca', 'ok', 'unet']) {
      const dir = path.join(repoRoot, 'src', folder);
      for (const file of await readdir(dir, { recursive: true })) {
        if (!file.endsWith('.ts')) continue;
        const lines = (await readFile(path.join(dir, file), 'utf8')).split('\n');
        lines.forEach((line, index) => {
          if (/\bas unknown as\b/.test(line)) found.push(`src/${folder}/${file}:${index + 1}`);
        });
      }
    }
    expect(found).toEqual([]);
  });
});
