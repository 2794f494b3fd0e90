/**
 * Validating mock servers for tests: a Prism process started from one of this library's specs, on a free
 * loopback port. Prism checks every request against the spec (a wrong body gets a 422 back) and answers with
 * the spec's examples, so a bot's tests can run with no credentials and no network.
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
   * How long to wait for Prism to start, in milliseconds.
   * @default 30000
   */
  readonly startTimeoutMs?: number;
}

/** A running mock server. */
export interface MockServer {
  /** The base URL to give a client, such as `http://127.0.0.1:41234`. */
  readonly url: string;
  /** The port it listens on. */
  readonly port: number;
  /**
   * A `fetch` that sends requests for any server the spec names (the API's own, and hosts such as Pachca's
   * upload URL) to this mock instead. Give it to a client with `baseUrl: url` so that follow-up URLs returned
   * by the API (a signed upload URL, say) also reach the mock.
   */
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

/**
 * Patterns for every server URL a spec names, at its root and on its paths, longest first. A server variable
 * (`https://{user_id}.unet.com/api`) matches any value within one URL segment.
 */
async function specServers(specPath: string): Promise<RegExp[]> {
  const doc = JSON.parse(await readFile(specPath, 'utf8')) as {
    servers?: { url: string }[];
    paths?: Record<string, { servers?: { url: string }[] }>;
  };
  const urls = [...(doc.servers ?? []), ...Object.values(doc.paths ?? {}).flatMap((item) => item.servers ?? [])]
    .map((server) => server.url.replace(/\/+$/, ''))
    .filter((url) => /^https?:\/\//.test(url));
  return [...new Set(urls)]
    .sort((a, b) => b.length - a.length)
    .map((url) => {
      const literal = url.split(/\{[^}]+\}/).map((part) => part.replace(/[.*+?^$()|[\]\\]/g, '\\$&'));
      return new RegExp(`^${literal.join('[^/]+?')}(?=$|[/?#])`);
    });
}

/**
 * A `fetch` that sends requests for any server a spec names to the same path under `mockUrl`, for a mock that
 * runs elsewhere (or to wrap with your own recording). `startMockServer` returns one ready-made.
 *
 * @param specPath - the bundled OpenAPI document (JSON) the mock serves
 * @param mockUrl - the mock's base URL
 * @param baseFetch - the `fetch` to forward to
 */
export async function createMockFetch(
  specPath: string,
  mockUrl: string,
  baseFetch: typeof fetch = globalThis.fetch,
): Promise<typeof fetch> {
  const servers = await specServers(specPath);
  return (input, init) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    const prefix = servers.map((server) => server.exec(url)?.[0]).find((match) => match !== undefined);
    return baseFetch(prefix === undefined ? url : mockUrl + url.slice(prefix.length), init).then(explainRefusal);
  };
}

/**
 * Starts a Prism mock of one API on a free port and resolves once it answers HTTP requests.
 *
 * @example
 * const mock = await startMockServer('pachca');
 * const client = createPachcaClient({ token: 'test', baseUrl: mock.url });
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
  const server: MockServer = {
    url,
    port,
    fetch: await createMockFetch(specPath, url),
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
