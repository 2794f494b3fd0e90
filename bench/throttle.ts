/**
 * The throttle's cost and effect: the overhead per call when nothing has to wait (in memory, and in Redis on
 * loopback when a `redis-server` binary is at hand), and 200 sends spread over 50 chats, which must finish in the
 * time the budget allows and no sooner.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { performance } from 'node:perf_hooks';
import { Redis } from 'ioredis';
import { createRedisThrottleStore } from '../src/node/index.js';
import { createPachcaClient } from '../src/pachca/index.js';
import { freePort } from '../src/testing/index.js';

/** What the throttle benchmark measured. */
export interface ThrottleResult {
  /** Microseconds a call costs without the throttle, with it in memory, and with it in Redis (when measured). */
  readonly plainUs: number;
  readonly memoryUs: number;
  readonly redisUs: number | undefined;
  /** The same through Redis when the whole script is sent with every call (`EVAL`), as before scripts went by hash. */
  readonly redisEvalUs: number | undefined;
  /** 200 sends to 50 chats under a budget of 1 per 250 ms per chat: the time taken and the least the budget allows. */
  readonly spreadMs: number;
  readonly spreadMinimumMs: number;
  /** The same sends under Pachca's documented budgets (all fit in the burst windows, so no wait is due). */
  readonly defaultSpreadMs: number;
}

const answer = (): Promise<Response> => Promise.resolve(new Response('{"data":{"id":1}}', { status: 201, headers: { 'content-type': 'application/json' } }));

/** Microseconds per call of `n` sequential sends to distinct chats (so no budget is ever short). */
async function perCall(client: ReturnType<typeof createPachcaClient>, n: number): Promise<number> {
  for (let i = 0; i < 500; i++) await client.createMessage({ body: { message: { entity_id: 1_000_000 + i, content: 'x' } } });
  const started = performance.now();
  for (let i = 0; i < n; i++) await client.createMessage({ body: { message: { entity_id: i, content: 'x' } } });
  return ((performance.now() - started) * 1000) / n;
}

/** Starts Debian's redis-server on a free loopback port; undefined when it is not installed. */
export async function startRedis(): Promise<{ port: number; stop: () => Promise<void> } | undefined> {
  const port = await freePort();
  const server = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
  const failed = await Promise.race([once(server, 'error').then(() => true), new Promise<false>((resolve) => setTimeout(() => resolve(false), 300))]);
  if (failed) return undefined;
  return {
    port,
    stop: async () => {
      server.kill('SIGTERM');
      await once(server, 'exit');
    },
  };
}

/** Runs the throttle benchmark. */
export async function measureThrottle(calls: number): Promise<ThrottleResult> {
  // Plain and in-memory alternate three times each; the best of each is kept, so warm-up favours neither.
  const plain = createPachcaClient({ token: 'bench-token-0123', fetch: answer, timeoutMs: 0 });
  const memory = createPachcaClient({ token: 'bench-token-0123', fetch: answer, timeoutMs: 0, throttle: true });
  const plainRuns: number[] = [];
  const memoryRuns: number[] = [];
  for (let round = 0; round < 3; round++) {
    plainRuns.push(await perCall(plain, calls));
    memoryRuns.push(await perCall(memory, calls));
  }
  const plainUs = Math.min(...plainRuns);
  const memoryUs = Math.min(...memoryRuns);
  let redisUs: number | undefined;
  let redisEvalUs: number | undefined;
  const redis = await startRedis();
  if (redis) {
    const client = new Redis({ port: redis.port, host: '127.0.0.1', maxRetriesPerRequest: 0 });
    try {
      await client.ping();
      const through = (store: Parameters<typeof createRedisThrottleStore>[0]['client']) =>
        perCall(createPachcaClient({ token: 'bench-token-0123', fetch: answer, timeoutMs: 0, throttle: { store: createRedisThrottleStore({ client: store }) } }), Math.min(calls, 5000));
      // A client without evalsha makes the store send the source every time, as it did before.
      const evalOnly = { eval: client.eval.bind(client) as Parameters<typeof createRedisThrottleStore>[0]['client']['eval'] };
      const byHash: number[] = [];
      const bySource: number[] = [];
      // Alternating which goes first, so that warm-up favours neither.
      for (let round = 0; round < 4; round++) {
        if (round % 2 === 0) byHash.push(await through(client));
        bySource.push(await through(evalOnly));
        if (round % 2 === 1) byHash.push(await through(client));
      }
      redisUs = Math.min(...byHash);
      redisEvalUs = Math.min(...bySource);
    } finally {
      client.disconnect();
      await redis.stop();
    }
  }
  const spread = async (throttle: NonNullable<NonNullable<Parameters<typeof createPachcaClient>[0]>['throttle']>): Promise<number> => {
    const client = createPachcaClient({ token: 'bench-token-0123', fetch: answer, timeoutMs: 0, throttle });
    const started = performance.now();
    await Promise.all(Array.from({ length: 200 }, (_, i) => client.createMessage({ body: { message: { entity_id: i % 50, content: 'x' } } })));
    return performance.now() - started;
  };
  return {
    plainUs,
    memoryUs,
    redisUs,
    redisEvalUs,
    spreadMs: await spread({ budgets: { messageWrites: [{ limit: 1, windowMs: 250 }] } }),
    // Four sends per chat, one per 250 ms: the fourth cannot leave before 750 ms.
    spreadMinimumMs: 750,
    defaultSpreadMs: await spread(true),
  };
}
