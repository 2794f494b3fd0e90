/**
 * The per-request benchmark: every contender in its own process against one keep-alive server process, in
 * interleaved rounds (the starting contender rotates each round), after a warm-up. Each metric is also given as a
 * ratio to raw `fetch`, taken round by round (the median of the paired ratios, with their spread).
 */
import { fork, spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { CONTENDERS, type ContenderName } from './clients.js';
import type { Job, Measurement } from './worker.js';

/** The summary of one contender and call. */
export interface PerRequestRow {
  readonly contender: ContenderName;
  readonly call: Job['call'];
  readonly medianUs: number;
  readonly p99Us: number;
  readonly cpuUsPerRequest: number;
  readonly requestsPerSecond: number;
  /** Ratios to raw fetch in the same round: median, and [min, max] over the rounds. */
  readonly ratio: Record<'medianUs' | 'p99Us' | 'cpuUsPerRequest' | 'requestsPerSecond', { median: number; min: number; max: number }>;
}

/** How much work each round does. */
export interface PerRequestOptions {
  readonly rounds: number;
  readonly job: Omit<Job, 'call'>;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[middle] as number) : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

async function startServer(serverScript: string): Promise<{ port: number; stop: () => void }> {
  const server = spawn(process.execPath, [serverScript], { stdio: ['ignore', 'pipe', 'inherit'] });
  const [chunk] = (await once(server.stdout, 'data')) as [Buffer];
  return { port: Number(chunk.toString().trim()), stop: () => server.kill('SIGTERM') };
}

async function startWorker(workerScript: string, name: ContenderName, baseUrl: string): Promise<ChildProcess> {
  const worker = fork(workerScript, [name, baseUrl], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  await once(worker, 'message');
  return worker;
}

async function measure(worker: ChildProcess, job: Job): Promise<Measurement> {
  worker.send(job);
  const [reply] = (await once(worker, 'message')) as [{ ok: boolean; measurement?: Measurement; error?: string }];
  if (!reply.ok || !reply.measurement) throw new Error(`worker failed: ${reply.error}`);
  return reply.measurement;
}

/** Runs the benchmark with the bundled worker and server scripts. */
export async function runPerRequest(
  scripts: { readonly worker: string; readonly server: string },
  options: PerRequestOptions,
  progress: (line: string) => void = () => {},
): Promise<PerRequestRow[]> {
  const server = await startServer(scripts.server);
  const baseUrl = `http://127.0.0.1:${server.port}`;
  const workers = new Map<ContenderName, ChildProcess>();
  try {
    for (const name of CONTENDERS) workers.set(name, await startWorker(scripts.worker, name, baseUrl));
    const rows: PerRequestRow[] = [];
    for (const call of ['create', 'list'] as const) {
      const results = new Map<ContenderName, Measurement[]>(CONTENDERS.map((name) => [name, []]));
      for (let round = 0; round < options.rounds; round++) {
        const order = CONTENDERS.map((_, i) => CONTENDERS[(i + round) % CONTENDERS.length] as ContenderName);
        for (const name of order) {
          results.get(name)?.push(await measure(workers.get(name) as ChildProcess, { ...options.job, call }));
        }
        progress(`  ${call}: round ${round + 1}/${options.rounds}`);
      }
      const baseline = results.get('fetch') as Measurement[];
      for (const name of CONTENDERS) {
        const runs = results.get(name) as Measurement[];
        const ratio = (key: keyof Measurement) => {
          const paired = runs.map((run, i) => run[key] / (baseline[i] as Measurement)[key]);
          return { median: median(paired), min: Math.min(...paired), max: Math.max(...paired) };
        };
        rows.push({
          contender: name,
          call,
          medianUs: median(runs.map((run) => run.medianUs)),
          p99Us: median(runs.map((run) => run.p99Us)),
          cpuUsPerRequest: median(runs.map((run) => run.cpuUsPerRequest)),
          requestsPerSecond: median(runs.map((run) => run.requestsPerSecond)),
          ratio: {
            medianUs: ratio('medianUs'),
            p99Us: ratio('p99Us'),
            cpuUsPerRequest: ratio('cpuUsPerRequest'),
            requestsPerSecond: ratio('requestsPerSecond'),
          },
        });
      }
    }
    return rows;
  } finally {
    for (const worker of workers.values()) worker.kill();
    server.stop();
  }
}
