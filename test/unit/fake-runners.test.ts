/**
 * The fake's expectations need no particular test runner: under node:test, a failed `expectSent` fails the test
 * with its readable message, and a met one passes.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { expect, it } from 'vitest';
import { repoRoot } from '../../scripts/lib/apis.js';

const run = promisify(execFile);

it('reports a failed expectSent under node:test with the calls that were made, and passes a met one', async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'fake-node-test-'));
  try {
    const file = path.join(dir, 'bot.test.ts');
    await writeFile(
      file,
      `import { test } from 'node:test';
import { createPachcaClient } from ${JSON.stringify(path.join(repoRoot, 'src/pachca/index.ts'))};
import { createFakeApi } from ${JSON.stringify(path.join(repoRoot, 'src/testing/index.ts'))};

test('the bot greets', async () => {
  const fake = await createFakeApi('pachca');
  const pachca = createPachcaClient({ token: 'node-test-token', ...fake.clientOptions });
  await pachca.createMessage({ body: { message: { entity_id: 334, content: 'Привет' } } });
  fake.expectSent('createMessage', { message: { content: 'Привет' } });
});

test('the bot says goodbye', async () => {
  const fake = await createFakeApi('pachca');
  const pachca = createPachcaClient({ token: 'node-test-token', ...fake.clientOptions });
  await pachca.createMessage({ body: { message: { entity_id: 334, content: 'Привет' } } });
  fake.expectSent('createMessage', { message: { content: 'Пока' } });
});
`,
    );
    const result = await run(process.execPath, ['--import', 'tsx', '--test', '--test-reporter=spec', file], { cwd: repoRoot }).then(
      ({ stdout }) => ({ code: 0, stdout }),
      (error: { code: number; stdout: string }) => ({ code: error.code, stdout: error.stdout }),
    );
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/✔ the bot greets/);
    expect(result.stdout).toMatch(/✖ the bot says goodbye/);
    expect(result.stdout).toContain('Expected a createMessage call whose body includes {"message":{"content":"Пока"}}, but the createMessage calls were:');
    expect(result.stdout).toContain('1. {"message":{"entity_id":334,"content":"Привет"}} (answered 201)');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}, 60_000);
