/**
 * The README's failure table is a promise, checked row by row: the table is read from README.md, each row is
 * driven by one or more cases against a real client (over an injected fetch), and every case must end in a class
 * the row names, each class the row names must come out of some case, and the row's "retried?" column must hold
 * for a read (idempotent) and for a send. A row without a driver, or a driver whose row is gone, fails the test.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import * as core from '../../src/core/index.js';
import { createPachcaClient } from '../../src/pachca/index.js';
import { createUnetAuth, createUnetClient } from '../../src/unet/index.js';
import { repoRoot } from '../../scripts/lib/apis.js';
import { connectionReset, json, scriptedFetch, type Answer } from './helpers.js';

interface Row {
  readonly happened: string;
  readonly classes: readonly string[];
  readonly retried: string;
}

/** The rows of the README's "Failure modes" table. */
async function failureTable(): Promise<Row[]> {
  const readme = await readFile(path.join(repoRoot, 'README.md'), 'utf8');
  const lines = readme.slice(readme.indexOf('## Failure modes')).split('\n');
  const start = lines.findIndex((line) => line.startsWith('|'));
  const end = lines.findIndex((line, index) => index > start && !line.startsWith('|'));
  const rows: Row[] = [];
  // The header and its separator come first.
  for (const line of lines.slice(start + 2, end)) {
    const [happened = '', get = '', retried = ''] = line.split('|').slice(1, -1).map((cell) => cell.trim());
    rows.push({ happened, classes: [...get.matchAll(/`(\w+Error)`/g)].map((match) => match[1] as string), retried });
  }
  return rows;
}

const RETRY = { maxRetries: 1, baseDelayMs: 1, maxDelayMs: 1, random: () => 0 };
const BASE = 'https://api.example.test/v1';

/** What one case produced: the error, and how many requests a read and a send made. */
interface Outcome {
  readonly error: unknown;
  readonly attempts: number;
}

/** Runs a read (getMessage, idempotent) or a send (createMessage) of a Pachca client against scripted answers. */
async function call(kind: 'read' | 'send', answers: Answer[], options: { timeoutMs?: number; signal?: AbortSignal; input?: unknown } = {}): Promise<Outcome> {
  const fetch = scriptedFetch(...answers);
  const pachca = createPachcaClient({ token: 'failure-table-token-123', baseUrl: BASE, fetch, retry: RETRY, timeoutMs: options.timeoutMs ?? 5000 });
  const callOptions = options.signal ? { signal: options.signal } : {};
  const run =
    kind === 'read'
      ? () => pachca.getMessage((options.input ?? { id: 1 }) as never, callOptions)
      : () => pachca.createMessage((options.input ?? { body: { message: { entity_id: 1, content: 'x' } } }) as never, callOptions);
  const error = await run().then(
    () => undefined,
    (caught: unknown) => caught,
  );
  return { error, attempts: fetch.seen.length };
}

/** A fetch answer that waits until the request is aborted. */
const stall: Answer = (_url, init) =>
  new Promise<Response>((_resolve, reject) => {
    if (init.signal?.aborted) reject(init.signal.reason);
    init.signal?.addEventListener('abort', () => reject(init.signal?.reason), { once: true });
  });

/** A body that sends a part and then breaks. */
const brokenBody: Answer = () =>
  new Response(
    new ReadableStream({
      start(controller) {
        controller.enqueue(new TextEncoder().encode('{"data":'));
        controller.error(connectionReset());
      },
    }),
    { status: 200, headers: { 'content-type': 'application/json' } },
  );

const refused = (): TypeError => new TypeError('fetch failed', { cause: Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }) });
/** What undici's fetch throws for a port the Fetch standard blocks: the same on every attempt. */
const badPort = (): TypeError => new TypeError('fetch failed', { cause: new Error('bad port') });
const raw = (status: number, text: string, type = 'application/json', headers: Record<string, string> = {}): Answer => () =>
  new Response(text, { status, headers: { 'content-type': type, ...headers } });
const both = async (answers: () => Answer[], options?: Parameters<typeof call>[2]) => [await call('read', answers(), options), await call('send', answers(), options)] as const;

