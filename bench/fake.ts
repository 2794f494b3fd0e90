/**
 * The in-process fake's figures: start-up in a cold process (target under 50 ms, where a Prism mock takes
 * 1.2–1.5 s) and CPU per call (target under 0.2 ms), each the median over several processes.
 */
import { execFileSync } from 'node:child_process';
import { bundleScript } from './build.js';

/** Medians over the processes, in milliseconds. */
export interface FakeResult {
  /** Importing /testing and the Pachca client. */
  readonly importMs: number;
  /** The first `createFakeApi('pachca')` of a process, its generated tables loaded. */
  readonly startMs: number;
  /** A further fake in the same process. */
  readonly warmStartMs: number;
  /** CPU per `getMessage` through the client, client and fake together. */
  readonly readMs: number;
  /** CPU per `createMessage` through the client (checked, stored, recorded). */
  readonly sendMs: number;
  /** CPU per request to the fake's `fetch` alone. */
  readonly fakeAloneMs: number;
}

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
};

/** Runs the worker in `processes` fresh processes of `calls` calls each. */
export async function measureFake(processes: number, calls: number): Promise<FakeResult> {
  const script = await bundleScript('fake-worker');
  const runs: FakeResult[] = [];
  for (let i = 0; i < processes; i++) {
    runs.push(JSON.parse(execFileSync(process.execPath, [script, String(calls)], { encoding: 'utf8' }).trim()) as FakeResult);
  }
  const of = (key: keyof FakeResult) => median(runs.map((run) => run[key]));
  return { importMs: of('importMs'), startMs: of('startMs'), warmStartMs: of('warmStartMs'), readMs: of('readMs'), sendMs: of('sendMs'), fakeAloneMs: of('fakeAloneMs') };
}

// `tsx bench/fake.ts [processes] [calls]` measures the fake alone.
if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(await measureFake(Number(process.argv[2] ?? 5), Number(process.argv[3] ?? 2000)));
}
