/**
 * The per-request benchmark: every contender in its own process against one keep-alive server process, in
 * interleaved rounds (the starting contender rotates each round). Latency and CPU come from many short
 * sequential blocks, throughput from fewer blocks with 64 requests in flight, all after a warm-up. Each metric is
 * also given as a ratio to raw `fetch`, taken round by round (the median of the paired ratios, with the range
 * between their first and third quartiles).
 */
import { fork, spawn, type ChildProcess } from 'node:child_process';
import { plainNode } from './plain-node.js';
import { once } from 'node:events';
import { CONTENDERS, type ContenderName } from './clients.js';
import type { Job, Measurement } from './worker.js';

/** A ratio to raw fetch: the median of the per-round ratios and their interquartile range. */
export interface Ratio {
  readonly median: number;
  readonly q1: number;
  readonly q3: number;
}

/** The summary of one contender and call. */
export interface PerRequestRow {
  readonly contender: ContenderName;
  readonly call: Job['call'];
  readonly medianUs: number;
  readonly p99Us: number;
  readonly cpuUsPerRequest: number;
  readonly requestsPerSecond: number;
  readonly ratio: Record<'medianUs' | 'p99Us' | 'cpuUsPerRequest' | 'requestsPerSecond', Ratio>;
}

/** How much work the benchmark does. */
export interface PerRequestOptions {
  /** Rounds of sequential blocks, and requests per block. */
  readonly latencyRounds: number;
  readonly sequential: number;
  /** Rounds of concurrent blocks, requests per block, and requests in flight. */
  readonly throughputRounds: number;
  readonly concurrent: number;
  readonly concurrency: number;
  /** Requests each contender makes before its first measured block. */
  readonly warmup: number;
}

function quantile(values: readonly number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const position = (sorted.length - 1) * q;
  const low = Math.floor(position);
  const high = Math.ceil(position);
  return (sorted[low] as number) + ((sorted[high] as number) - (sorted[low] as number)) * (position - low);
}

async function startServer(serverScript: string): Promise<{ port: number; stop: () => void }> {
  const server = spawn(process.execPath, [serverScript], { ...plainNode(), stdio: ['ignore', 'pipe', 'inherit'] });
  const [chunk] = (await once(server.stdout, 'data')) as [Buffer];
  return { port: Number(chunk.toString().trim()), stop: () => server.kill('SIGTERM') };
}

async function startWorker(workerScript: string, name: ContenderName, baseUrl: string): Promise<ChildProcess> {
  const worker = fork(workerScript, [name, baseUrl], { ...plainNode(), stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  await once(worker, 'message');
  return worker;
}

async function measure(worker: ChildProcess, job: Job): Promise<Measurement> {
  worker.send(job);
  const [reply] = (await once(worker, 'message')) as [{ ok: boolean; measurement?: Measurement; error?: string }];
  if (!reply.ok || !reply.measurement) throw new Error(`worker failed: ${reply.error}`);
  return reply.measurement;
}

/** Runs `jobFor(round)` for every contender in every round, rotating the order, and collects the results. */
async function rounds<M extends Measurement>(
  workers: Map<ContenderName, ChildProcess>,
  count: number,
  jobFor: (round: number) => Job,
  progress: (round: number) => void,
): Promise<Map<ContenderName, M[]>> {
  const results = new Map<ContenderName, M[]>(CONTENDERS.map((name): [ContenderName, M[]] => [name, []]));
  for (let round = 0; round < count; round++) {
    const order = CONTENDERS.map((_, i) => CONTENDERS[(i + round) % CONTENDERS.length] as ContenderName);
    for (const name of order) results.get(name)?.push((await measure(workers.get(name) as ChildProcess, jobFor(round))) as M);
    progress(round);
  }
  return results;
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
      type Sequential = Extract<Measurement, { kind: 'sequential' }>;
      type Concurrent = Extract<Measurement, { kind: 'concurrent' }>;
      const sequential = await rounds<Sequential>(
        workers,
        options.latencyRounds,
        (round) => ({ kind: 'sequential', call, requests: options.sequential, warmup: round === 0 ? options.warmup : 0 }),
        (round) => progress(`  ${call}, latency and CPU: round ${round + 1}/${options.latencyRounds}`),
      );
      const concurrent = await rounds<Concurrent>(
        workers,
        options.throughputRounds,
        () => ({ kind: 'concurrent', call, requests: options.concurrent, concurrency: options.concurrency }),
        (round) => progress(`  ${call}, throughput: round ${round + 1}/${options.throughputRounds}`),
      );
      const fetchSequential = sequential.get('fetch') as Sequential[];
      const fetchConcurrent = concurrent.get('fetch') as Concurrent[];
      for (const name of CONTENDERS) {
        const runs = sequential.get(name) as Sequential[];
        const loads = concurrent.get(name) as Concurrent[];
        const paired = (values: number[], baseline: number[]): Ratio => {
          const ratios = values.map((value, i) => value / (baseline[i] as number));
          return { median: quantile(ratios, 0.5), q1: quantile(ratios, 0.25), q3: quantile(ratios, 0.75) };
        };
        const pick = (key: keyof Omit<Sequential, 'kind'>) => runs.map((run) => run[key]);
        rows.push({
          contender: name,
          call,
          medianUs: quantile(pick('medianUs'), 0.5),
          p99Us: quantile(pick('p99Us'), 0.5),
          cpuUsPerRequest: quantile(pick('cpuUsPerRequest'), 0.5),
          requestsPerSecond: quantile(loads.map((load) => load.requestsPerSecond), 0.5),
          ratio: {
            medianUs: paired(pick('medianUs'), fetchSequential.map((run) => run.medianUs)),
            p99Us: paired(pick('p99Us'), fetchSequential.map((run) => run.p99Us)),
            cpuUsPerRequest: paired(pick('cpuUsPerRequest'), fetchSequential.map((run) => run.cpuUsPerRequest)),
            requestsPerSecond: paired(loads.map((load) => load.requestsPerSecond), fetchConcurrent.map((load) => load.requestsPerSecond)),
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
