/**
 * The package as a user gets it: `npm pack`, install the tarball into a fresh project, type-check and run a
 * program that imports every subpath the way the README shows and calls a Prism mock of each API (started with
 * the package's own `./testing` subpath). It fails if an import path, a type or a runtime file is missing from
 * the tarball. Needs `npm run build` first (the package is built from `dist/`).
 */
import { execFileSync } from 'node:child_process';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../../scripts/lib/apis.js';
import { npm, packedProject, STRICT_NODE_NEXT, tsc } from './packed-project.js';

let project: string;
let tarball: string;

const PROGRAM = `
import { createPachcaClient, ButtonLayoutError, type Message } from 'messaging-api-clients/pachca';
import { createPachcaCore, getMessage } from 'messaging-api-clients/pachca/operations';
import { createOkClient, sendText, setTitle, sendToUsers, OkApiError } from 'messaging-api-clients/ok';
import { createUnetAuth, createUnetClient } from 'messaging-api-clients/unet';
import { ClientError, NotFoundError, defaultRetryPolicy, type RetryPolicy } from 'messaging-api-clients/core';
import { createUndiciFetch } from 'messaging-api-clients/node';
import { createFakeApi, startMockServer, UnmockedRequestError } from 'messaging-api-clients/testing';

const retry: Partial<RetryPolicy> = { maxRetries: defaultRetryPolicy.maxRetries };
const results: Record<string, unknown> = {};

// The upload host and uNet's OAuth host are the spec's own: the mocks answer for them when asked to.
const pachcaMock = await startMockServer('pachca', { serveSpecServers: true });
const okMock = await startMockServer('ok', { serveSpecServers: true });
const unetMock = await startMockServer('unet', { serveSpecServers: true });
try {
  const pachca = createPachcaClient({ token: 'test-token', ...pachcaMock.clientOptions, retry });
  const sent: { data: Message } = await pachca.createMessage({ body: { message: { entity_id: 198, content: 'Hello' } } });
  results.pachcaSent = sent.data.id;
  const file = await pachca.uploadFile({ data: 'report', name: 'report.txt', contentType: 'text/plain' });
  results.pachcaFile = file.name;
  const missing = await pachca.getMessage({ id: 1 }, { headers: { Prefer: 'code=404' } }).catch((e: unknown) => e);
  results.pachcaNotFound = missing instanceof NotFoundError && missing instanceof ClientError;
  results.pachcaButtons = await pachca
    .createMessage({ body: { message: { entity_id: 1, content: 'x', buttons: [Array.from({ length: 9 }, (_, i) => ({ text: String(i) }))] } } })
    .catch((e: unknown) => e instanceof ButtonLayoutError);

  const overNode = createPachcaClient({ token: 'test-token', baseUrl: pachcaMock.url, fetch: createUndiciFetch() });
  results.nodeTransport = (await overNode.getMessage({ id: 194275 })).data.id;
  const core = createPachcaCore({ token: 'test-token', baseUrl: pachcaMock.url, fetch: pachcaMock.fetch });
  results.standalone = (await getMessage(core, { id: 194275 })).data.id;

  const ok = createOkClient({ accessToken: 'tkn1:secret', ...okMock.clientOptions });
  results.okSeq = (await ok.listMessages({ chat_id: 'chat:C3ecb9d02a600' })).messages[0]?.message.seq;
  await ok.send(setTitle('chat:C3ecb9d02a600', 'Renamed'));
  results.okMass = await ok.send(sendToUsers(['user:1', '2'], 'Hello'));
  await ok.send(sendText('chat:C3ecb9d02a600', 'Hi'));
  results.okError = (await ok.getInfo({}, { headers: { Prefer: 'example=error' } }).catch((e: unknown) => e)) instanceof OkApiError;

  const auth = createUnetAuth({ clientId: '1', clientSecret: 'secret', redirectUri: 'https://example.com/cb', ...unetMock.clientOptions });
  const tokens = await auth.exchangeCode('code');
  const unet = createUnetClient({ tokens, auth, ...unetMock.clientOptions });
  results.unetChats = (await unet.listChats()).items?.length;
  results.unetExpiresIn = tokens.expiresIn;
  results.refused = (await pachcaMock.fetch('https://example.com/x').catch((e: unknown) => e)) instanceof UnmockedRequestError;

  // The in-process fake runs from the package alone: its checks were compiled when the package was built.
  const fake = await createFakeApi('pachca');
  const faked = createPachcaClient({ token: 'test-token', ...fake.clientOptions });
  const created = await faked.createMessage({ body: { message: { entity_id: 334, content: 'Hello' } } });
  results.fakeRoundTrip = (await faked.getMessage({ id: created.data.id })).data.content;
  fake.expectSent('createMessage', { message: { content: 'Hello' } });
} finally {
  await Promise.all([pachcaMock.close(), okMock.close(), unetMock.close()]);
}
console.log(JSON.stringify(results));
`;

