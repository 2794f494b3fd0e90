/**
 * The benchmark server: node:http with keep-alive on 127.0.0.1, answering Pachca's create and list calls from
 * prepared buffers, and serving a chat of 100,000 messages page by page for the pagination benchmark. Runs in its
 * own process so that its CPU time is not counted against the clients. Prints its port on stdout.
 */
import { createServer } from 'node:http';
import { createdText, listText, message } from './fixtures.js';

const created = Buffer.from(createdText);
const list = Buffer.from(listText);
const JSON_HEADERS = { 'content-type': 'application/json; charset=utf-8' };
const TOTAL = 100_000;

/** A page of the big chat: 50 messages after the cursor (an offset), the last page has has_next false. */
function bigPage(offset: number): Buffer {
  const count = Math.min(50, TOTAL - offset);
  const next = offset + count;
  return Buffer.from(
    JSON.stringify({
      data: Array.from({ length: count }, (_, i) => message(TOTAL - offset - i)),
      meta: { paginate: { next_page: String(next), prev_page: String(offset), has_next: next < TOTAL, has_prev: offset > 0 } },
    }),
  );
}

const server = createServer({ keepAlive: true, keepAliveTimeout: 60_000 }, (request, response) => {
  const chunks: Buffer[] = [];
  request.on('data', (chunk: Buffer) => chunks.push(chunk));
  request.on('end', () => {
    const url = new URL(request.url ?? '/', 'http://localhost');
    if (request.method === 'POST' && url.pathname === '/messages') {
      response.writeHead(201, { ...JSON_HEADERS, 'content-length': created.length });
      response.end(created);
    } else if (request.method === 'GET' && url.pathname === '/messages' && url.searchParams.get('chat_id') === '999') {
      const body = bigPage(Number(url.searchParams.get('cursor') ?? 0));
      response.writeHead(200, { ...JSON_HEADERS, 'content-length': body.length });
      response.end(body);
    } else if (request.method === 'GET' && url.pathname === '/messages') {
      response.writeHead(200, { ...JSON_HEADERS, 'content-length': list.length });
      response.end(list);
    } else {
      response.writeHead(404, JSON_HEADERS);
      response.end('{"errors":[]}');
    }
  });
});
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  process.stdout.write(`${typeof address === 'object' && address ? address.port : 0}\n`);
});
process.on('disconnect', () => server.close());
process.on('SIGTERM', () => server.close(() => process.exit(0)));
