/**
 * A durable hand-off of webhook events through Redis streams, for many receivers and many workers.
 *
 * Receivers (`queue.handoff`, given to a webhook handler or a poller) write each event to one of `partitions`
 * streams, chosen by a hash of its order key (its chat), and answer 200 only once Redis has it. The same script
 * drops a duplicate (one `SET NX` per event key, kept `rememberMs`) and refuses an event when the partition holds
 * `maxLength` unfinished ones, so the streams stay bounded without trimming an event nobody handled.
 *
 * Workers (`queue.work(...)`) read the streams as one consumer group. Each partition is read by one worker at a
 * time, which holds a lease on it (renewed every third of `leaseMs`, with a fencing token that changes with every
 * holder), and runs its events one at a time, so the events of a chat run in the order they arrived. An event is
 * acknowledged (and deleted) only after the user's code finished, and only while the worker still holds the lease;
 * a failed event is run again with backoff and, after `maxAttempts`, moved to the partition's dead-letter stream
 * with its last error (redacted). A worker that stops leaves its event pending: whoever takes the partition next
 * claims it (`XAUTOCLAIM`) once it has been idle `claimAfterMs`, and runs it before any newer event of the
 * partition. Workers share the partitions evenly: each holds at most its share of the live workers.
 *
 * Every key one script touches shares the partition's hash tag (`events:{3}:stream`, `events:{3}:lease`, …), so
 * the queue works on a Redis Cluster; scripts are sent by hash.
 */
import { randomBytes } from 'node:crypto';
import { setMaxListeners } from 'node:events';
import { hostname } from 'node:os';
import { Redactor } from '../core/errors/redact.js';
import {
  EventDeadLetteredError,
  LeaseLostError,
  type EventHandoff,
  type HandoffEntry,
  type HandoffOutcome,
} from '../core/webhooks/handoff.js';
import { LEASE } from './lease-redis.js';
import { hashTag, redisScript, runScript, type RedisScriptClient } from './redis-script.js';

/** A second connection that listens for wake-ups (ioredis's `duplicate()` gives one). */
export interface RedisSubscriberClient {
  subscribe(...channels: string[]): Promise<unknown>;
  on(event: string, listener: (...args: string[]) => void): unknown;
  disconnect(): void;
}

/** The part of a Redis client the queue uses: ioredis `Redis` or `Cluster`, or an adapter. */
export interface RedisQueueClient extends RedisScriptClient {
  /**
   * Opens a second connection, on which a worker listens for new events so that it reads them at once. Without
   * it, a worker looks for new events every `idleMs`.
   */
  duplicate?(): RedisSubscriberClient;
}

/** Options of {@link createRedisEventQueue}. */
export interface RedisEventQueueOptions {
  /** A connected client, e.g. `new Redis({ commandTimeout: 1000, maxRetriesPerRequest: 0 })` from ioredis. */
  readonly client: RedisQueueClient;
  /**
   * A prefix for every key the queue writes; receivers and workers of one queue must use the same.
   * @default "events:"
   */
  readonly prefix?: string;
  /**
   * How many streams events are spread over by their order key. More partitions let more chats run in parallel;
   * every receiver and worker of one queue must use the same number.
   * @default 16
   */
  readonly partitions?: number;
  /**
   * The most unfinished events one partition holds; a receiver refuses more (its handler answers 503, so the
   * vendor delivers them later) rather than dropping any.
   * @default 10000
   */
  readonly maxLength?: number;
  /**
   * The most dead letters kept per partition; the oldest are trimmed first.
   * @default 10000
   */
  readonly deadLetterMaxLength?: number;
}

/** What a worker's code is told about an event besides the event itself. */
export interface QueuedEventInfo {
  /** The stream entry's id. */
  readonly id: string;
  /** The event's dedupe key. */
  readonly key: string;
  /** Its order key (its chat). */
  readonly orderKey: string;
  /** The API it came from (`pachca`, `ok`). */
  readonly source: string;
  /** 1 for the first run, more for a retry (or a replay after a worker stopped mid-way). */
  readonly attempt: number;
  /** When a receiver stored it, in milliseconds since the epoch (with a fraction). */
  readonly receivedAt: number;
}

