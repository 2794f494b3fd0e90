/**
 * One worker process of the hand-off benchmark: reads the queue until SIGTERM and then prints, as JSON, the
 * latency of every event from its receipt (stamped by the receiver) to the start of the user's code, and when the
 * last event finished. `node handoff-worker.mjs <redisPort> <prefix>`.
 */
import { Redis } from 'ioredis';
import { createRedisEventQueue } from '../src/node/index.js';

const [redisPort, prefix = 'bench:'] = process.argv.slice(2);
const client = new Redis({ port: Number(redisPort), host: '127.0.0.1', maxRetriesPerRequest: 0 });
const queue = createRedisEventQueue({ client, prefix });
const controller = new AbortController();
process.on('SIGTERM', () => controller.abort());
const latencies: number[] = [];
let lastDoneAt = 0;
await queue.work({
  signal: controller.signal,
  leaseMs: 2000,
  handle: (_event, info) => {
    const now = performance.timeOrigin + performance.now();
    latencies.push(now - info.receivedAt);
    lastDoneAt = now;
  },
});
client.disconnect();
process.stdout.write(JSON.stringify({ latencies, lastDoneAt }));
