/**
 * One contender in its own process. The parent sends it a job per round over IPC; it answers with the
 * measurements of that job. Nothing else runs in this process, so its CPU time is the contender's.
 */
import { performance } from 'node:perf_hooks';
import { contender, type ContenderName } from './clients.js';
import { assertPlainNode } from './plain-node.js';

assertPlainNode();

/** A round's job: either requests one after another (latency and CPU) or many in flight (throughput). */
export type Job =
  | { readonly kind: 'sequential'; readonly call: 'create' | 'list'; readonly requests: number; readonly warmup: number }
  | { readonly kind: 'concurrent'; readonly call: 'create' | 'list'; readonly requests: number; readonly concurrency: number };

/** What a job measured: latency and CPU for a sequential job, throughput for a concurrent one. */
export type Measurement =
  | { readonly kind: 'sequential'; readonly medianUs: number; readonly p99Us: number; readonly cpuUsPerRequest: number }
  | { readonly kind: 'concurrent'; readonly requestsPerSecond: number };

const [name, baseUrl] = process.argv.slice(2) as [ContenderName, string];
const client = contender(name, baseUrl);

function quantile(sorted: readonly number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
}

async function run(job: Job): Promise<Measurement> {
  const call = job.call === 'create' ? () => client.create() : () => client.list();
  if (job.kind === 'concurrent') {
    let issued = 0;
    const started = performance.now();
    const lane = async (): Promise<void> => {
      while (issued < job.requests) {
        issued++;
        await call();
      }
    };
    await Promise.all(Array.from({ length: job.concurrency }, lane));
    return { kind: 'concurrent', requestsPerSecond: job.requests / ((performance.now() - started) / 1000) };
  }
  for (let i = 0; i < job.warmup; i++) await call();
  const timings = new Float64Array(job.requests);
  const cpuBefore = process.cpuUsage();
  for (let i = 0; i < job.requests; i++) {
    const started = performance.now();
    await call();
    timings[i] = (performance.now() - started) * 1000;
  }
  const cpu = process.cpuUsage(cpuBefore);
  const sorted = [...timings].sort((a, b) => a - b);
  return {
    kind: 'sequential',
    medianUs: quantile(sorted, 0.5),
    p99Us: quantile(sorted, 0.99),
    cpuUsPerRequest: (cpu.user + cpu.system) / job.requests,
  };
}

process.on('message', (job: Job) => {
  run(job).then(
    (measurement) => process.send?.({ ok: true, measurement }),
    (error: unknown) => process.send?.({ ok: false, error: String(error) }),
  );
});
process.send?.({ ready: true });
