/**
 * One worker of the multi-process test: a Pachca client throttled through the shared Redis store, sending its
 * messages to one chat as fast as the budget lets it. Run with tsx: `worker.ts <redisPort> <baseUrl> <count>`.
 */
import { Redis } from 'ioredis';
import { createRedisThrottleStore } from '../../src/node/index.js';
import { createPachcaClient } from '../../src/pachca/index.js';

const [redisPort, baseUrl = '', count, startAt] = process.argv.slice(2);
const client = new Redis({ port: Number(redisPort), host: '127.0.0.1', maxRetriesPerRequest: 0, commandTimeout: 1000 });
const pachca = createPachcaClient({
  token: 'tok-worker-0123456789',
  baseUrl,
  throttle: { store: createRedisThrottleStore({ client }), budgets: { messageWrites: [{ limit: 5, windowMs: 500 }] } },
});
// Open the connections first and start together, so that start-up latency does not bunch the first sends.
await client.ping();
await fetch(`${baseUrl}/warm-up`).then((response) => response.arrayBuffer());
await new Promise((resolve) => setTimeout(resolve, Math.max(0, Number(startAt) - Date.now())));
await Promise.all(
  Array.from({ length: Number(count) }, (_, i) => pachca.createMessage({ body: { message: { entity_id: 42, content: `${process.pid}:${i}` } } })),
);
client.disconnect();
