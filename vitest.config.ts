import { tmpdir } from 'node:os';
import path from 'node:path';
import { defineConfig } from 'vitest/config';

// The contract tests append one line per exchange with a mock here; the coverage project reads it afterwards.
const exchangeLog = path.join(tmpdir(), `contract-exchanges-${process.pid}.jsonl`);

// Tiers: unit tests of the core with an injected fetch; contract tests against Prism mocks started from the
// specs (one per API, by the global setup), run once over the platform's fetch and once over the opt-in
// undici transport, and a third time against the in-process fake of /testing instead of Prism; type tests that must fail to compile where the specs say no; and last (groupOrder 1) the
// check that the contract tests exercised every operation of every spec.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts'],
          sequence: { groupOrder: 0 },
        },
      },
      ...(['fetch', 'undici', 'fake'] as const).map((transport) => ({
        test: {
          name: transport === 'fetch' ? 'contract' : `contract-${transport}`,
          include: ['test/contract/**/*.test.ts'],
          globalSetup: ['test/setup/mock-servers.ts'],
          provide: { exchangeLog, transport },
          testTimeout: 20_000,
          hookTimeout: 60_000,
          sequence: { groupOrder: 0 },
        },
      })),
      {
        test: {
          name: 'faults',
          include: ['test/faults/**/*.test.ts'],
          testTimeout: 30_000,
          sequence: { groupOrder: 0 },
        },
      },
      {
        test: {
          name: 'types',
          include: [],
          typecheck: {
            enabled: true,
            only: true,
            include: ['test/types/**/*.test-d.ts'],
            tsconfig: './tsconfig.json',
          },
          sequence: { groupOrder: 0 },
        },
      },
      {
        test: {
          name: 'docs',
          include: ['test/docs/**/*.test.ts'],
          testTimeout: 60_000,
          sequence: { groupOrder: 0 },
        },
      },
      {
        test: {
          name: 'package',
          include: ['test/package/**/*.test.ts'],
          testTimeout: 120_000,
          hookTimeout: 180_000,
          sequence: { groupOrder: 0 },
        },
      },
      // The Redis tier needs a redis-server binary: `npm run test:redis` (TEST_REDIS=1) runs it, `npm test` does not.
      ...(process.env.TEST_REDIS
        ? [
            {
              test: {
                name: 'redis',
                include: ['test/redis/**/*.test.ts'],
                globalSetup: ['test/redis/redis-server.ts'],
                testTimeout: 60_000,
                // One file at a time: the multi-process files measure timing (the throttle's windows, a lease
                // takeover) and must not compete with each other for the CPU.
                fileParallelism: false,
                sequence: { groupOrder: 0 },
              },
            },
          ]
        : []),
      {
        test: {
          name: 'coverage',
          include: ['test/coverage/**/*.test.ts'],
          provide: { exchangeLog },
          sequence: { groupOrder: 1 },
        },
      },
    ],
  },
});
