/**
 * What every contract test needs: the mock of an API (from the global setup), a `fetch` that reaches it, checks
 * JSON query parameters that Prism cannot, and records each exchange for the coverage check, and a retry policy
 * whose waits take no time.
 */
import { appendFileSync } from 'node:fs';
import { inject } from 'vitest';
import type { RetryPolicy } from '../../src/core/exchange/retry.js';
import { createFakeApi, createMockFetch, type FakeApiName } from '../../src/testing/index.js';
import { fakeClock } from '../support/fake-clock.js';
import { createUndiciFetch } from '../../src/node/index.js';
import { jsonQueryValidators, jsonQueryViolations } from './json-query.js';

/** One undici transport per test file, as a user would keep one per process. */
const undiciFetch = createUndiciFetch();

/**
 * The mock of one API, and a fetch that routes the spec's servers to it and records every exchange. It sends
 * over the transport the project runs with (`fetch` or undici to Prism), so the same suites check both; with
 * `fake`, the mock is the in-process fake of /testing, answering from the spec's examples as Prism does.
 */
export async function mockOf(api: string): Promise<{ url: string; fetch: typeof fetch }> {
  const mock = inject('mocks')[api];
  if (!mock) throw new Error(`No mock server for ${api}; is it listed in redocly.yaml?`);
  const log = inject('exchangeLog');
  if (inject('transport') === 'fake') {
    // The fake checks JSON query parameters itself: no check in front of it.
    const fake = await createFakeApi(api as FakeApiName, { stateful: false });
    const logged: typeof fetch = async (input, init) => {
      const url = new URL(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url);
      const response = await fake.fetch(input, init);
      appendFileSync(log, `${JSON.stringify({ api, method: (init?.method ?? 'GET').toUpperCase(), path: url.pathname, status: response.status, transport: 'fake' })}\n`);
      return response;
    };
    return { url: fake.url, fetch: await createMockFetch(mock.specPath, fake.url, logged) };
  }
  const jsonQueries = jsonQueryValidators(mock.specPath);
  const baseFetch = inject('transport') === 'undici' ? undiciFetch : globalThis.fetch;
  const recording: typeof fetch = async (input, init) => {
    const url = new URL(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url);
    const method = (init?.method ?? 'GET').toUpperCase();
    const violations = jsonQueryViolations(jsonQueries, method, url);
    const response =
      violations.length > 0
        ? new Response(JSON.stringify({ error: 'invalid_request', error_description: violations[0]?.message }), {
            status: 422,
            headers: { 'content-type': 'application/json', 'sl-violations': JSON.stringify(violations) },
          })
        : await baseFetch(url.href, init ?? {});
    appendFileSync(log, `${JSON.stringify({ api, method, path: url.pathname, status: response.status, transport: inject('transport') })}\n`);
    return response;
  };
  return { url: mock.url, fetch: await createMockFetch(mock.specPath, mock.url, recording) };
}

/** A retry policy with instant waits and no jitter. */
export function instantRetry(clock = fakeClock()): Partial<RetryPolicy> & { readonly clock: ReturnType<typeof fakeClock> } {
  return { clock, random: () => 1 };
}