beforeAll(async () => {
  ({ project, tarball } = await packedProject('consumer-'));
  await writeFile(path.join(project, 'program.ts'), PROGRAM);
  await writeFile(
    path.join(project, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: {
        ...STRICT_NODE_NEXT,
        exactOptionalPropertyTypes: true,
        noUncheckedIndexedAccess: true,
        lib: ['ES2023', 'DOM'],
        outDir: 'out',
      },
      files: ['program.ts'],
    }),
  );
}, 180_000);

afterAll(async () => {
  if (project) await rm(project, { recursive: true, force: true });
});

/** The oldest TypeScript the published types compile with (README "Package"). */
const MIN_TYPESCRIPT = '5.4.5';

/**
 * Writes a project that imports every subpath into `file`, with a Node-only `lib` (no DOM), strict, and no
 * `skipLibCheck`, so that every published declaration is checked. Returns its folder.
 */
async function nodeOnlyProject(name: string, file: string, packageJson: Record<string, unknown>): Promise<string> {
  const dir = path.join(project, name);
  await mkdir(dir, { recursive: true });
  const imports = SUBPATHS.map((subpath, i) => `import * as m${i} from '${subpath}';`).join('\n');
  await writeFile(path.join(dir, file), `${imports}\nexport const all = [${SUBPATHS.map((_, i) => `m${i}`).join(', ')}];\n`);
  await writeFile(path.join(dir, 'package.json'), JSON.stringify(packageJson));
  await writeFile(
    path.join(dir, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: { ...STRICT_NODE_NEXT, lib: ['ES2023'], noEmit: true, skipLibCheck: false },
      files: [file],
    }),
  );
  return dir;
}

const SUBPATHS = ['messaging-api-clients', 'messaging-api-clients/core', 'messaging-api-clients/pachca', 'messaging-api-clients/ok', 'messaging-api-clients/unet', 'messaging-api-clients/pachca/operations', 'messaging-api-clients/ok/operations', 'messaging-api-clients/unet/operations', 'messaging-api-clients/node', 'messaging-api-clients/testing'];