/** A uNet call whose 401 starts a renewal that the token endpoint refuses; attempts count the API's requests. */
async function refusedRenewal(): Promise<readonly [Outcome, Outcome]> {
  const outcomes: Outcome[] = [];
  for (const kind of ['read', 'send'] as const) {
    const fetch = scriptedFetch((url) => (url.endsWith('/token') ? json(400, { error: 'invalid_grant' }) : json(401, { error: 'invalid_token' })));
    const auth = createUnetAuth({ clientId: 'app', clientSecret: 'client-secret-1234', redirectUri: 'https://example.com/cb', baseUrl: BASE, fetch, retry: RETRY });
    const unet = createUnetClient({ tokens: { accessToken: 'access-token-1234', refreshToken: 'refresh-token-1234', resourceUri: BASE }, auth, fetch, retry: RETRY });
    const run = kind === 'read' ? () => unet.getMessage({ id: 1 }) : () => unet.addMessage({ q: { chat_id: 1, message: 'x' } as never });
    const error = await run().then(
      () => undefined,
      (caught: unknown) => caught,
    );
    outcomes.push({ error, attempts: fetch.seen.filter((request) => !request.url.endsWith('/token')).length });
  }
  return [outcomes[0] as Outcome, outcomes[1] as Outcome];
}

/** The drivers, by the start of the row's first column; each returns read/send outcome pairs. */
const DRIVERS: Record<string, () => Promise<(readonly [Outcome, Outcome])[]>> = {
  'bad input': async () => [
    await both(() => [json(200, {})], { input: { id: 1, body: {} } }),
    [await call('read', [json(200, {})], { input: { id: Number.NaN } }), await call('send', [json(200, {})], { input: {} })],
  ],
  'connection refused': async () => [await both(() => [refused()])],
  'connection reset or closed after': async () => [await both(() => [connectionReset()])],
  'a failure no attempt can pass': async () => [await both(() => [badPort()])],
  'the body breaks off': async () => [await both(() => [brokenBody])],
  'no answer within': async () => [await both(() => [stall], { timeoutMs: 30 })],
  'your `signal` fired': async () => [[await call('read', [stall], { signal: AbortSignal.timeout(20) }), await call('send', [stall], { signal: AbortSignal.timeout(20) })]],
  '3xx': async () => [await both(() => [raw(302, '', 'text/plain', { location: 'https://elsewhere.test/' })])],
  '429': async () => [await both(() => [raw(429, '{}', 'application/json', { 'retry-after': '0' })])],
  '408, 5xx': async () => [await both(() => [raw(408, '{}')]), await both(() => [raw(502, '<html>Bad gateway</html>', 'text/html')]), await both(() => [raw(503, '{}')])],
  '403': async () => [await both(() => [raw(403, '{}')])],
  'other 4xx': async () => [...(await Promise.all([400, 401, 402, 404, 405, 409, 410, 418, 422].map((status) => both(() => [raw(status, '{}')])))), await refusedRenewal()],
  '2xx that is empty': async () =>
    Promise.all(
      [raw(200, ''), raw(200, '<html>portal</html>', 'text/html'), raw(200, 'null'), raw(200, '[1]'), raw(200, '{"nothing":1}'), () => new Response(null, { status: 204 })].map((answer) =>
        both(() => [answer]),
      ),
    ),
  'a list whose server': async () => {
    const outcomes: (readonly [Outcome, Outcome])[] = [];
    for (const page of [{ data: [{ id: 1 }], meta: { paginate: { has_next: true, next_page: 'again' } } }, { data: [], meta: { paginate: { has_next: true, next_page: 'fresh' } } }]) {
      let n = 0;
      const fetch = scriptedFetch(() => json(200, page.data.length ? page : { ...page, meta: { paginate: { has_next: true, next_page: `c${++n}` } } }));
      const pachca = createPachcaClient({ token: 'failure-table-token-123', baseUrl: BASE, fetch, retry: RETRY });
      const error = await (async () => {
        for await (const _ of pachca.iterateChatMessages({ chat_id: 1 })) void _;
      })().then(
        () => undefined,
        (caught: unknown) => caught,
      );
      outcomes.push([{ error, attempts: fetch.seen.length }, { error, attempts: fetch.seen.length }]);
    }
    return outcomes;
  },
};