/** Options of {@link RedisEventQueue.work}. */
export interface RedisWorkerOptions {
  /**
   * Your code for one event (`handlePachcaEvents({ … })` or `handleOkEvents({ … })`); the event is acknowledged
   * once the promise resolves. It may run again after a crash mid-way, so it must tolerate that.
   */
  readonly handle: (event: unknown, info: QueuedEventInfo) => unknown;
  /** Stops the worker: the events in hand finish (and are acknowledged), then its partitions are given up. */
  readonly signal?: AbortSignal;
  /**
   * How many times an event's code runs before the event is moved to the dead-letter stream.
   * @default 5
   */
  readonly maxAttempts?: number;
  /**
   * The pause before the first retry of a failed event, in milliseconds; it doubles with every retry.
   * @default 1000
   */
  readonly retryDelayMs?: number;
  /**
   * The longest pause between two retries, in milliseconds.
   * @default 60000
   */
  readonly maxRetryDelayMs?: number;
  /**
   * How long an event of a stopped worker stays untouched before another worker claims it, in milliseconds.
   * @default 30000
   */
  readonly claimAfterMs?: number;
  /**
   * How long a worker's hold on a partition lasts without renewal, in milliseconds: a worker that stops is
   * replaced within this time. Keep your code from blocking the event loop this long.
   * @default 10000
   */
  readonly leaseMs?: number;
  /**
   * How often an idle partition is looked at when no wake-up arrives, in milliseconds.
   * @default 1000
   */
  readonly idleMs?: number;
  /**
   * The worker's name in the consumer group; unique per process.
   * @default host name, process id and a random suffix
   */
  readonly name?: string;
  /**
   * Values replaced by `[REDACTED]` in the error kept with a dead letter (tokens, secrets your code uses);
   * credential-like URL parameters are always replaced.
   * @default none
   */
  readonly secrets?: readonly string[];
  /**
   * Hears of every failure: of your code (each attempt), of an event moved to the dead-letter stream
   * (`EventDeadLetteredError`), of a lost lease (`LeaseLostError`), of Redis.
   * @default nothing
   */
  readonly onError?: (error: unknown) => void;
}

/** An event moved to the dead-letter stream. */
export interface DeadLetter {
  /** The dead-letter entry's id. */
  readonly id: string;
  readonly partition: number;
  /** The original entry's id. */
  readonly entryId: string;
  readonly key: string;
  readonly orderKey: string;
  readonly source: string;
  readonly event: unknown;
  /** The last error, with secrets replaced. */
  readonly error: string;
  readonly attempts: number;
  readonly receivedAt: number;
}

/** How much a queue holds. */
export interface RedisEventQueueStats {
  /** Unfinished events (pending ones included). */
  readonly length: number;
  /** Events a worker read and has not acknowledged. */
  readonly pending: number;
  readonly deadLetters: number;
}

/** A queue, its receiving side and its workers. */
export interface RedisEventQueue {
  /** Give this to a webhook handler (`handoff`) or a poller. */
  readonly handoff: EventHandoff;
  /** Runs a worker until the signal fires. */
  work(options: RedisWorkerOptions): Promise<void>;
  /** The dead letters, oldest first, up to `count` per partition. */
  deadLetters(count?: number): Promise<DeadLetter[]>;
  /** What the queue holds, over all partitions. */
  stats(): Promise<RedisEventQueueStats>;
  /** The partition an order key goes to. */
  partitionOf(orderKey: string): number;
}

const GROUP = 'workers';

/** KEYS: stream, seen. ARGV: maxLength, rememberMs, event, key, order, source, at, channel, partition. */
const ENQUEUE = redisScript(`
if not redis.call('SET', KEYS[2], '1', 'NX', 'PX', ARGV[2]) then return 'duplicate' end
if redis.call('XLEN', KEYS[1]) >= tonumber(ARGV[1]) then
  redis.call('DEL', KEYS[2])
  return 'full'
end
redis.call('XADD', KEYS[1], '*', 'event', ARGV[3], 'key', ARGV[4], 'order', ARGV[5], 'source', ARGV[6], 'at', ARGV[7])
redis.call('PUBLISH', ARGV[8], ARGV[9])
return 'queued'
`);

/** KEYS: stream. ARGV: group. Creates the group (from the stream's start) unless it exists. */
const PREPARE = redisScript(`
redis.pcall('XGROUP', 'CREATE', KEYS[1], ARGV[1], '0', 'MKSTREAM')
return 1
`);