describe('the package in every kind of project', () => {
  it('is required by a CommonJS program, every subpath, on Node 20.19+', async () => {
    const program = `const names = ${JSON.stringify(SUBPATHS)};
const loaded = names.map((name) => Object.keys(require(name)).length);
console.log(JSON.stringify(loaded));`;
    await writeFile(path.join(project, 'program.cjs'), program);
    const output = execFileSync(process.execPath, [path.join(project, 'program.cjs')], { cwd: project, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    const counts = JSON.parse(output.trim().split('\n').pop() ?? '[]') as number[];
    expect(counts).toHaveLength(SUBPATHS.length);
    for (const count of counts) expect(count).toBeGreaterThan(0);
  }, 60_000);

  it('type-checks in a Node-only project (no DOM lib) without skipLibCheck, ESM and CommonJS alike', async () => {
    for (const [kind, type, file] of [['esm', 'module', 'node-only.mts'], ['cjs', 'commonjs', 'node-only.cts']] as const) {
      const dir = await nodeOnlyProject(`node-only-${kind}`, file, { type });
      execFileSync(process.execPath, [tsc, '-p', dir], { cwd: project, stdio: ['ignore', 'pipe', 'pipe'] });
    }
  }, 120_000);

  it(`type-checks with the oldest TypeScript it supports, ${MIN_TYPESCRIPT}`, async () => {
    // openapi-fetch's own declarations need 5.4; the package's need nothing newer.
    const dir = await nodeOnlyProject('min-typescript', 'program.ts', { name: 'min-typescript', private: true, type: 'module' });
    execFileSync(npm, ['install', tarball, `typescript@${MIN_TYPESCRIPT}`, '--prefer-offline', '--no-audit', '--no-fund', '--ignore-scripts', '--silent'], {
      cwd: dir,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const version = execFileSync(process.execPath, [path.join(dir, 'node_modules', 'typescript', 'bin', 'tsc'), '-v'], { encoding: 'utf8' });
    expect(version).toContain(MIN_TYPESCRIPT);
    execFileSync(process.execPath, [path.join(dir, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', dir], { stdio: ['ignore', 'pipe', 'pipe'] });
  }, 180_000);

  it('bundles for the browser without any Node built-in', async () => {
    const { build } = await import('esbuild');
    const result = await build({
      stdin: {
        contents: `import { createPachcaClient } from 'messaging-api-clients/pachca';
import { createOkClient } from 'messaging-api-clients/ok';
import { createUnetClient } from 'messaging-api-clients/unet';
console.log(createPachcaClient, createOkClient, createUnetClient);`,
        resolveDir: project,
      },
      bundle: true,
      platform: 'browser',
      format: 'esm',
      write: false,
      logLevel: 'silent',
    });
    const code = new TextDecoder().decode(result.outputFiles[0]?.contents);
    expect(code).not.toMatch(/from\s*["']node:/);
    expect(code.length).toBeGreaterThan(1000);
  }, 60_000);

  it('says which peer to install when ./testing is used without Prism', async () => {
    await writeFile(
      path.join(project, 'no-prism.mjs'),
      `import { startMockServer } from 'messaging-api-clients/testing';
try { await startMockServer('pachca'); } catch (error) { console.log(JSON.stringify({ name: error.name, message: error.message })); }`,
    );
    // Without NODE_PATH the consumer has no Prism: the optional peer is missing.
    const env = { ...process.env };
    delete env.NODE_PATH;
    const output = execFileSync(process.execPath, [path.join(project, 'no-prism.mjs')], { cwd: project, encoding: 'utf8', env });
    const error = JSON.parse(output.trim()) as { name: string; message: string };
    expect(error.name).toBe('MissingPrismError');
    expect(error.message).toContain('@stoplight/prism-cli');
    expect(error.message).toContain('npm install --save-dev @stoplight/prism-cli');
  }, 60_000);

  it('passes attw for the ESM-only profile, and publint', () => {
    const bin = (name: string) => path.join(repoRoot, 'node_modules', '.bin', name);
    // attw exits non-zero on any problem its profile does not ignore (esm-only ignores node10 and CommonJS
    // resolution; README "Package" says why).
    const attw = execFileSync(bin('attw'), [tarball, '--profile', 'esm-only'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    const problems = attw.split('\n').filter((line) => /💀|⚠️|❌|🐛|🥴|❗️/.test(line) && !line.includes('(ignored'));
    expect(problems).toEqual([]);
    const publint = execFileSync(bin('publint'), ['run', repoRoot, '--strict'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    expect(publint).toContain('All good!');
  }, 120_000);
});

describe('the packed package', () => {
  it('holds the built JavaScript, declarations and bundled specs, and nothing else', () => {
    const listing = execFileSync('tar', ['-tzf', tarball], { encoding: 'utf8' }).split('\n').filter(Boolean);
    for (const file of [
      'package/dist/src/pachca/index.js',
      'package/dist/src/pachca/index.d.ts',
      'package/dist/src/pachca/index.d.ts.map',
      'package/src/pachca/index.ts',
      'package/dist/generated/ok.js',
      'package/dist/generated/pachca-fake.js',
      'package/dist/openapi/unet.json',
      'package/README.md',
      'package/CHANGELOG.md',
      'package/LICENSE',
    ]) {
      expect(listing).toContain(file);
    }
    // The sources are there for the declaration maps; tests, specs, scripts and benchmarks are not.
    expect(listing.filter((file) => /^package\/(test|specs|scripts|bench)\//.test(file))).toEqual([]);
  });

  it('type-checks a program that imports every subpath', () => {
    execFileSync(process.execPath, [tsc, '-p', project], { stdio: ['ignore', 'pipe', 'pipe'] });
  }, 120_000);

  it('runs that program against the Prism mocks', () => {
    // Prism is an optional peer dependency; the consumer finds this repository's copy through NODE_PATH.
    const output = execFileSync(process.execPath, [path.join(project, 'out', 'program.js')], {
      cwd: project,
      encoding: 'utf8',
      env: { ...process.env, NODE_PATH: path.join(repoRoot, 'node_modules') },
    });
    expect(JSON.parse(output.trim().split('\n').pop() ?? '{}')).toEqual({
      pachcaSent: 194275,
      pachcaFile: 'report.txt',
      pachcaNotFound: true,
      pachcaButtons: true,
      nodeTransport: 194275,
      standalone: 194275,
      okSeq: '98211023614189660',
      okMass: { success: [true, false], chat_ids: ['chat:C401b13206b00', null] },
      okError: true,
      unetChats: 2,
      unetExpiresIn: 43200,
      refused: true,
      fakeRoundTrip: 'Hello',
    });
  }, 120_000);
});
