/**
 * The README's bot walk-through is the code that test/types/readme-bot.test-d.ts compiles, letter for letter.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { expect, it } from 'vitest';
import { repoRoot } from '../../scripts/lib/apis.js';

it('the README shows the bot walk-through exactly as the type test compiles it', async () => {
  const source = await readFile(path.join(repoRoot, 'test/types/readme-bot.test-d.ts'), 'utf8');
  const block = /\/\/ --- README: bot walk-through ---\n([\s\S]*?)\n\s*\/\/ --- end ---/.exec(source)?.[1];
  expect(block).toBeDefined();
  const lines = (block ?? '').split('\n');
  const indent = Math.min(...lines.filter((line) => line.trim() !== '').map((line) => /^ */.exec(line)?.[0].length ?? 0));
  const code = lines.map((line) => line.slice(indent)).join('\n');
  const readme = await readFile(path.join(repoRoot, 'README.md'), 'utf8');
  expect(readme).toContain(`import { createPachcaClient, createPachcaWebhookHandler } from 'messaging-api-clients/pachca';\n\n${code}\n`);
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