/**
 * KEYS: stream, lease, attempts. ARGV: group, consumer, token, claimAfterMs.
 * The next event of a partition for its lease holder: its own pending one first (a retry), then one a stopped
 * worker left (once idle claimAfterMs; until then nothing newer is read, to keep the order), then a new one.
 */
const NEXT = redisScript(`
if redis.call('GET', KEYS[2]) ~= ARGV[3] then return {'lost'} end
local function deliver(entry)
  if not entry[2] then
    redis.call('XACK', KEYS[1], ARGV[1], entry[1])
    redis.call('HDEL', KEYS[3], entry[1])
    return {'again'}
  end
  local attempt = redis.call('HINCRBY', KEYS[3], entry[1], 1)
  return {'entry', entry[1], entry[2], attempt}
end
local mine = redis.call('XREADGROUP', 'GROUP', ARGV[1], ARGV[2], 'COUNT', 1, 'STREAMS', KEYS[1], '0')
if mine and mine[1] and #mine[1][2] > 0 then return deliver(mine[1][2][1]) end
local summary = redis.call('XPENDING', KEYS[1], ARGV[1])
if summary[1] > 0 then
  local claimed = redis.call('XAUTOCLAIM', KEYS[1], ARGV[1], ARGV[2], ARGV[4], '0-0', 'COUNT', 1)
  if #claimed[2] > 0 then return deliver(claimed[2][1]) end
  local oldest = redis.call('XPENDING', KEYS[1], ARGV[1], '-', '+', 1)
  if #oldest > 0 then return {'wait', tostring(tonumber(ARGV[4]) - oldest[1][3])} end
end
local fresh = redis.call('XREADGROUP', 'GROUP', ARGV[1], ARGV[2], 'COUNT', 1, 'STREAMS', KEYS[1], '>')
if fresh and fresh[1] and #fresh[1][2] > 0 then return deliver(fresh[1][2][1]) end
return {'empty'}
`);

/**
 * KEYS: stream, lease, attempts[, dead]. ARGV: group, token, id[, deadMaxLength, event, key, order, source, at,
 * error, attempts]. Acknowledges a finished event and removes it from the partition, if the lease is still this
 * worker's; given the dead-letter stream (and its fields), it moves the event there in the same step.
 */
const FINISH = redisScript(`
if redis.call('GET', KEYS[2]) ~= ARGV[2] then return 0 end
if KEYS[4] then
  redis.call('XADD', KEYS[4], 'MAXLEN', '~', ARGV[4], '*', 'entry', ARGV[3], 'event', ARGV[5], 'key', ARGV[6], 'order', ARGV[7], 'source', ARGV[8], 'at', ARGV[9], 'error', ARGV[10], 'attempts', ARGV[11])
end
redis.call('XACK', KEYS[1], ARGV[1], ARGV[3])
redis.call('XDEL', KEYS[1], ARGV[3])
redis.call('HDEL', KEYS[3], ARGV[3])
return 1
`);

/** KEYS: lease, stream. ARGV: token, group, consumer. Gives a partition up, and the consumer when it holds nothing. */
const GIVE_UP = redisScript(`
if redis.call('GET', KEYS[1]) == ARGV[1] then redis.call('DEL', KEYS[1]) end
if #redis.call('XPENDING', KEYS[2], ARGV[2], '-', '+', 1, ARGV[3]) == 0 then
  redis.call('XGROUP', 'DELCONSUMER', KEYS[2], ARGV[2], ARGV[3])
end
return 1
`);

/** KEYS: workers. ARGV: name, ttlMs (0 to leave). Keeps the set of live workers; returns how many there are. */
const REGISTER = redisScript(`
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
local ttl = tonumber(ARGV[2])
if ttl == 0 then redis.call('ZREM', KEYS[1], ARGV[1]) else redis.call('ZADD', KEYS[1], now + ttl, ARGV[1]) end
redis.call('PEXPIRE', KEYS[1], math.max(ttl, 1000) * 3)
return redis.call('ZCARD', KEYS[1])
`);

/** KEYS: stream, dead. ARGV: group. */
const STATS = redisScript(`
local pending = 0
if redis.call('EXISTS', KEYS[1]) == 1 then
  local summary = redis.pcall('XPENDING', KEYS[1], ARGV[1])
  if type(summary) == 'table' and summary[1] then pending = summary[1] end
end
return {redis.call('XLEN', KEYS[1]), pending, redis.call('XLEN', KEYS[2])}
`);

