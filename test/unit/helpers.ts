/**
 * Unit-test helpers: a scripted `fetch` that answers from a list and records what it was asked, the fake clock,
 * and a core client over a small operation table with one operation per HTTP method.
 */
import { createApiClient } from '../../src/core/client/client.js';
import { bearerToken, queryToken, type Credentials } from '../../src/core/exchange/credentials.js';
import type { OperationTable } from '../../src/core/client/operation.js';
import type { Redactor } from '../../src/core/errors/redact.js';
import type { CallOptions, CommonClientOptions } from '../../src/core/client/types.js';
import type { ApiSpec } from '../../src/core/client/spec.js';

export { fakeClock } from '../support/fake-clock.js';

/** One scripted answer: a response, an error to throw, or a function of the request. */
export type Answer = Response | Error | ((url: string, init: RequestInit) => Response | Promise<Response>);

/** What the scripted fetch saw. */
export interface SeenRequest {
  readonly url: string;
  readonly method: string;
  readonly headers: Headers;
  readonly body: unknown;
}

/** A fetch that plays `answers` in order (repeating the last one) and records each request. */
export function scriptedFetch(...answers: Answer[]): typeof fetch & { readonly seen: SeenRequest[] } {
  const seen: SeenRequest[] = [];
  const fake = async (input: RequestInfo | URL, init: RequestInit = {}): Promise<Response> => {
    const url = String(input);
    seen.push({ url, method: init.method ?? 'GET', headers: new Headers(init.headers), body: init.body });
    const answer = answers[Math.min(seen.length - 1, answers.length - 1)];
    if (answer instanceof Error) throw answer;
    if (typeof answer === 'function') return answer(url, init);
    if (!answer) throw new Error('no scripted answer');
    return answer.clone();
  };
  return Object.assign(fake, { seen }) as typeof fetch & { readonly seen: SeenRequest[] };
}

/** A JSON response. */
export function json(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json', ...headers },
  });
}

/** A network failure as undici reports it. */
export function connectionReset(): TypeError {
  return new TypeError('fetch failed', { cause: Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }) });
}

/** One operation per method, to test the rules that depend on the method. */
export const table = {
  getThing: { method: 'GET', path: '/things/{id}', success: 200, idempotent: true, auth: true, params: { path: ['id'] } },
  headThing: { method: 'HEAD', path: '/things/{id}', success: 200, idempotent: true, auth: true, params: { path: ['id'] }, noContent: true },
  putThing: { method: 'PUT', path: '/things/{id}', success: 200, idempotent: true, auth: true, params: { path: ['id'] }, requestBody: 'optional' },
  deleteThing: { method: 'DELETE', path: '/things/{id}', success: 204, idempotent: true, auth: true, params: { path: ['id'] }, noContent: true },
  optionsThing: { method: 'OPTIONS', path: '/things/{id}', success: 204, idempotent: true, auth: true, params: { path: ['id'] }, noContent: true },
  sendMessage: { method: 'POST', path: '/messages', success: 201, idempotent: false, auth: true, requestBody: 'required' },
  patchThing: { method: 'PATCH', path: '/things/{id}', success: 200, idempotent: false, auth: true, params: { path: ['id'] }, requestBody: 'optional' },
  openThread: { method: 'POST', path: '/messages/{id}/thread', success: 201, idempotent: true, auth: true, params: { path: ['id'] }, requestBody: 'optional' },
  getBig: { method: 'GET', path: '/big', success: 200, idempotent: true, auth: true, int64: ['items.[].seq', 'total'] },
  publicThing: { method: 'GET', path: '/public', success: 200, idempotent: true, auth: false },
} as const satisfies OperationTable;

export const BASE_URL = 'https://api.example.test/v1';
export const SECRET = 'tok_live_5ecr3t:Zq/8+w==';

/** Untyped methods, one per operation of {@link table}. */
type TestOperations = { readonly [Id in keyof typeof table]: (input?: unknown, options?: CallOptions) => Promise<unknown> };

/** {@link table} as a spec with no checks and no paged lists. */
const testSpec: ApiSpec<TestOperations, Record<never, never>, never> = {
  operations: table,
  checks: {},
  lists: {},
  credentialLocations: { query: ['access_token'] },
};

/** A core client over {@link table}, with a bearer token unless told otherwise. */
export function testClient(
  fetch: typeof globalThis.fetch,
  options: Partial<CommonClientOptions> & { credentials?: (redactor: Redactor) => Credentials; query?: boolean } = {},
) {
  const authenticate = (redactor: Redactor): Credentials =>
    options.credentials ? options.credentials(redactor) : options.query ? queryToken('access_token', SECRET, redactor) : bearerToken(SECRET, redactor);
  const { credentials: _credentials, query: _query, ...common } = options;
  return createApiClient({
    ...common,
    defaultBaseUrl: BASE_URL,
    fetch,
    spec: testSpec,
    authenticate,
  });
}
