/**
 * A Prism mock started as a user would, and its `clientOptions`: with them no request leaves the machine. The old
 * trap (a client pointed at the mock that then uploads a file to the upload host an answer names) is refused before
 * anything is sent, and so is any other URL that is not the mock's.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { writeBundles } from '../../scripts/lib/apis.js';
import { ClientError } from '../../src/core/index.js';
import { createPachcaClient } from '../../src/pachca/index.js';
import { startMockServer, UnmockedRequestError, type MockServer } from '../../src/testing/index.js';

let dir: string;
let mock: MockServer;
const sent: string[] = [];
const platformFetch = globalThis.fetch;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'mock-guard-'));
  const specs = await writeBundles(dir);
  // Every request that really goes out passes through here; the mock's own readiness checks included.
  globalThis.fetch = (input, init) => {
    sent.push(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url);
    return platformFetch(input, init);
  };
  mock = await startMockServer('pachca', { specPath: specs.pachca as string });
}, 60_000);

afterAll(async () => {
  globalThis.fetch = platformFetch;
  await mock?.close();
  await rm(dir, { recursive: true, force: true });
});

it('gives the client options to use, and with them a call reaches the mock', async () => {
  expect(mock.clientOptions).toEqual({ baseUrl: mock.url, fetch: mock.fetch });
  const pachca = createPachcaClient({ token: 'test-token-1234', ...mock.clientOptions });
  expect((await pachca.getMessage({ id: 194275 })).data.id).toBe(194275);
});

it('refuses the old trap: uploadFile’s upload to the host the answer names is refused, and nothing is sent there', async () => {
  sent.length = 0;
  const pachca = createPachcaClient({ token: 'test-token-1234', ...mock.clientOptions, retry: { maxRetries: 3, baseDelayMs: 1 } });
  const error = await pachca.uploadFile({ data: 'report', name: 'report.txt', contentType: 'text/plain' }).catch((caught: unknown) => caught);
  expect(error).toBeInstanceOf(UnmockedRequestError);
  expect(error).toBeInstanceOf(ClientError);
  expect(error).toMatchObject({ method: 'POST', url: 'https://api.pachca.com/api/v3/direct_upload', served: [mock.url] });
  expect((error as Error).message).toContain('was refused and not sent');
  // The upload parameters came from the mock; the upload itself never left: not retried, not sent.
  expect(sent).toEqual([`${mock.url}/uploads`]);
});

it('refuses a per-call baseUrl that leaves the mock, and a bare fetch of a production URL', async () => {
  sent.length = 0;
  const pachca = createPachcaClient({ token: 'test-token-1234', ...mock.clientOptions });
  await expect(pachca.getMessage({ id: 194275 }, { baseUrl: 'https://api.pachca.com/api/shared/v1' })).rejects.toBeInstanceOf(UnmockedRequestError);
  await expect(mock.fetch('https://api.pachca.com/api/shared/v1/messages/194275?token=x')).rejects.toMatchObject({
    name: 'UnmockedRequestError',
    url: 'https://api.pachca.com/api/shared/v1/messages/194275',
  });
  expect(sent).toEqual([]);
});

it('answers for the spec’s other hosts only when asked to, and then sends them to the mock', async () => {
  const serving = await startMockServer('pachca', { specPath: path.join(dir, 'pachca.json'), serveSpecServers: true });
  try {
    sent.length = 0;
    const pachca = createPachcaClient({ token: 'test-token-1234', ...serving.clientOptions });
    const file = await pachca.uploadFile({ data: 'report', name: 'report.txt', contentType: 'text/plain' });
    expect(file.name).toBe('report.txt');
    expect(sent).toEqual([`${serving.url}/uploads`, `${serving.url}/direct_upload`]);
    await expect(serving.fetch('https://example.com/elsewhere')).rejects.toBeInstanceOf(UnmockedRequestError);
  } finally {
    await serving.close();
  }
}, 60_000);