/** KEYS: dead. ARGV: count. */
const DEAD = redisScript(`return redis.call('XRANGE', KEYS[1], '-', '+', 'COUNT', ARGV[1])`);

/** 32-bit FNV-1a: the same partition for the same order key in every process. */
function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (const byte of new TextEncoder().encode(text)) {
    hash ^= byte;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash;
}

/** A stream entry's flat field list as an object. */
function fieldsOf(flat: unknown): Record<string, string> {
  const fields: Record<string, string> = {};
  if (!Array.isArray(flat)) return fields;
  for (let i = 0; i + 1 < flat.length; i += 2) fields[String(flat[i])] = String(flat[i + 1]);
  return fields;
}

function positiveInteger(name: string, value: number | undefined, fallback: number, max = Number.MAX_SAFE_INTEGER): number {
  const chosen = value ?? fallback;
  if (!Number.isInteger(chosen) || chosen < 1 || chosen > max) throw new RangeError(`${name} must be a whole number from 1 to ${max}, got ${String(value)}`);
  return chosen;
}

/** Waits `ms` or until woken or aborted; never rejects. */
function pause(ms: number, signal: AbortSignal | undefined, wake?: (resume: () => void) => void): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const done = (): void => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, Math.max(0, ms));
    signal?.addEventListener('abort', done, { once: true });
    wake?.(done);
  });
}