/** How many requests the "retried?" column allows for a read and for a send (retries are set to one). */
function allowed(retried: string): { read: number; send: number } | undefined {
  if (retried.startsWith('never')) return { read: 1, send: 1 };
  if (retried.startsWith('idempotent calls only')) return { read: 2, send: 1 };
  if (retried.startsWith('every method')) return { read: 2, send: 2 };
  return undefined;
}

const ROWS = await failureTable();

describe("the README's failure table", () => {
  it('has a driver for every row, and a row for every driver', async () => {
    const rows = await failureTable();
    expect(rows.length).toBeGreaterThan(5);
    const keys = Object.keys(DRIVERS);
    for (const row of rows) expect(keys.filter((key) => row.happened.startsWith(key)), row.happened).toHaveLength(1);
    for (const key of keys) expect(rows.filter((row) => row.happened.startsWith(key)), key).toHaveLength(1);
  });

  it.each(ROWS.map((row) => [row.happened.slice(0, 60), row] as const))('%s…: each case ends in a class the row names, each named class occurs, retries are as the row says', async (_name, row) => {
    {
      const key = Object.keys(DRIVERS).find((candidate) => row.happened.startsWith(candidate)) as string;
      const outcomes = await (DRIVERS[key] as () => Promise<(readonly [Outcome, Outcome])[]>)();
      const classes = row.classes.map((name) => {
        const exported = (core as Record<string, unknown>)[name];
        expect(exported, `${name} is exported by the core`).toBeTypeOf('function');
        return exported as abstract new (...args: never[]) => Error;
      });
      const seen = new Set<string>();
      for (const [read, send] of outcomes) {
        for (const { error } of [read, send]) {
          // Exactly one of the classes the row names (by name, so a subclass the row leaves out does not pass).
          const name = (error as Error | undefined)?.name ?? String(error);
          expect(row.classes, `${row.happened}: ${String(error)}`).toContain(name);
          expect(error).toBeInstanceOf(classes[row.classes.indexOf(name)] as abstract new (...args: never[]) => Error);
          seen.add(name);
          if (row.classes[0] === 'RequestValidationError') expect(error).toBeInstanceOf(core.RequestValidationError);
        }
        const limit = allowed(row.retried);
        if (limit) {
          const nothingSent = read.attempts === 0 && send.attempts === 0 && read.error instanceof core.RequestValidationError;
          if (!nothingSent) {
            expect(read.attempts, `${row.happened}: a read`).toBe(limit.read);
            expect(send.attempts, `${row.happened}: a send`).toBe(limit.send);
          }
        }
      }
      for (const name of row.classes) expect(seen, `${row.happened}: some case ends in ${name}`).toContain(name);
    }
  });

  it('the specific cases of their rows: a refused connection names its code, a blocked port is permanent and never reached the server, a broken body says so, a 408 is a ServerError, a 403 names its scope', async () => {
    const [refusedRead] = await both(() => [refused()]);
    expect((refusedRead.error as core.NetworkError).code).toBe('ECONNREFUSED');
    const [badPortRead, badPortSend] = await both(() => [badPort()]);
    for (const { error } of [badPortRead, badPortSend]) {
      expect((error as core.NetworkError).permanent).toMatch(/port/);
      expect((error as core.NetworkError).reached).toBe('no');
    }
    const [brokenRead] = await both(() => [brokenBody]);
    expect((brokenRead.error as core.NetworkError).phase).toBe('body');
    const [timeout408] = await both(() => [raw(408, '{}')]);
    expect(timeout408.error).toBeInstanceOf(core.ServerError);
    expect((timeout408.error as core.ServerError).status).toBe(408);
    // The 403 row: the error names the scope the spec gives each operation.
    const [deniedRead, deniedSend] = await both(() => [raw(403, '{}')]);
    expect((deniedRead.error as core.PermissionDeniedError).scope).toBe('messages:read');
    expect((deniedSend.error as core.PermissionDeniedError).scope).toBe('messages:create');
  });
});
