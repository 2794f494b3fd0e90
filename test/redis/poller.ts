/**
 * A poller of the multi-process polling test: Pachca's `pollWebhookEvents` under a Redis lease, queueing what it
 * fetches in the hand-off. Each poller has its own token, so the fake endpoint can tell who polls.
 * Run with tsx: `poller.ts <redisPort> <prefix> <baseUrl> <token>`.
 */
import { Redis } from 'ioredis';
import { createRedisEventQueue, createRedisLease } from '../../src/node/index.js';
import { createPachcaClient } from '../../src/pachca/index.js';

const [redisPort, prefix = '', baseUrl = '', token = ''] = process.argv.slice(2);
const client = new Redis({ port: Number(redisPort), host: '127.0.0.1', maxRetriesPerRequest: 0, commandTimeout: 2000 });
const queue = createRedisEventQueue({ client, prefix, partitions: 4 });
const controller = new AbortController();
process.on('SIGTERM', () => controller.abort());
const pachca = createPachcaClient({ token, baseUrl });
await pachca.pollWebhookEvents({
  handoff: queue.handoff,
  lease: createRedisLease({ client, name: 'pachca-events', prefix, leaseMs: 1000 }),
  intervalMs: 50,
  limit: 20,
  signal: controller.signal,
  onError: (error) => process.stderr.write(`${String(error)}\n`),
});
client.disconnect();
