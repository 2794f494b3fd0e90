/**
 * The contract tests' global setup: bundle every spec named in redocly.yaml, start one Prism mock per API on a
 * free port, hand their URLs to the tests, and stop them afterwards. The contract suites run three times (over
 * `fetch` and over the undici transport, and against the in-process fake, as three vitest projects; the fake's
 * run reads only the bundled specs); all share one set of mocks, started by whichever
 * project comes first and stopped when the last is done. The exchange log (see vitest.config.ts) starts empty;
 * test/coverage reads it once every contract test has run.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { writeBundles } from '../../scripts/lib/apis.js';
import { startMockServer, type MockApi, type MockServer } from '../../src/testing/index.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Per API: the mock's base URL and the bundled spec it serves. */
    mocks: Record<string, { url: string; specPath: string }>;
    /** Where the contract tests append one JSON line per exchange with a mock. */
    exchangeLog: string;
    /** What the contract tests' clients talk to: Prism over the platform's fetch or the undici transport, or the fake. */
    transport: 'fetch' | 'undici' | 'fake';
  }
}

interface SharedMocks {
  readonly mocks: Record<string, { url: string; specPath: string }>;
  readonly close: () => Promise<void>;
  users: number;
}

const shared = globalThis as { contractMocks?: Promise<SharedMocks> };

async function startMocks(exchangeLog: string): Promise<SharedMocks> {
  const workDir = await mkdtemp(path.join(tmpdir(), 'contract-'));
  await writeFile(exchangeLog, '');
  const specs = await writeBundles(path.join(workDir, 'specs'));
  const servers: [string, MockServer][] = await Promise.all(
    Object.entries(specs).map(async ([api, specPath]) => [api, await startMockServer(api as MockApi, { specPath })] as [string, MockServer]),
  );
  return {
    mocks: Object.fromEntries(servers.map(([api, server]) => [api, { url: server.url, specPath: specs[api] as string }])),
    async close() {
      await Promise.all(servers.map(([, server]) => server.close()));
      await rm(workDir, { recursive: true, force: true });
    },
    users: 0,
  };
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const exchangeLog = project.config.provide.exchangeLog;
  if (!exchangeLog) throw new Error('vitest.config.ts must provide exchangeLog to the contract projects');
  shared.contractMocks ??= startMocks(exchangeLog);
  const state = await shared.contractMocks;
  state.users++;
  project.provide('mocks', state.mocks);
  return async () => {
    state.users--;
    if (state.users === 0) {
      delete shared.contractMocks;
      await state.close();
    }
  };
}
