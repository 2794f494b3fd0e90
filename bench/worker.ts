/**
 * One contender in its own process. The parent sends it a job per round over IPC; it answers with the
 * measurements of that job. Nothing else runs in this process, so its CPU time is the contender's.
 */
import { performance } from 'node:perf_hooks';
import { contender, type ContenderName } from './clients.js';

/** A round's job. */
export interface Job {
  readonly call: 'create' | 'list';
  /** Requests made one after another, for latency and CPU. */
  readonly sequential: number;
  /** Requests made with `concurrency` in flight, for throughput. */
  readonly concurrent: number;
  readonly concurrency: number;
  /** Requests made first and not measured. */
  readonly warmup: number;
}

/** What a job measured. */
export interface Measurement {
  readonly medianUs: number;
  readonly p99Us: number;
  readonly cpuUsPerRequest: number;
  readonly requestsPerSecond: number;
}

const [name, baseUrl] = process.argv.slice(2) as [ContenderName, string];
const client = contender(name, baseUrl);

function quantile(sorted: readonly number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
}

async function run(job: Job): Promise<Measurement> {
  const call = job.call === 'create' ? () => client.create() : () => client.list();
  for (let i = 0; i < job.warmup; i++) await call();
  const timings = new Float64Array(job.sequential);
  const cpuBefore = process.cpuUsage();
  for (let i = 0; i < job.sequential; i++) {
    const started = performance.now();
    await call();
    timings[i] = (performance.now() - started) * 1000;
  }
  const cpu = process.cpuUsage(cpuBefore);
  const sorted = [...timings].sort((a, b) => a - b);

  let issued = 0;
  const started = performance.now();
  const lane = async (): Promise<void> => {
    while (issued < job.concurrent) {
      issued++;
      await call();
    }
  };
  await Promise.all(Array.from({ length: job.concurrency }, lane));
  const seconds = (performance.now() - started) / 1000;

  return {
    medianUs: quantile(sorted, 0.5),
    p99Us: quantile(sorted, 0.99),
    cpuUsPerRequest: (cpu.user + cpu.system) / job.sequential,
    requestsPerSecond: job.concurrent / seconds,
  };
}

process.on('message', (job: Job) => {
  run(job).then(
    (measurement) => process.send?.({ ok: true, measurement }),
    (error: unknown) => process.send?.({ ok: false, error: String(error) }),
  );
});
process.send?.({ ready: true });
