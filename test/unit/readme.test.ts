/**
 * The README's compiled examples are the code that the type tests compile, letter for letter: the bot
 * walk-through (test/types/readme-bot.test-d.ts) and the "In production" blocks
 * (test/types/readme-production.test-d.ts).
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { expect, it } from 'vitest';
import { repoRoot } from '../../scripts/lib/apis.js';

/** The block of a type test between `// --- README: <name> ---` and `// --- end ---`, unindented. */
async function compiledBlock(file: string, name: string): Promise<string> {
  const source = await readFile(path.join(repoRoot, file), 'utf8');
  const block = new RegExp(`// --- README: ${name} ---\\n([\\s\\S]*?)\\n\\s*// --- end ---`).exec(source)?.[1];
  expect(block, name).toBeDefined();
  const lines = (block ?? '').split('\n');
  const indent = Math.min(...lines.filter((line) => line.trim() !== '').map((line) => /^ */.exec(line)?.[0].length ?? 0));
  return lines.map((line) => line.slice(indent)).join('\n');
}

it('the README shows the bot walk-through exactly as the type test compiles it', async () => {
  const code = await compiledBlock('test/types/readme-bot.test-d.ts', 'bot walk-through');
  const readme = await readFile(path.join(repoRoot, 'README.md'), 'utf8');
  expect(readme).toContain(`import { createPachcaClient, createPachcaWebhookHandler } from 'messaging-api-clients/pachca';\n\n${code}\n`);
});

it('the README shows the In production examples exactly as the type test compiles them', async () => {
  const readme = await readFile(path.join(repoRoot, 'README.md'), 'utf8');
  for (const name of ['tracing setup', 'with response', 'permission check']) {
    const code = await compiledBlock('test/types/readme-production.test-d.ts', name);
    expect(readme, name).toContain(`\n${code}\n\`\`\``);
  }
});

it('the README shows the "Testing your bot" example exactly as test/unit/readme-testing.test.ts runs it', async () => {
  const source = await readFile(path.join(repoRoot, 'test/unit/readme-testing.test.ts'), 'utf8');
  const block = /\/\/ --- README: testing your bot ---\n([\s\S]*?)\n\/\/ --- end ---/.exec(source)?.[1];
  expect(block).toBeDefined();
  const code = (block ?? '').replace(/'\.\.\/\.\.\/src\/(\w+)\/index\.js'/g, "'messaging-api-clients/$1'");
  expect(code).toContain("from 'messaging-api-clients/testing'");
  const readme = await readFile(path.join(repoRoot, 'README.md'), 'utf8');
  expect(readme).toContain(`\`\`\`ts\n${code}\n\`\`\``);
});
