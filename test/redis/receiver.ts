/**
 * A receiver of the multi-process hand-off test: a Pachca webhook handler that queues every verified event in
 * Redis, behind a node:http server on a free loopback port (printed on stdout). `form` picks the handler form:
 * `node` mounts `handler.node`, `fetch` turns each request into a Fetch `Request` for `handler.fetch`.
 * Run with tsx: `receiver.ts <redisPort> <prefix> <partitions> <node|fetch>`.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Redis } from 'ioredis';
import { createRedisEventQueue } from '../../src/node/index.js';
import { createPachcaWebhookHandler } from '../../src/pachca/index.js';
import { SECRET } from './events.js';

const [redisPort, prefix, partitions, form] = process.argv.slice(2);
const client = new Redis({ port: Number(redisPort), host: '127.0.0.1', maxRetriesPerRequest: 0, commandTimeout: 2000 });
const queue = createRedisEventQueue({ client, prefix: prefix as string, partitions: Number(partitions) });
const handler = createPachcaWebhookHandler({ signingSecret: SECRET, handoff: queue.handoff, onError: (error) => console.error(error) });

const server = createServer((req, res) => {
  if (form === 'node') return handler.node(req, res);
  const chunks: Buffer[] = [];
  req.on('data', (chunk: Buffer) => chunks.push(chunk));
  req.on('end', async () => {
    const headers = new Headers();
    for (const [name, value] of Object.entries(req.headers)) if (typeof value === 'string') headers.set(name, value);
    const answer = await handler.fetch(new Request(`http://127.0.0.1${req.url}`, { method: req.method ?? 'POST', headers, body: Buffer.concat(chunks) }));
    res.writeHead(answer.status, Object.fromEntries(answer.headers)).end(await answer.text());
  });
});
server.listen(0, '127.0.0.1', () => console.log((server.address() as AddressInfo).port));
process.on('SIGTERM', () => {
  server.close();
  client.disconnect();
});
