/**
 * The durable hand-off across processes: two receivers (one per handler form) and three workers, 1,000 signed
 * Pachca events over 20 chats, a fifth of them delivered twice to different receivers, and one worker killed with
 * SIGKILL while it handles an event. Every event must be handled to completion, the ones the killed worker held
 * again by another worker, every other exactly once, each chat in order, and nothing left pending. The same with
 * code that fails for some events: those reach the dead-letter stream after `maxAttempts`.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import path from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { repoRoot } from '../../scripts/lib/apis.js';
import { createRedisEventQueue } from '../../src/node/index.js';
import { signPachcaWebhook } from '../../src/pachca/index.js';
import { pachcaMessage, SECRET } from './events.js';
import { removeKeys } from './targets.js';

const PARTITIONS = 16;
let client: Redis;
const children: ChildProcess[] = [];

beforeAll(() => {
  client = new Redis({ port: inject('redisPort'), host: '127.0.0.1', maxRetriesPerRequest: 0, commandTimeout: 2000 });
});
afterAll(async () => {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  client.disconnect();
});

/**
 * Starts a script with tsx's loader in this very process (not the tsx command, whose child would outlive a
 * SIGKILL) and collects its stdout lines.
 */
function start(script: string, args: string[]): { child: ChildProcess; lines: string[] } {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(repoRoot, 'test', 'redis', script), ...args], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  const lines: string[] = [];
  let rest = '';
  child.stdout!.on('data', (chunk: Buffer) => {
    const text = rest + chunk.toString();
    const parts = text.split('\n');
    rest = parts.pop() ?? '';
    lines.push(...parts);
  });
  child.stderr!.resume();
  return { child, lines };
}

async function until(check: () => boolean | Promise<boolean>, ms: number, what: string): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

interface RunResult {
  readonly events: number;
  readonly duplicatesDelivered: number;
  /** Event id → the workers that finished it, in order. */
  readonly finishedBy: Map<number, string[]>;
  /** Per chat, the sequence numbers in the order their code finished. */
  readonly orderByChat: Map<number, number[]>;
  /** The events the killed worker had read and not acknowledged when it died. */
  readonly inFlightAtKill: Set<number>;
  /** The name of the worker killed. */
  readonly killed: string;
  readonly stats: { length: number; pending: number; deadLetters: number };
  readonly prefix: string;
}

/** Runs receivers, workers and the deliveries; kills a worker mid-event; waits until the queue is drained. */
async function runHandoff(options: { chats: number; perChat: number; failEvery: number; expectFinished: number }): Promise<RunResult> {
  const prefix = `kill:${Math.random().toString(36).slice(2)}:`;
  const port = String(inject('redisPort'));
  const receivers = (['node', 'fetch'] as const).map((form) => start('receiver.ts', [port, prefix, String(PARTITIONS), form]));
  const names = ['w1', 'w2', 'w3'];
  // Chat 1's event a third of the way in hangs in the first worker that runs it: that worker is killed.
  const hangId = 100_000 + Math.ceil(options.perChat / 3);
  const workers = names.map((name) => start('queue-worker.ts', [port, prefix, String(PARTITIONS), name, String(options.failEvery), String(hangId)]));
  await until(() => receivers.every((receiver) => receiver.lines.length > 0), 60_000, 'the receivers to listen');
  const urls = receivers.map((receiver) => `http://127.0.0.1:${receiver.lines[0]}/webhook`);

  const deliver = async (url: string, chat: number, seq: number): Promise<void> => {
    const { body, headers } = await signPachcaWebhook(pachcaMessage(chat, seq), SECRET);
    const answer = await fetch(url, { method: 'POST', body, headers });
    expect(answer.status).toBe(200);
    await answer.arrayBuffer();
  };
  // Every chat's events in order, one after another (as a vendor sends one chat's events); chats in parallel. Every
  // fifth event also goes to the other receiver at the same time.
  let duplicatesDelivered = 0;
  const sending = Promise.all(
    Array.from({ length: options.chats }, async (_, index) => {
      const chat = index + 1;
      for (let seq = 1; seq <= options.perChat; seq++) {
        const twice = (chat + seq) % 5 === 0;
        if (twice) duplicatesDelivered++;
        await Promise.all([deliver(urls[(chat + seq) % 2]!, chat, seq), ...(twice ? [deliver(urls[(chat + seq + 1) % 2]!, chat, seq)] : [])]);
      }
    }),
  );

  // Kill the worker that is in the middle of the hanging event (and of whatever else it holds).
  const total = options.chats * options.perChat;
  let victim = -1;
  await until(
    () => {
      victim = workers.findIndex((worker) => worker.lines.includes('hang'));
      return victim >= 0;
    },
    60_000,
    'a worker to be in the middle of an event',
  );
  const killed = workers[victim]!;
  killed.child.kill('SIGKILL');
  await once(killed.child, 'exit');
  // What it held when it died: its pending entries, read before anyone may claim them (claimAfterMs is 1.5 s).
  const inFlightAtKill = new Set<number>();
  for (let partition = 0; partition < PARTITIONS; partition++) {
    const stream = `${prefix}{${partition}}:stream`;
    if (!(await client.exists(stream))) continue;
    const pending = (await client.xpending(stream, 'workers', '-', '+', 100, names[victim]!)) as [string][];
    for (const [id] of pending) {
      const [entry] = (await client.xrange(stream, id, id)) as [string, string[]][];
      if (!entry) throw new Error(`the pending entry ${id} of the killed worker is gone: was it killed?`);
      const fields = entry[1];
      inFlightAtKill.add((JSON.parse(fields[fields.indexOf('event') + 1]!) as { id: number }).id);
    }
  }

  await sending;
  const queue = createRedisEventQueue({ client, prefix, partitions: PARTITIONS });
  await until(
    async () => {
      const stats = await queue.stats();
      return stats.length === 0 && stats.pending === 0 && new Set((await client.lrange(`${prefix}done`, 0, -1)).map((item) => item.split(':')[0])).size >= options.expectFinished;
    },
    120_000,
    'every event to be finished',
  );
  for (const { child } of [...workers.filter((worker) => worker !== killed), ...receivers]) {
    child.kill('SIGTERM');
    await once(child, 'exit');
  }
  const finishedBy = new Map<number, string[]>();
  const orderByChat = new Map<number, number[]>();
  for (const item of await client.lrange(`${prefix}done`, 0, -1)) {
    const [id, worker] = item.split(':') as [string, string];
    finishedBy.set(Number(id), [...(finishedBy.get(Number(id)) ?? []), worker]);
    const chat = Math.floor(Number(id) / 100_000);
    orderByChat.set(chat, [...(orderByChat.get(chat) ?? []), Number(id) % 100_000]);
  }
  return { events: total, duplicatesDelivered, finishedBy, orderByChat, inFlightAtKill, killed: names[victim]!, stats: await queue.stats(), prefix };
}

