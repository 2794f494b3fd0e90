/**
 * Validating mock servers for tests: a Prism process started from one of this library's specs, on a free
 * loopback port. Prism checks every request against the spec (a wrong body gets a 422 back) and answers with
 * the spec's examples, so a bot's tests can run with no credentials and no network. A client given the mock's
 * `clientOptions` sends only to the mock: any other URL is refused before anything is sent.
 *
 * Needs `@stoplight/prism-cli` (`>=5.14.2 <6`: 5.14 runs on Node 20, 5.15 and later need Node 24) installed next to
 * this package, an optional peer dependency; without it `startMockServer` throws a `MissingPrismError` naming it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FetchFunction } from '../core/client/types.js';
import { requestMethod, requestUrl, serverPattern, UnmockedRequestError } from './guard.js';

/** The APIs whose bundled specs ship with this package. */
export type MockApi = 'pachca' | 'ok' | 'unet';

/** Options of {@link startMockServer}. */
export interface MockServerOptions {
  /**
   * A bundled OpenAPI document to serve instead of the one shipped for the API.
   * @default the package's `openapi/<api>.json`
   */
  readonly specPath?: string;
  /**
   * The port to listen on.
   * @default a free port chosen by the system
   */
  readonly port?: number;
  /**
   * Generate responses from the schemas instead of serving the spec's examples.
   * @default false
   */
  readonly dynamic?: boolean;
  /**
   * Also answer requests for the other servers the spec names (Pachca's upload host, OK's upload host, uNet's
   * OAuth host), by sending them to the same path under the mock. Off, a request to any URL but the mock's own is
   * refused with an `UnmockedRequestError` (so `uploadFile`, whose upload address comes from the answer, is
   * refused); the in-process fake (`createFakeApi`) answers those hosts itself.
   * @default false
   */
  readonly serveSpecServers?: boolean;
  /**
   * How long to wait for Prism to start, in milliseconds.
   * @default 30000
   */
  readonly startTimeoutMs?: number;
}

/** What a mock gives a client: spread it into the client's options. */
export interface MockClientOptions {
  /** The mock's base URL. */
  readonly baseUrl: string;
  /** Sends only to the mock; refuses any other URL with an `UnmockedRequestError`, sending nothing. */
  readonly fetch: FetchFunction;
}

/** A running mock server. */
export interface MockServer {
  /** The base URL to give a client, such as `http://127.0.0.1:41234`. */
  readonly url: string;
  /** The port it listens on. */
  readonly port: number;
  /**
   * The options to give a client, `{ baseUrl, fetch }`: `createPachcaClient({ token, ...mock.clientOptions })`.
   * With them no request leaves the machine: the `fetch` sends only to this mock and refuses any other URL (an
   * upload address an answer carried, a per-call `baseUrl`) with an `UnmockedRequestError`, before anything is sent.
   */
  readonly clientOptions: MockClientOptions;
  /** The `fetch` of {@link clientOptions}, for a client or a test that needs it alone. */
  readonly fetch: typeof fetch;
  /** Everything Prism printed so far (useful when a test fails). */
  output(): string;
  /** Stops the server and waits for the process to exit. */
  close(): Promise<void>;
}

/** Finds a free TCP port on the loopback interface. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/** The Prism versions this package's mocks were run with: 5.14 on Node 20; 5.15 and later need Node 24. */
export const PRISM_PEER_RANGE = '>=5.14.2 <6';

/** Thrown when `@stoplight/prism-cli`, an optional peer dependency, is not installed. */
export class MissingPrismError extends Error {
  override name = 'MissingPrismError';
  constructor(cause: unknown) {
    super(
      `startMockServer needs @stoplight/prism-cli (${PRISM_PEER_RANGE}), an optional peer dependency of this package. ` +
        'Install it beside it: npm install --save-dev @stoplight/prism-cli',
      { cause },
    );
  }
}

function prismEntry(): string {
  const require = createRequire(import.meta.url);
  let manifest: string;
  try {
    manifest = require.resolve('@stoplight/prism-cli/package.json');
  } catch (error) {
    throw new MissingPrismError(error);
  }
  return path.join(path.dirname(manifest), 'dist', 'index.js');
}

/**
 * Prism explains a refused request only in its `sl-violations` header, and answers with the spec's error example,
 * which is about some other request (its own canned field and code). The mock's fetch puts the explanation into
 * the status text and drops the canned body, so the error a client throws says why, and only that.
 */
