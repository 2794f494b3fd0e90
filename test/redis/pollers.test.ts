/**
 * Polling by one replica at a time: two poller processes on one Redis lease against a fake Pachca events endpoint,
 * the holder killed with SIGKILL mid-way (no event handled twice, none lost, the other takes over within the lease
 * time); a poller whose lease passed to another deletes nothing afterwards; and OK's long polling under a lease.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { repoRoot } from '../../scripts/lib/apis.js';
import { LeaseLostError } from '../../src/core/index.js';
import { createRedisEventQueue, createRedisLease } from '../../src/node/index.js';
import { createOkClient } from '../../src/ok/index.js';
import { createPachcaClient } from '../../src/pachca/index.js';
import { pachcaMessage } from './events.js';
import { removeKeys } from './targets.js';

let client: Redis;
const children: ChildProcess[] = [];
beforeAll(() => {
  client = new Redis({ port: inject('redisPort'), host: '127.0.0.1', maxRetriesPerRequest: 0, commandTimeout: 2000 });
});
afterAll(() => {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  client.disconnect();
});

async function until(check: () => boolean | Promise<boolean>, ms: number, what: string): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

const stored = (n: number) => ({ id: `e${n}`, event_type: 'message', created_at: '2026-11-23T09:15:00.000Z', payload: { ...pachcaMessage(1 + (n % 7), n), webhook_timestamp: 1 } });
const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

describe('two Pachca pollers on one lease', () => {
  it('poll one at a time; when the holder is killed the other takes over, and no event is lost or handled twice', async () => {
    const prefix = `poll:${Math.random().toString(36).slice(2)}:`;
    const events = new Map<string, ReturnType<typeof stored>>();
    let added = 0;
    const add = (count: number) => {
      for (let i = 0; i < count; i++) events.set(`e${++added}`, stored(added));
    };
    add(200);
    const lists: { by: string; at: number }[] = [];
    const deletes: { id: string; by: string }[] = [];
    const server = createServer((req, res) => {
      const by = req.headers.authorization ?? '';
      const url = new URL(req.url ?? '/', 'http://x');
      req.resume();
      if (req.method === 'DELETE') {
        const id = decodeURIComponent(url.pathname.split('/').pop() ?? '');
        deletes.push({ id, by });
        const existed = events.delete(id);
        res.writeHead(existed ? 204 : 404, { 'content-type': 'application/json' }).end(existed ? undefined : '{"errors":[]}');
        return;
      }
      lists.push({ by, at: Date.now() });
      const limit = Number(url.searchParams.get('limit') ?? 50);
      const data = [...events.values()].slice(0, limit);
      res
        .writeHead(200, { 'content-type': 'application/json' })
        .end(JSON.stringify({ data, meta: { paginate: { next_page: 'c', prev_page: 'p', has_next: events.size > limit, has_prev: false } } }));
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const queue = createRedisEventQueue({ client, prefix, partitions: 4 });
    const handled = new Map<number, number>();
    const controller = new AbortController();
    const working = queue.work({ handle: (event) => void handled.set((event as { id: number }).id, (handled.get((event as { id: number }).id) ?? 0) + 1), signal: controller.signal, leaseMs: 600 });
    const pollers = ['tok-poller-A-0123456789', 'tok-poller-B-0123456789'].map((token) => {
      const child = spawn(process.execPath, ['--import', 'tsx', path.join(repoRoot, 'test', 'redis', 'poller.ts'), String(inject('redisPort')), prefix, baseUrl, token], {
        cwd: repoRoot,
        stdio: 'ignore',
      });
      children.push(child);
      return { token, child };
    });
    const feeding = setInterval(() => added < 400 && add(10), 50);
    try {
      await until(() => deletes.length >= 100, 60_000, '100 deletions');
      const holder = pollers.find((poller) => `Bearer ${poller.token}` === lists.at(-1)?.by)!;
      const before = lists.length;
      holder.child.kill('SIGKILL');
      await once(holder.child, 'exit');
      const killedAt = Date.now();
      // Until the kill one replica polled alone.
      expect(new Set(lists.slice(0, before).map((list) => list.by)).size).toBe(1);
      await until(() => added >= 400 && events.size === 0, 60_000, 'every event deleted');
      await until(async () => handled.size >= 400 && (await queue.stats()).length === 0, 30_000, 'every event handled');
      const takeover = lists.slice(before).find((list) => list.by !== `Bearer ${holder.token}`);
      console.log(`pollers: ${added} events, ${handled.size} handled, takeover ${takeover!.at - killedAt} ms after the kill (lease 1000 ms)`);
      expect(takeover!.at - killedAt).toBeLessThan(1000 + 700);
      expect([...handled.keys()].map((id) => id % 100_000).sort((a, b) => a - b)).toEqual(Array.from({ length: 400 }, (_, i) => i + 1));
      expect([...handled.values()].every((count) => count === 1)).toBe(true);
    } finally {
      clearInterval(feeding);
      controller.abort();
      await working;
      for (const { child } of pollers) if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      server.close();
      await removeKeys(client, prefix);
    }
  }, 120_000);

  it('deletes nothing once its lease passed to another replica (a pause past the lease), and says so', async () => {
    const prefix = `fence:${Math.random().toString(36).slice(2)}:`;
    const lease = createRedisLease({ client, name: 'pachca-events', prefix, leaseMs: 1000 });
    const queue = createRedisEventQueue({ client, prefix, partitions: 2 });
    const controller = new AbortController();
    const deleted: string[] = [];
    const errors: unknown[] = [];
    const fetch = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
      const request = new Request(input, init);
      if (request.method === 'DELETE') {
        deleted.push(request.url);
        return new Response(null, { status: 204 });
      }
      // While this replica's list call is under way, its lease lapses and another replica takes it.
      await client.set(`${prefix}{pachca-events}`, '999:another-replica', 'PX', 60_000);
      return json(200, { data: [stored(1), stored(2)], meta: { paginate: { next_page: 'c', prev_page: 'p', has_next: false, has_prev: false } } });
    };
    const pachca = createPachcaClient({ token: 'tok-fenced-0123456789', fetch });
    const polling = pachca.pollWebhookEvents({ handoff: queue.handoff, lease, signal: controller.signal, intervalMs: 50, onError: (error) => errors.push(error) });
    await until(() => errors.some((error) => error instanceof LeaseLostError), 10_000, 'the lost lease to be noticed');
    controller.abort();
    await polling;
    expect(deleted).toEqual([]);
    expect((errors.find((error) => error instanceof LeaseLostError) as Error).message).toContain('deleting event e1');
    await removeKeys(client, prefix);
  });
});

describe('OK long polling on one lease', () => {
  it('lets one replica fetch at a time, queues each event once, and hands over when the holder stops', async () => {
    const prefix = `okpoll:${Math.random().toString(36).slice(2)}:`;
    const kept = Array.from({ length: 60 }, (_, i) => ({ webhookType: 'MESSAGE_CREATED', recipient: { chat_id: `chat:C${i % 3}` }, message: { mid: `mid:${i}`, seq: i }, timestamp: i }));
    const fetchedBy: string[] = [];
    const queue = createRedisEventQueue({ client, prefix, partitions: 2 });
    const replicas = ['tkn-replica-A-0123', 'tkn-replica-B-0123'].map((accessToken) => {
      const controller = new AbortController();
      const fetch = async (input: RequestInfo | URL): Promise<Response> => {
        const url = new URL(input instanceof Request ? input.url : String(input));
        if (url.pathname.endsWith('/subscribe')) return json(200, { success: true });
        fetchedBy.push(accessToken);
        // OK hands each kept event out once.
        return json(200, kept.splice(0, 4));
      };
      const ok = createOkClient({ accessToken, fetch });
      const done = ok.pollUpdates({
        handoff: queue.handoff,
        lease: createRedisLease({ client, name: 'ok-updates', prefix, leaseMs: 600 }),
        intervalMs: 20,
        signal: controller.signal,
      });
      return { accessToken, controller, done };
    });
    await until(() => kept.length <= 30, 20_000, 'half the events fetched');
    const first = fetchedBy[0]!;
    const holder = replicas.find((replica) => replica.accessToken === first)!;
    holder.controller.abort();
    await holder.done;
    const switchAt = fetchedBy.length;
    await until(() => kept.length === 0, 20_000, 'every event fetched');
    for (const replica of replicas) replica.controller.abort();
    await Promise.all(replicas.map((replica) => replica.done));
    // One replica fetched until it stopped, then only the other.
    expect(new Set(fetchedBy.slice(0, switchAt))).toEqual(new Set([first]));
    expect(new Set(fetchedBy.slice(switchAt))).toEqual(new Set(replicas.map((r) => r.accessToken).filter((token) => token !== first)));
    expect((await queue.stats()).length).toBe(60);
    await removeKeys(client, prefix);
  });
});
