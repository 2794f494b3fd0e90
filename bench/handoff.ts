/**
 * The durable hand-off through Redis (when a `redis-server` binary is at hand): a receiver (the Pachca handler's
 * Node form with the Redis queue as its hand-off) in this process, three worker processes, and signed deliveries
 * sent over loopback 16 at a time. Measures the events per second from the first delivery to the last event's
 * code, the latency from receipt to the user's code (p50, p99) and how long the receiver takes to answer (p99,
 * from the sender's side, so an upper bound).
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { Redis } from 'ioredis';
import { Agent, request } from 'undici';
import { createRedisEventQueue } from '../src/node/index.js';
import { createPachcaWebhookHandler, signPachcaWebhook } from '../src/pachca/index.js';
import { bundleScript } from './build.js';
import { startRedis } from './throttle.js';

/** What the hand-off benchmark measured. */
export interface HandoffResult {
  readonly events: number;
  readonly workers: number;
  readonly eventsPerSecond: number;
  /** Receipt to the start of the user's code, in milliseconds. */
  readonly latencyP50Ms: number;
  readonly latencyP99Ms: number;
  /** The receiver's answer, as the sender saw it, in milliseconds. */
  readonly answerP50Ms: number;
  readonly answerP99Ms: number;
}

const SECRET = 'bench-signing-secret-0123456789';

function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

/** Runs the hand-off benchmark; undefined when no redis-server is installed. */
export async function measureHandoff(events: number): Promise<HandoffResult | undefined> {
  const redis = await startRedis();
  if (!redis) return undefined;
  const workerScript = await bundleScript('handoff-worker');
  const client = new Redis({ port: redis.port, host: '127.0.0.1', maxRetriesPerRequest: 0 });
  const prefix = 'bench:';
  const queue = createRedisEventQueue({ client, prefix });
  const handler = createPachcaWebhookHandler({ signingSecret: SECRET, handoff: queue.handoff });
  const server = createServer((req, res) => handler.node(req, res));
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const workers = [1, 2, 3].map(() => spawn(process.execPath, [workerScript, String(redis.port), prefix], { stdio: ['ignore', 'pipe', 'inherit'] }));
  const agent = new Agent({ connections: 16 });
  try {
    await client.ping();
    // Signed ahead, so that signing is not measured; 200 chats, each event unique.
    const deliveries = await Promise.all(
      Array.from({ length: events }, (_, i) =>
        signPachcaWebhook(
          { type: 'message', id: i + 1, event: 'new', entity_type: 'discussion', entity_id: i % 200, chat_id: i % 200, content: `m${i}`, user_id: 1, created_at: '2026-01-01T00:00:00.000Z', url: 'u' },
          SECRET,
        ),
      ),
    );
    // Let the workers start and share the 16 partitions out (at most 6 each), so that rebalancing is not measured.
    const settleBy = Date.now() + 60_000;
    for (;;) {
      const holders = await Promise.all(Array.from({ length: 16 }, (_, partition) => client.get(`${prefix}{${partition}}:lease`)));
      const counts = new Map<string, number>();
      for (const holder of holders) if (holder) counts.set(holder.split(':').slice(1).join(':'), (counts.get(holder.split(':').slice(1).join(':')) ?? 0) + 1);
      if (holders.every(Boolean) && counts.size === 3 && Math.max(...counts.values()) <= 6) break;
      if (Date.now() > settleBy) throw new Error('the workers did not share the partitions out within a minute');
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const answers: number[] = [];
    let next = 0;
    const started = performance.timeOrigin + performance.now();
    await Promise.all(
      Array.from({ length: 16 }, async () => {
        while (next < deliveries.length) {
          const delivery = deliveries[next++]!;
          const sent = performance.now();
          const response = await request(`${origin}/webhook`, { method: 'POST', body: delivery.body, headers: delivery.headers, dispatcher: agent });
          await response.body.arrayBuffer();
          answers.push(performance.now() - sent);
          if (response.statusCode !== 200) throw new Error(`the receiver answered ${response.statusCode}`);
        }
      }),
    );
    const deadline = Date.now() + 120_000;
    while ((await queue.stats()).length > 0) {
      if (Date.now() > deadline) throw new Error('the workers did not drain the queue within 2 minutes');
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const reports = await Promise.all(
      workers.map(async (worker) => {
        const chunks: Buffer[] = [];
        worker.stdout!.on('data', (chunk: Buffer) => chunks.push(chunk));
        worker.kill('SIGTERM');
        await once(worker, 'exit');
        return JSON.parse(Buffer.concat(chunks).toString()) as { latencies: number[]; lastDoneAt: number };
      }),
    );
    const latencies = reports.flatMap((report) => report.latencies);
    if (latencies.length !== events) throw new Error(`the workers ran ${latencies.length} events, not ${events}`);
    const finished = Math.max(...reports.map((report) => report.lastDoneAt));
    return {
      events,
      workers: workers.length,
      eventsPerSecond: events / ((finished - started) / 1000),
      latencyP50Ms: percentile(latencies, 50),
      latencyP99Ms: percentile(latencies, 99),
      answerP50Ms: percentile(answers, 50),
      answerP99Ms: percentile(answers, 99),
    };
  } finally {
    for (const worker of workers) if (worker.exitCode === null) worker.kill('SIGKILL');
    server.close();
    await agent.close();
    client.disconnect();
    await redis.stop();
  }
}

// `tsx bench/handoff.ts [events]`: this measurement alone.
if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(JSON.stringify(await measureHandoff(Number(process.argv[2] ?? 5000)), null, 2));
}
