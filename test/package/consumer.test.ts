/**
 * The package as a user gets it: `npm pack`, install the tarball into a fresh project, type-check and run a
 * program that imports every subpath the way the README shows and calls a Prism mock of each API (started with
 * the package's own `./testing` subpath). It fails if an import path, a type or a runtime file is missing from
 * the tarball. Needs `npm run build` first (the package is built from `dist/`).
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../../scripts/lib/apis.js';

const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
let project: string;
let tarball: string;

const PROGRAM = `
import { createPachcaClient, ButtonLayoutError, type Message } from 'messaging-api-clients/pachca';
import { createOkClient, sendText, setTitle, sendToUsers, OkApiError } from 'messaging-api-clients/ok';
import { createUnetAuth, createUnetClient } from 'messaging-api-clients/unet';
import { ClientError, NotFoundError, defaultRetryPolicy, type RetryPolicy } from 'messaging-api-clients/core';
import { createUndiciFetch } from 'messaging-api-clients/node';
import { startMockServer } from 'messaging-api-clients/testing';

const retry: Partial<RetryPolicy> = { maxRetries: defaultRetryPolicy.maxRetries };
const results: Record<string, unknown> = {};

const pachcaMock = await startMockServer('pachca');
const okMock = await startMockServer('ok');
const unetMock = await startMockServer('unet');
try {
  const pachca = createPachcaClient({ token: 'test-token', baseUrl: pachcaMock.url, fetch: pachcaMock.fetch, retry });
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

  const ok = createOkClient({ accessToken: 'tkn1:secret', baseUrl: okMock.url, fetch: okMock.fetch });
  results.okSeq = (await ok.listMessages({ chat_id: 'chat:C3ecb9d02a600' })).messages[0]?.message.seq;
  await ok.send(setTitle('chat:C3ecb9d02a600', 'Renamed'));
  results.okMass = await ok.send(sendToUsers(['user:1', '2'], 'Hello'));
  await ok.send(sendText('chat:C3ecb9d02a600', 'Hi'));
  results.okError = (await ok.getInfo({}, { headers: { Prefer: 'example=error' } }).catch((e: unknown) => e)) instanceof OkApiError;

  const auth = createUnetAuth({ clientId: '1', clientSecret: 'secret', redirectUri: 'https://example.com/cb', fetch: unetMock.fetch });
  const tokens = await auth.exchangeCode('code');
  const unet = createUnetClient({ tokens, auth, fetch: unetMock.fetch });
  results.unetChats = (await unet.listChats()).items?.length;
  results.unetExpiresIn = tokens.expiresIn;
} finally {
  await Promise.all([pachcaMock.close(), okMock.close(), unetMock.close()]);
}
console.log(JSON.stringify(results));
`;

beforeAll(async () => {
  if (!existsSync(path.join(repoRoot, 'dist', 'src', 'pachca', 'index.js'))) throw new Error('dist/ is not built: run `npm run build` first');
  project = await mkdtemp(path.join(tmpdir(), 'consumer-'));
  execFileSync(npm, ['pack', '--pack-destination', project, '--silent'], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'inherit'] });
  const [name] = (await readdir(project)).filter((file) => file.endsWith('.tgz'));
  tarball = path.join(project, name as string);
  await writeFile(path.join(project, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }));
  execFileSync(npm, ['install', tarball, '--prefer-offline', '--no-audit', '--no-fund', '--ignore-scripts', '--silent'], {
    cwd: project,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  await writeFile(path.join(project, 'program.ts'), PROGRAM);
  await writeFile(
    path.join(project, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: {
        target: 'ES2022',
        module: 'NodeNext',
        moduleResolution: 'NodeNext',
        strict: true,
        exactOptionalPropertyTypes: true,
        noUncheckedIndexedAccess: true,
        lib: ['ES2023', 'DOM'],
        outDir: 'out',
        typeRoots: [path.join(repoRoot, 'node_modules', '@types')],
        types: ['node'],
      },
      files: ['program.ts'],
    }),
  );
}, 180_000);

afterAll(async () => {
  if (project) await rm(project, { recursive: true, force: true });
});

describe('the packed package', () => {
  it('holds the built JavaScript, declarations and bundled specs, and nothing else', () => {
    const listing = execFileSync('tar', ['-tzf', tarball], { encoding: 'utf8' }).split('\n').filter(Boolean);
    for (const file of ['package/dist/src/pachca/index.js', 'package/dist/src/pachca/index.d.ts', 'package/dist/generated/ok.js', 'package/dist/openapi/unet.json', 'package/README.md']) {
      expect(listing).toContain(file);
    }
    expect(listing.filter((file) => /^package\/(src|test|specs|scripts|bench)\//.test(file))).toEqual([]);
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
      okSeq: '98211023614189660',
      okMass: { success: [true, false], chat_ids: ['chat:C401b13206b00', null] },
      okError: true,
      unetChats: 2,
      unetExpiresIn: 43200,
    });
  }, 120_000);
});
