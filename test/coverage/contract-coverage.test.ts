/**
 * Runs after every contract test (vitest groupOrder 1): each operation of each spec in redocly.yaml must have
 * been answered with a success status by its mock at least once.
 */
import { readFile } from 'node:fs/promises';
import { expect, inject, it } from 'vitest';
import { unexercisedOperations, type Exchange } from '../setup/coverage.js';

it('the contract tests exercised every operation of every spec', async () => {
  const lines = (await readFile(inject('exchangeLog'), 'utf8').catch(() => '')).split('\n').filter(Boolean);
  expect(lines.length).toBeGreaterThan(0);
  const exchanges = lines.map((line) => JSON.parse(line) as Exchange);
  expect(await unexercisedOperations(exchanges)).toEqual([]);
});
