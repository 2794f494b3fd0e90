/**
 * The Fetch form of the webhook handlers on another runtime than Node: the package's webhook code, bundled as a
 * user's bundler would, runs under Deno with Deno's own Request, Response and Web Crypto, and accepts a signed
 * delivery while refusing a forged one. Deno comes from the `deno` npm package, installed by the test into a
 * scratch folder (a devDependency cannot be locked: the registry lacks its other platforms' binaries).
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../../scripts/lib/apis.js';

const run = promisify(execFile);

/** The version of Deno the test runs on. */
const DENO_VERSION = '2.9.6';

/** Installs the `deno` npm package into `dir` and returns the binary it ships for this platform. */
async function installDeno(dir: string): Promise<string> {
  await writeFile(path.join(dir, 'package.json'), JSON.stringify({ name: 'deno-runner', private: true }));
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  await run(npm, ['install', `deno@${DENO_VERSION}`, '--no-audit', '--no-fund', '--ignore-scripts', '--silent'], { cwd: dir });
  const binary = ['linux-x64-glibc', 'linux-arm64-glibc', 'darwin-x64', 'darwin-arm64']
    .map((platform) => path.join(dir, 'node_modules', '@deno', platform, 'deno'))
    .find((candidate) => existsSync(candidate));
  if (!binary) throw new Error(`the deno@${DENO_VERSION} package has no binary for ${process.platform}-${process.arch}`);
  return binary;
}

const SCRIPT = `
import { createPachcaWebhookHandler, signPachcaWebhook, createOkWebhookHandler } from './bundle.js';
const kinds = [];
const pachca = createPachcaWebhookHandler({ signingSecret: 'deno-secret-0123456789', on: { button: (event) => kinds.push('button:' + event.data) } });
const signed = await signPachcaWebhook({ type: 'button', event: 'click', message_id: 1, trigger_id: 't', data: 'ok', user_id: 2, chat_id: 3 }, 'deno-secret-0123456789');
const good = await pachca.fetch(new Request('http://localhost/hook', { method: 'POST', headers: signed.headers, body: signed.body }));
const forged = await pachca.fetch(new Request('http://localhost/hook', { method: 'POST', headers: signed.headers, body: signed.body.replace('"ok"', '"no"') }));
const ok = createOkWebhookHandler({ on: { callback: (event) => kinds.push('callback:' + event.callbackId) } });
const callback = await ok.fetch(new Request('http://localhost/ok', { method: 'POST', body: JSON.stringify({ webhookType: 'MESSAGE_CALLBACK', callbackId: 'cb' }) }));
console.log(JSON.stringify({ runtime: typeof Deno === 'object' ? 'deno ' + Deno.version.deno : 'unknown', good: good.status, forged: forged.status, callback: callback.status, kinds }));
`;

describe('the Fetch form on Deno', () => {
  it('accepts a signed Pachca delivery, refuses a forged one, and takes an OK event', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'deno-webhooks-'));
    try {
      const deno = await installDeno(dir);
      await build({
        stdin: {
          contents: `export { createPachcaWebhookHandler, signPachcaWebhook } from './src/pachca/webhooks.ts';\nexport { createOkWebhookHandler } from './src/ok/webhooks.ts';`,
          resolveDir: repoRoot,
          loader: 'ts',
        },
        bundle: true,
        format: 'esm',
        platform: 'neutral',
        outfile: path.join(dir, 'bundle.js'),
        logLevel: 'error',
      });
      await writeFile(path.join(dir, 'main.js'), SCRIPT);
      const { stdout } = await run(deno, ['run', '--quiet', '--no-prompt', '--no-remote', path.join(dir, 'main.js')], {
        cwd: dir,
        env: { ...process.env, DENO_DIR: path.join(dir, '.deno'), DENO_NO_UPDATE_CHECK: '1' },
      });
      const result = JSON.parse(stdout.trim()) as Record<string, unknown>;
      expect(result.runtime).toMatch(/^deno \d/);
      expect(result).toMatchObject({ good: 200, forged: 401, callback: 200, kinds: ['button:ok', 'callback:cb'] });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 180_000);
});