function explainRefusal(response: Response): Response {
  const violations = response.headers.get('sl-violations');
  if (response.status !== 422 || !violations) return response;
  let reasons: string[];
  try {
    reasons = (JSON.parse(violations) as { message?: string; path?: string[] }[]).map(
      (violation) => `${violation.path?.join('.') ?? ''} ${violation.message ?? ''}`.trim(),
    );
  } catch {
    reasons = [violations];
  }
  // A status text holds no line breaks or non-Latin-1 characters.
  const statusText = `Refused by the mock: ${reasons.join('; ')}`.replace(/[^\x20-\x7e]/g, '?').slice(0, 500);
  void response.body?.cancel().catch(() => undefined);
  const headers = new Headers(response.headers);
  for (const name of ['content-type', 'content-length', 'content-encoding']) headers.delete(name);
  return new Response(null, { status: response.status, statusText, headers });
}

function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const force = setTimeout(() => child.kill('SIGKILL'), 5000);
    child.once('exit', () => {
      clearTimeout(force);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

async function answers(url: string): Promise<boolean> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(1000) });
    await response.arrayBuffer();
    return true;
  } catch {
    return false;
  }
}

/** Every server URL a spec names, at its root and on its paths, longest first. */
async function specServers(specPath: string): Promise<string[]> {
  const doc = JSON.parse(await readFile(specPath, 'utf8')) as {
    servers?: { url: string }[];
    paths?: Record<string, { servers?: { url: string }[] }>;
  };
  const urls = [...(doc.servers ?? []), ...Object.values(doc.paths ?? {}).flatMap((item) => item.servers ?? [])]
    .map((server) => server.url.replace(/\/+$/, ''))
    .filter((url) => /^https?:\/\//.test(url));
  return [...new Set(urls)].sort((a, b) => b.length - a.length);
}

/** Options of {@link createMockFetch}. */
export interface MockFetchOptions {
  /**
   * Send requests for the servers the spec names (the API's own, and hosts such as Pachca's upload URL) to the
   * same path under the mock. Off, only URLs under the mock's own are sent and those are refused as well.
   * @default true
   */
  readonly serveSpecServers?: boolean;
}

/**
 * A `fetch` that sends only to a mock: a URL under `mockUrl` goes there, a URL under a server the spec names is
 * sent to the same path under `mockUrl` (unless `serveSpecServers` is off), and any other URL is refused with an
 * `UnmockedRequestError` before anything is sent. `startMockServer` returns one ready-made as `clientOptions.fetch`.
 *
 * @param specPath - the bundled OpenAPI document (JSON) the mock serves
 * @param mockUrl - the mock's base URL
 * @param baseFetch - the `fetch` to forward to
 */
export async function createMockFetch(
  specPath: string,
  mockUrl: string,
  baseFetch: typeof fetch = globalThis.fetch,
  options: MockFetchOptions = {},
): Promise<typeof fetch> {
  const servers = options.serveSpecServers === false ? [] : await specServers(specPath);
  const own = serverPattern(mockUrl);
  const rerouted = servers.map(serverPattern);
  const served = [mockUrl.replace(/\/+$/, ''), ...servers];
  return (input, init) => {
    const url = requestUrl(input);
    if (own.test(url)) return baseFetch(url, init).then(explainRefusal);
    const prefix = rerouted.map((server) => server.exec(url)?.[0]).find((match) => match !== undefined);
    if (prefix === undefined) return Promise.reject(new UnmockedRequestError(requestMethod(input, init), url, served));
    return baseFetch(mockUrl.replace(/\/+$/, '') + url.slice(prefix.length), init).then(explainRefusal);
  };
}

/**
 * Starts a Prism mock of one API on a free port and resolves once it answers HTTP requests.
 *
 * @example
 * const mock = await startMockServer('pachca');
 * const client = createPachcaClient({ token: 'test', ...mock.clientOptions });
 * // … run the bot's tests …
 * await mock.close();
 */
export async function startMockServer(api: MockApi, options: MockServerOptions = {}): Promise<MockServer> {
  const specPath = options.specPath ?? fileURLToPath(new URL(`../../openapi/${api}.json`, import.meta.url));
  const port = options.port ?? (await freePort());
  const args = [prismEntry(), 'mock', '--host', '127.0.0.1', '--port', String(port), '--dynamic', String(options.dynamic ?? false), specPath];
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const url = `http://127.0.0.1:${port}`;
  const guarded = await createMockFetch(specPath, url, globalThis.fetch, { serveSpecServers: options.serveSpecServers ?? false });
  const server: MockServer = {
    url,
    port,
    clientOptions: { baseUrl: url, fetch: guarded },
    fetch: guarded,
    output: () => output,
    close: () => stop(child),
  };

  const deadline = Date.now() + (options.startTimeoutMs ?? 30_000);
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`Prism exited with ${child.exitCode} while starting ${api}:\n${output}`);
    if (output.includes('Prism is listening') && (await answers(url))) return server;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  await stop(child);
  throw new Error(`Prism did not start for ${api} within ${options.startTimeoutMs ?? 30_000} ms:\n${output}`);
}
