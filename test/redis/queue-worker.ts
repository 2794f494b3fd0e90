/**
 * A worker of the multi-process hand-off test. Its code for an event prints `start <id>`, works for 15 ms, records
 * `<id>:<name>` at the end of the Redis list `<prefix>done` (the proof the code finished), and prints `end <id>`.
 * Events whose id is divisible by `failEvery` always throw. The first worker to run event `hangId` prints `hang`
 * and stays in it (so the test can kill a worker that is certainly mid-event); any later run finishes normally.
 * SIGTERM stops it cleanly.
 * Run with tsx: `queue-worker.ts <redisPort> <prefix> <partitions> <name> <failEvery|0> <hangId>`.
 */
import { Redis } from 'ioredis';
import { createRedisEventQueue } from '../../src/node/index.js';
import { handlePachcaEvents } from '../../src/pachca/index.js';

const [redisPort, prefix = '', partitions, name = '', failEvery, hangId] = process.argv.slice(2);
const client = new Redis({ port: Number(redisPort), host: '127.0.0.1', maxRetriesPerRequest: 0, commandTimeout: 2000 });
const queue = createRedisEventQueue({ client, prefix, partitions: Number(partitions) });
const controller = new AbortController();
process.on('SIGTERM', () => controller.abort());

await queue.work({
  name,
  signal: controller.signal,
  leaseMs: 1000,
  claimAfterMs: 1500,
  idleMs: 200,
  maxAttempts: 3,
  retryDelayMs: 50,
  secrets: ['worker-secret-0123456789'],
  handle: handlePachcaEvents({
    message: async (event) => {
      process.stdout.write(`start ${event.id}\n`);
      if (Number(failEvery) > 0 && event.id % Number(failEvery) === 0) throw new Error(`event ${event.id} refused with worker-secret-0123456789`);
      if (event.id === Number(hangId) && (await client.set(`${prefix}hung`, name, 'NX'))) {
        process.stdout.write('hang\n');
        await new Promise((resolve) => setTimeout(resolve, 600_000));
      }
      await new Promise((resolve) => setTimeout(resolve, 15));
      await client.rpush(`${prefix}done`, `${event.id}:${name}`);
      process.stdout.write(`end ${event.id}\n`);
    },
  }),
  onError: (error) => process.stderr.write(`${String(error)}\n`),
});
client.disconnect();