/** Checks order: each chat's finished sequence never goes back, and each number appears (a replay repeats one). */
function expectChatOrder(orderByChat: Map<number, number[]>, expected: (chat: number) => number[]): void {
  for (const [chat, order] of orderByChat) {
    for (let i = 1; i < order.length; i++) expect(order[i]!).toBeGreaterThanOrEqual(order[i - 1]!);
    expect([...new Set(order)]).toEqual(expected(chat));
  }
}

describe('three workers and two receivers, one worker killed mid-event', () => {
  it('handle 1,000 events to completion: the killed worker’s again elsewhere, every other once, in chat order', async () => {
    const chats = 20;
    const perChat = 50;
    const result = await runHandoff({ chats, perChat, failEvery: 0, expectFinished: chats * perChat });
    const replayed = [...result.inFlightAtKill];
    const duplicatesHandled = [...result.finishedBy].filter(([id, by]) => by.length > 1 && !result.inFlightAtKill.has(id)).length;
    const lost = result.events - result.finishedBy.size;
    console.log(
      `kill test: ${result.events} events, ${result.duplicatesDelivered} delivered twice, ${duplicatesHandled} duplicates handled, ${lost} lost, ` +
        `${replayed.length} in flight at the kill and handled again (${replayed.filter((id) => (result.finishedBy.get(id) ?? []).length > 1).length} of them had finished before the ack)`,
    );
    expect(result.duplicatesDelivered).toBe(200);
    expect(lost).toBe(0);
    expect(duplicatesHandled).toBe(0);
    expect(replayed).toContain(100_000 + Math.ceil(perChat / 3));
    for (const id of replayed) expect((result.finishedBy.get(id) ?? []).some((worker) => worker !== result.killed)).toBe(true);
    for (const [id, by] of result.finishedBy) if (!result.inFlightAtKill.has(id)) expect(by).toHaveLength(1);
    expectChatOrder(result.orderByChat, () => Array.from({ length: perChat }, (_, i) => i + 1));
    expect(result.stats).toEqual({ length: 0, pending: 0, deadLetters: 0 });
    await removeKeys(client, result.prefix);
  }, 180_000);

  it('move the events whose code always fails to the dead-letter stream after maxAttempts, and handle the rest', async () => {
    const chats = 20;
    const perChat = 15;
    const failEvery = 7;
    const failing = new Set<number>();
    for (let chat = 1; chat <= chats; chat++) for (let seq = 1; seq <= perChat; seq++) if ((chat * 100_000 + seq) % failEvery === 0) failing.add(chat * 100_000 + seq);
    const result = await runHandoff({ chats, perChat, failEvery, expectFinished: chats * perChat - failing.size });
    const letters = await createRedisEventQueue({ client, prefix: result.prefix, partitions: PARTITIONS }).deadLetters(1000);
    console.log(`dead-letter test: ${result.events} events, ${failing.size} failing, ${letters.length} dead letters, ${result.inFlightAtKill.size} in flight at the kill`);
    expect(letters.map((letter) => (letter.event as { id: number }).id).sort()).toEqual([...failing].sort());
    for (const letter of letters) {
      expect(letter.attempts).toBe(3);
      expect(letter.error).toMatch(/^Error: event \d+ refused with \[REDACTED\]$/);
    }
    for (const id of failing) expect(result.finishedBy.has(id)).toBe(false);
    for (const [id, by] of result.finishedBy) if (!result.inFlightAtKill.has(id)) expect(by).toHaveLength(1);
    expect(result.finishedBy.size).toBe(result.events - failing.size);
    expectChatOrder(result.orderByChat, (chat) => Array.from({ length: perChat }, (_, i) => i + 1).filter((seq) => !failing.has(chat * 100_000 + seq)));
    expect(result.stats).toEqual({ length: 0, pending: 0, deadLetters: failing.size });
    await removeKeys(client, result.prefix);
  }, 180_000);
});
