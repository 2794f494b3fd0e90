/**
 * The contract tests' global setup: bundle every spec named in redocly.yaml, start one Prism mock per API on a
 * free port, hand their URLs to the tests, and stop them afterwards. The exchange log (see vitest.config.ts)
 * starts empty; test/coverage reads it once every contract test has run.
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
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const workDir = await mkdtemp(path.join(tmpdir(), 'contract-'));
  const specs = await writeBundles(path.join(workDir, 'specs'));
  const servers: [string, MockServer][] = await Promise.all(
    Object.entries(specs).map(async ([api, specPath]) => [api, await startMockServer(api as MockApi, { specPath })] as [string, MockServer]),
  );
  const exchangeLog = project.config.provide.exchangeLog;
  if (!exchangeLog) throw new Error('vitest.config.ts must provide exchangeLog to the contract project');
  await writeFile(exchangeLog, '');
  project.provide(
    'mocks',
    Object.fromEntries(servers.map(([api, server]) => [api, { url: server.url, specPath: specs[api] as string }])),
  );

  return async () => {
    await Promise.all(servers.map(([, server]) => server.close()));
    await rm(workDir, { recursive: true, force: true });
  };
}
