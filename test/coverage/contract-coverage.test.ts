/**
 * Runs after every contract test (vitest groupOrder 1): each operation of each spec in redocly.yaml must have
 * been answered with a success status at least once, over each transport the contract tests ran on (Prism over
 * fetch, Prism over undici, the in-process fake).
 */
import { readFile } from 'node:fs/promises';
import { expect, inject, it } from 'vitest';
import { unexercisedOperations, type Exchange } from '../setup/coverage.js';

it('the contract tests exercised every operation of every spec, over each transport', async () => {
  const lines = (await readFile(inject('exchangeLog'), 'utf8').catch(() => '')).split('\n').filter(Boolean);
  expect(lines.length).toBeGreaterThan(0);
  const byTransport = new Map<string, Exchange[]>();
  for (const line of lines) {
    const exchange = JSON.parse(line) as Exchange & { transport?: string };
    const transport = exchange.transport ?? 'fetch';
    byTransport.set(transport, [...(byTransport.get(transport) ?? []), exchange]);
  }
  const missing: Record<string, string[]> = {};
  for (const [transport, exchanges] of byTransport) missing[transport] = await unexercisedOperations(exchanges);
  expect(missing).toEqual(Object.fromEntries([...byTransport.keys()].map((transport) => [transport, []])));
});
