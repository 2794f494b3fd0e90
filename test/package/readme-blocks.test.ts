/**
 * Every TypeScript block of the README, the guides and the landing page, taken as a user takes it: copied into a
 * fresh project that installed the packed package, type-checked (strict, NodeNext), and, unless it is marked as a
 * fragment, run. The runs talk to Prism mocks of the three APIs (started from the package's bundled specs by the
 * `./testing` code): a preloaded module routes every address a spec names to its mock and refuses any other
 * request that would leave the machine. The credentials come from the environment, as the blocks say.
 */
import { execFile } from 'node:child_process';
import { mkdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../../scripts/lib/apis.js';
import { startMockServer, type MockApi, type MockServer } from '../../src/testing/index.js';
import { readmeBlocks, referenceBlocks, unmarkedReferenceBlocks, type CodeBlock } from './code-blocks.js';
import { packedProject, STRICT_NODE_NEXT, tsc } from './packed-project.js';

const run = promisify(execFile);
const blocks = [...(await readmeBlocks()), ...referenceBlocks()];
const file = (block: CodeBlock, index: number) => {
  const name = String(index).padStart(2, '0');
  if (block.kind === 'cjs') return { source: `blocks/cjs/${name}.cts`, output: `out/cjs/${name}.cjs` };
  return { source: `blocks/${block.kind}/${name}.ts`, output: `out/${block.kind}/${name}.js` };
};

/**
 * Preloaded into every run: the `fetch` of each mock, chained, so that the API's own addresses (and Pachca's
 * upload host, uNet's resource URI) reach the mocks; anything that is not loopback is refused.
 */
const PRELOAD = `import { appendFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createMockFetch } from 'messaging-api-clients/testing';

const platformFetch = globalThis.fetch;
const specs = path.join(path.dirname(fileURLToPath(import.meta.resolve('messaging-api-clients/package.json'))), 'dist', 'openapi');
// What is sent, logged: loopback only (the mocks themselves, and a mock a block starts on its own).
const loopback = (input, init) => {
  const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
  appendFileSync(process.env.REQUEST_LOG, url + '\\n');
  if (!/^http:\\/\\/127\\.0\\.0\\.1[:/]/.test(url)) return Promise.reject(new Error('the README test allows no request off this machine: ' + url));
  return platformFetch(input, init);
};
const mocks = await Promise.all(['pachca', 'ok', 'unet'].map((api) => createMockFetch(path.join(specs, api + '.json'), process.env['MOCK_' + api.toUpperCase()], loopback)));
// Each mock's fetch takes the addresses its spec names and refuses the others before sending: try them in turn.
globalThis.fetch = async (input, init) => {
  for (const mock of mocks) {
    try {
      return await mock(input, init);
    } catch (error) {
      if (error?.name !== 'UnmockedRequestError') throw error;
    }
  }
  return loopback(input, init);
};
`;

/** What the fragments assume, declared for their type-check only. */
const PRELUDE = `import type { IncomingMessage, ServerResponse } from 'node:http';
declare global {
  /** An Express app, as far as the fragments use it. */
  const app: { post(path: string, handler: (request: IncomingMessage, response: ServerResponse) => unknown): unknown };
}
export {};
`;

let project: string;
const mocks = new Map<MockApi, MockServer>();

beforeAll(async () => {
  ({ project } = await packedProject('readme-'));
  const started = await Promise.all(
    (['pachca', 'ok', 'unet'] as const).map(async (api) => [api, await startMockServer(api, { specPath: path.join(project, 'node_modules/messaging-api-clients/dist/openapi', `${api}.json`) })] as const),
  );
  for (const [api, mock] of started) mocks.set(api, mock);
  for (const kind of ['esm', 'cjs', 'fragment']) await mkdir(path.join(project, 'blocks', kind), { recursive: true });
  await writeFile(path.join(project, 'blocks/cjs/package.json'), JSON.stringify({ type: 'commonjs' }));
  await writeFile(path.join(project, 'blocks/fragment/prelude.d.ts'), PRELUDE);
  await writeFile(path.join(project, 'preload.mjs'), PRELOAD);
  // The file the examples upload.
  await writeFile(path.join(project, 'report.pdf'), '%PDF-1.4\n% a report\n');
  // The Redis fragments import ioredis, which a user installs beside the package.
  await mkdir(path.join(project, 'node_modules'), { recursive: true });
  // The test-file fragment imports vitest, which a user installs beside it.
  // The tracing setup imports the OpenTelemetry SDK, which a user installs beside it; npm would then keep one
  // copy of the API (the peer dependency) for the SDK and the package, so the project's gives way to the SDK's.
  await rm(path.join(project, 'node_modules/@opentelemetry/api'), { recursive: true, force: true });
  await mkdir(path.join(project, 'node_modules/@opentelemetry'), { recursive: true });
  for (const name of ['ioredis', 'vitest', '@opentelemetry/api', '@opentelemetry/sdk-trace-node', '@opentelemetry/sdk-metrics']) {
    await symlink(path.join(repoRoot, 'node_modules', name), path.join(project, 'node_modules', name), 'dir');
  }
  await Promise.all(
    blocks.map((block, index) =>
      writeFile(path.join(project, file(block, index).source), `// ${block.where}\n${block.code}export {};\n`),
    ),
  );
  const compilerOptions = { ...STRICT_NODE_NEXT, lib: ['ES2023'], skipLibCheck: true };
  await writeFile(
    path.join(project, 'tsconfig.runnable.json'),
    JSON.stringify({ compilerOptions: { ...compilerOptions, rootDir: 'blocks', outDir: 'out' }, include: ['blocks/esm', 'blocks/cjs'] }),
  );
  await writeFile(
    path.join(project, 'tsconfig.fragments.json'),
    JSON.stringify({ compilerOptions: { ...compilerOptions, noEmit: true }, include: ['blocks/fragment'] }),
  );
}, 180_000);

afterAll(async () => {
  await Promise.all([...mocks.values()].map((mock) => mock.close()));
  if (project) await rm(project, { recursive: true, force: true });
});

/** Runs tsc on a project file; on failure the message holds the compiler's output, which names the block's file. */
async function typeCheck(config: string): Promise<string> {
  try {
    await run(process.execPath, [tsc, '-p', path.join(project, config)], { cwd: project });
    return '';
  } catch (error) {
    return `${(error as { stdout?: string }).stdout ?? ''}${(error as { stderr?: string }).stderr ?? ''}` || String(error);
  }
}

describe('the code a user reads', () => {
  it('finds the README’s, the guides’ and the landing page’s TypeScript blocks, each runnable or marked as a fragment', () => {
    const readme = blocks.filter((block) => block.where.startsWith('README.md'));
    expect(readme.length).toBeGreaterThanOrEqual(9);
    expect(blocks.filter((block) => block.where.startsWith('guide-')).length).toBe(4);
    expect(blocks.filter((block) => block.where.startsWith('index.html')).length).toBe(3);
    expect(blocks.filter((block) => block.kind === 'cjs').length).toBe(1);
    // A guide's code is either marked as TypeScript (and so checked here) or is not code a user runs.
    expect(unmarkedReferenceBlocks()).toEqual([]);
    for (const block of blocks.filter((candidate) => candidate.kind === 'fragment')) {
      expect(block.code.split('\n', 1)[0], block.where).toMatch(/^\/\/ Fragment: .+\.$/);
    }
  });

  it('type-checks every runnable block as written, in a project made from the packed package', async () => {
    expect(await typeCheck('tsconfig.runnable.json')).toBe('');
  }, 120_000);

  it('type-checks every fragment, given only the names its first line says it assumes', async () => {
    expect(await typeCheck('tsconfig.fragments.json')).toBe('');
  }, 120_000);

  const runnable = blocks.map((block, index) => ({ block, index })).filter(({ block }) => block.kind !== 'fragment');
  it.each(runnable.map(({ block, index }) => [block.where, index] as const))('runs %s against the mocks', async (_where, index) => {
    const block = blocks[index] as CodeBlock;
    const log = path.join(project, `requests-${index}.log`);
    await writeFile(log, '');
    const env = {
      ...process.env,
      // Prism, for the block that starts a mock itself: an optional peer the consumer would install.
      NODE_PATH: path.join(repoRoot, 'node_modules'),
      REQUEST_LOG: log,
      MOCK_PACHCA: mocks.get('pachca')?.url,
      MOCK_OK: mocks.get('ok')?.url,
      MOCK_UNET: mocks.get('unet')?.url,
      PACHCA_TOKEN: 'readme-pachca-token',
      PACHCA_SIGNING_SECRET: 'readme-signing-secret',
      OK_ACCESS_TOKEN: 'tkn1:readme-ok-token',
      UNET_ACCESS_TOKEN: 'readme-unet-token',
      UNET_RESOURCE_URI: 'https://3801130518.unet.com/api/',
      UNET_CLIENT_ID: 'readme-client',
      UNET_CLIENT_SECRET: 'readme-client-secret',
    };
    const result = await run(process.execPath, ['--import', './preload.mjs', file(block, index).output], { cwd: project, env, timeout: 60_000 }).catch(
      (error: { stdout?: string; stderr?: string; message: string }) => {
        throw new Error(`${block.where} failed:\n${error.stderr ?? ''}${error.stdout ?? ''}\n${error.message}`);
      },
    );
    expect(result.stderr).toBe('');
    const requests = (await readFile(log, 'utf8')).split('\n').filter(Boolean);
    // Every request reached a mock (the preload refuses the others); a block that awaits at its top level made some.
    for (const url of requests) expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+(\/|$)/);
    if (/^(?:const [^=]+= )?(?:for )?await /m.test(block.code)) expect(requests.length, block.where).toBeGreaterThan(0);
  }, 90_000);
});
