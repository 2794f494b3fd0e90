import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleApi, listApis, repoRoot, type OpenApiDocument } from '../../scripts/lib/apis.js';
import { generateFakeModule } from '../../scripts/lib/fake-model.js';
import { startFakeThread } from '../../scripts/lib/fake-thread.js';

const run = promisify(execFile);
const tsx = path.join(repoRoot, 'node_modules', '.bin', 'tsx');
let out: string;

beforeAll(async () => {
  out = await mkdtemp(path.join(tmpdir(), 'generated-'));
});
afterAll(() => rm(out, { recursive: true, force: true }));

describe('npm run generate', () => {
  it('writes one module per API and matches the committed generated/', async () => {
    const { stdout } = await run(tsx, ['scripts/generate.ts', '--out', out], { cwd: repoRoot });
    expect(stdout).toMatch(/pachca: \d+ operations, \d+ schemas, \d+ ms/);
    expect(await readFile(path.join(out, 'pachca.ts'), 'utf8')).toBe(await readFile(path.join(repoRoot, 'generated', 'pachca.ts'), 'utf8'));
  }, 60_000);

  it('--check fails and names the file when a generated module was edited by hand', async () => {
    await run(tsx, ['scripts/generate.ts', '--out', out], { cwd: repoRoot });
    await expect(run(tsx, ['scripts/generate.ts', '--check', '--out', out], { cwd: repoRoot })).resolves.toBeDefined();
    await writeFile(path.join(out, 'ok.ts'), `${await readFile(path.join(out, 'ok.ts'), 'utf8')}// edited\n`);
    const failure = await run(tsx, ['scripts/generate.ts', '--check', '--out', out], { cwd: repoRoot }).catch((error: unknown) => error);
    expect(failure).toMatchObject({ code: 1 });
    expect((failure as { stderr: string }).stderr).toContain('ok.ts');
    expect((failure as { stderr: string }).stderr).not.toContain('pachca.ts');
  }, 60_000);

  it('writes a fake module on its worker thread exactly as in-process, names the API whose module failed, and refuses work once closed', async () => {
    const unet = (await listApis()).find((api) => api.name === 'unet');
    if (!unet) throw new Error('redocly.yaml names no unet');
    const doc = await bundleApi(unet);
    const broken: OpenApiDocument = {
      openapi: '3.1.0',
      info: { title: 'Broken', version: '1' },
      paths: {
        '/things': {
          post: {
            operationId: 'createThing',
            requestBody: { content: { 'application/json': { schema: { $ref: '#/components/schemas/Missing' } } } },
            responses: { '201': { description: 'Created' } },
          },
        },
      },
    };
    const thread = startFakeThread();
    try {
      expect(await thread.generate(doc, 'unet')).toBe(await generateFakeModule(doc, 'unet'));
      await expect(thread.generate(broken, 'broken')).rejects.toThrow(/^Cannot write the fake module of broken: .*Missing/);
    } finally {
      await thread.close();
    }
    await expect(thread.generate(doc, 'unet')).rejects.toThrow('The thread writing the fake modules stopped');
  }, 60_000);
});