/** Creates a queue over Redis streams. */
export function createRedisEventQueue(options: RedisEventQueueOptions): RedisEventQueue {
  const { client } = options;
  const prefix = options.prefix ?? 'events:';
  const partitions = positiveInteger('partitions', options.partitions, 16, 1024);
  const maxLength = positiveInteger('maxLength', options.maxLength, 10_000);
  const deadLetterMaxLength = positiveInteger('deadLetterMaxLength', options.deadLetterMaxLength, 10_000);
  const channel = `${prefix}wake`;
  const keys = (partition: number) => {
    const base = `${prefix}${hashTag(String(partition))}`;
    return { stream: `${base}:stream`, lease: `${base}:lease`, fence: `${base}:fence`, attempts: `${base}:attempts`, dead: `${base}:dead`, seen: `${base}:seen:` };
  };
  const partitionOf = (orderKey: string): number => fnv1a(orderKey) % partitions;

  const handoff: EventHandoff = {
    async enqueue(entry: HandoffEntry): Promise<HandoffOutcome> {
      const partition = partitionOf(entry.orderKey);
      const at = performance.timeOrigin + performance.now();
      const k = keys(partition);
      const outcome = await runScript(
        client,
        ENQUEUE,
        [k.stream, `${k.seen}${entry.key}`],
        [maxLength, entry.rememberMs, JSON.stringify(entry.event), entry.key, entry.orderKey, entry.source, at.toFixed(3), channel, partition],
      );
      if (outcome !== 'queued' && outcome !== 'duplicate' && outcome !== 'full') throw new Error(`the queue answered ${String(outcome)}`);
      return outcome;
    },
  };

  async function work(workerOptions: RedisWorkerOptions): Promise<void> {
    const { handle } = workerOptions;
    if (typeof handle !== 'function') throw new TypeError('handle must be a function');
    // One internal signal, followed by every partition's waits: the caller's signal gets one listener, not one per
    // partition.
    const stopping = new AbortController();
    const { signal } = stopping;
    setMaxListeners(partitions + 16, signal);
    if (workerOptions.signal?.aborted) stopping.abort();
    else workerOptions.signal?.addEventListener('abort', () => stopping.abort(), { once: true });
    const maxAttempts = positiveInteger('maxAttempts', workerOptions.maxAttempts, 5);
    const retryDelayMs = positiveInteger('retryDelayMs', workerOptions.retryDelayMs, 1000);
    const maxRetryDelayMs = positiveInteger('maxRetryDelayMs', workerOptions.maxRetryDelayMs, 60_000);
    const claimAfterMs = positiveInteger('claimAfterMs', workerOptions.claimAfterMs, 30_000);
    const leaseMs = positiveInteger('leaseMs', workerOptions.leaseMs, 10_000);
    const idleMs = positiveInteger('idleMs', workerOptions.idleMs, 1000);
    if (leaseMs < 30) throw new RangeError(`leaseMs must be at least 30, got ${leaseMs}`);
    const name = workerOptions.name ?? `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`;
    const redactor = new Redactor();
    for (const secret of workerOptions.secrets ?? []) redactor.addSecret(secret);
    const report = (error: unknown): void => {
      try {
        workerOptions.onError?.(error);
      } catch {
        // A failing error hook must not stop the worker.
      }
    };
    const describe = (error: unknown): string => {
      const safe = redactor.error(error);
      return safe instanceof Error ? `${safe.name}: ${safe.message}` : redactor.text(String(safe));
    };

    /** Partitions this worker holds: their token, and whether it should give them up after the event in hand. */
    const held = new Map<number, { token: string; lost: boolean; surplus: boolean; done: Promise<void> }>();
    const woken = new Set<number>();
    const wakers = new Map<number, () => void>();

    let subscriber: RedisSubscriberClient | undefined;
    if (typeof client.duplicate === 'function') {
      try {
        subscriber = client.duplicate();
        subscriber.on('error', () => undefined);
        subscriber.on('message', (_channel: string, message: string) => {
          const partition = Number(message);
          woken.add(partition);
          wakers.get(partition)?.();
        });
        await subscriber.subscribe(channel);
      } catch (error) {
        // Without wake-ups the worker still finds new events every idleMs.
        report(error);
        subscriber?.disconnect();
        subscriber = undefined;
      }
    }

    async function runPartition(partition: number, hold: { token: string; lost: boolean; surplus: boolean }): Promise<void> {
      const k = keys(partition);
      let failures = 0;
      let inRetry = false;
      await runScript(client, PREPARE, [k.stream], [GROUP]);
      while (!hold.lost && !(signal?.aborted && !inRetry) && !(hold.surplus && !inRetry)) {
        woken.delete(partition);
        let answer: unknown[];
        try {
          answer = (await runScript(client, NEXT, [k.stream, k.lease, k.attempts], [GROUP, name, hold.token, claimAfterMs])) as unknown[];
          failures = 0;
        } catch (error) {
          report(error);
          failures++;
          await pause(Math.min(maxRetryDelayMs, 100 * 2 ** failures), signal);
          if (signal?.aborted) return;
          // The stream (and its group) was removed under the worker: make them again.
          if (error instanceof Error && error.message.includes('NOGROUP')) await runScript(client, PREPARE, [k.stream], [GROUP]).catch(report);
          continue;
        }
        const kind = String(answer[0]);
        if (kind === 'lost') {
          hold.lost = true;
          break;
        }
        if (kind === 'again') continue;
        if (kind === 'wait') {
          await pause(Math.min(Number(answer[1]), idleMs), signal);
          continue;
        }
        if (kind === 'empty') {
          inRetry = false;
          if (woken.has(partition)) continue;
          await pause(idleMs, signal, (resume) => wakers.set(partition, resume));
          wakers.delete(partition);
          continue;
        }
        const id = String(answer[1]);
        const fields = fieldsOf(answer[2]);
        const attempt = Number(answer[3]);
        const info: QueuedEventInfo = {
          id,
          key: fields.key ?? '',
          orderKey: fields.order ?? '',
          source: fields.source ?? '',
          attempt,
          receivedAt: Number(fields.at),
        };
        let failure: { error: unknown } | undefined;
        if (attempt > maxAttempts) {
          failure = { error: new Error(`the event was taken ${attempt - 1} times without finishing (its worker stopped each time)`) };
        } else {
          try {
            await handle(JSON.parse(fields.event ?? 'null') as unknown, info);
          } catch (error) {
            failure = { error };
          }
        }
        if (failure === undefined) {
          inRetry = false;
          await settle([k.stream, k.lease, k.attempts], [GROUP, hold.token, id], hold, `acknowledging ${info.key}`);
          continue;
        }
        report(failure.error);
        if (attempt < maxAttempts) {
          // The event stays pending for this worker; the next round returns it again, after the backoff.
          inRetry = true;
          await pause(Math.min(maxRetryDelayMs, retryDelayMs * 2 ** (attempt - 1)), signal);
          if (signal?.aborted) return;
          continue;
        }
        inRetry = false;
        const error = describe(failure.error);
        const buried = await settle(
          [k.stream, k.lease, k.attempts, k.dead],
          [GROUP, hold.token, id, deadLetterMaxLength, fields.event ?? 'null', info.key, info.orderKey, info.source, fields.at ?? '0', error, Math.min(attempt, maxAttempts)],
          hold,
          `moving ${info.key} to the dead-letter stream`,
        );
        if (buried) report(new EventDeadLetteredError(id, info.key, Math.min(attempt, maxAttempts), new Error(error)));
      }
    }

    /** Runs the finishing script until it lands, the lease is lost or the worker stops; true when it landed. */
    async function settle(scriptKeys: string[], args: (string | number)[], hold: { lost: boolean }, what: string): Promise<boolean> {
      for (let failures = 0; ; failures++) {
        try {
          if (Number(await runScript(client, FINISH, scriptKeys, args)) === 1) return true;
          hold.lost = true;
          report(new LeaseLostError(what));
          return false;
        } catch (error) {
          report(error);
          if (signal?.aborted || hold.lost) return false;
          await pause(Math.min(maxRetryDelayMs, 100 * 2 ** failures), signal);
        }
      }
    }

    /** Renews the held leases, takes free partitions up to this worker's share and marks the surplus. */
    async function tick(): Promise<void> {
      // A worker that stops leaves the count after leaseMs, as its leases lapse: the others' shares then grow.
      const live = Number(await runScript(client, REGISTER, [`${prefix}${hashTag('workers')}`], [name, leaseMs]));
      const share = Math.ceil(partitions / Math.max(1, live));
      for (const [partition, hold] of held) {
        if (hold.lost) continue;
        const k = keys(partition);
        const token = await runScript(client, LEASE, [k.lease, k.fence], [name, leaseMs, hold.token]);
        if (token !== hold.token) hold.lost = true;
      }
      const active = [...held.values()].filter((hold) => !hold.lost && !hold.surplus);
      for (const hold of active.slice(share)) {
        hold.surplus = true;
        wakers.forEach((resume) => resume());
      }
      let count = Math.min(active.length, share);
      const start = fnv1a(name) % partitions;
      for (let i = 0; i < partitions && count < share && !signal?.aborted; i++) {
        const partition = (start + i) % partitions;
        if (held.has(partition)) continue;
        const k = keys(partition);
        const token = await runScript(client, LEASE, [k.lease, k.fence], [name, leaseMs, '']);
        if (typeof token !== 'string') continue;
        count++;
        const hold = { token, lost: false, surplus: false, done: Promise.resolve() };
        hold.done = runPartition(partition, hold)
          .catch(report)
          .finally(async () => {
            held.delete(partition);
            if (!hold.lost) await runScript(client, GIVE_UP, [k.lease, k.stream], [token, GROUP, name]).catch(report);
          });
        held.set(partition, hold);
      }
    }

    let failures = 0;
    while (!signal?.aborted) {
      try {
        await tick();
        failures = 0;
      } catch (error) {
        report(error);
        failures++;
      }
      await pause(failures > 0 ? Math.min(leaseMs / 3, 100 * 2 ** failures) : leaseMs / 3, signal);
    }
    wakers.forEach((resume) => resume());
    await Promise.all([...held.values()].map((hold) => hold.done));
    await runScript(client, REGISTER, [`${prefix}${hashTag('workers')}`], [name, 0]).catch(report);
    subscriber?.disconnect();
  }

  return {
    handoff,
    work,
    partitionOf,
    async deadLetters(count = 100) {
      const letters: DeadLetter[] = [];
      for (let partition = 0; partition < partitions; partition++) {
        const entries = (await runScript(client, DEAD, [keys(partition).dead], [count])) as [string, unknown][];
        for (const [id, flat] of entries) {
          const fields = fieldsOf(flat);
          letters.push({
            id,
            partition,
            entryId: fields.entry ?? '',
            key: fields.key ?? '',
            orderKey: fields.order ?? '',
            source: fields.source ?? '',
            event: JSON.parse(fields.event ?? 'null') as unknown,
            error: fields.error ?? '',
            attempts: Number(fields.attempts),
            receivedAt: Number(fields.at),
          });
        }
      }
      return letters;
    },
    async stats() {
      let length = 0;
      let pending = 0;
      let deadLetters = 0;
      for (let partition = 0; partition < partitions; partition++) {
        const k = keys(partition);
        const [streamLength, pendingCount, deadCount] = (await runScript(client, STATS, [k.stream, k.dead], [GROUP])) as number[];
        length += Number(streamLength);
        pending += Number(pendingCount);
        deadLetters += Number(deadCount);
      }
      return { length, pending, deadLetters };
    },
  };
}
