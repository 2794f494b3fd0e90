/**
 * The undici transport against real loopback servers: the fetch contract the clients rely on (status, headers,
 * streamed bodies both ways, aborts, errors), no redirect following, content decoding, a custom CA over TLS, a
 * proxy, and a dispatcher of the caller's.
 */
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer, type Server as HttpsServer } from 'node:https';
import { connect, type AddressInfo } from 'node:net';
import { brotliCompressSync, deflateSync, gzipSync } from 'node:zlib';
import { Agent } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUndiciFetch } from '../../src/node/index.js';
import { isNotSent, reachOf } from '../../src/core/errors/reach.js';

type Handler = (request: IncomingMessage, body: Buffer, response: ServerResponse) => void;

let server: Server;
let base: string;
const routes = new Map<string, Handler>();
const arrivals: { path: string; firstChunkAt: number; endAt: number }[] = [];

function portOf(listening: Server | HttpsServer): number {
  return (listening.address() as AddressInfo).port;
}

beforeAll(async () => {
  server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    let firstChunkAt = 0;
    request.on('data', (chunk: Buffer) => {
      firstChunkAt ||= Date.now();
      chunks.push(chunk);
    });
    request.on('end', () => {
      const path = new URL(request.url ?? '/', 'http://x').pathname;
      arrivals.push({ path, firstChunkAt, endAt: Date.now() });
      const handler = routes.get(path);
      if (handler) handler(request, Buffer.concat(chunks), response);
      else response.writeHead(404).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${portOf(server)}`;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const nodeFetch = createUndiciFetch();
afterAll(() => nodeFetch.close());

describe('createUndiciFetch keeps the fetch contract', () => {
  it('sends method, headers and body, and returns status, headers and a JSON body', async () => {
    routes.set('/echo', (request, body, response) => {
      response.writeHead(201, { 'content-type': 'application/json', 'x-request-id': 'r1' });
      response.end(JSON.stringify({ method: request.method, auth: request.headers.authorization, body: body.toString() }));
    });
    const response = await nodeFetch(`${base}/echo`, {
      method: 'post',
      headers: new Headers({ authorization: 'Bearer t', 'content-type': 'application/json' }),
      body: '{"a":1}',
    });
    expect(response).toBeInstanceOf(Response);
    expect(response.status).toBe(201);
    expect(response.ok).toBe(true);
    expect(response.url).toBe(`${base}/echo`);
    expect(response.headers.get('x-request-id')).toBe('r1');
    expect(await response.json()).toEqual({ method: 'POST', auth: 'Bearer t', body: '{"a":1}' });
  });

  it('streams the response body as it arrives instead of waiting for the end', async () => {
    let finish: () => void = () => {};
    routes.set('/stream', (_request, _body, response) => {
      response.writeHead(200, { 'content-type': 'text/plain' });
      response.write('first;');
      finish = () => response.end('second');
    });
    const response = await nodeFetch(`${base}/stream`, {});
    const reader = (response.body as ReadableStream<Uint8Array>).getReader();
    const first = await reader.read();
    expect(new TextDecoder().decode(first.value)).toBe('first;');
    finish();
    let rest = '';
    for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) rest += new TextDecoder().decode(chunk.value);
    expect(rest).toBe('second');
  });

  it('streams a request body: the server sees the first chunk before the caller has written the last', async () => {
    routes.set('/upload', (_request, body, response) => response.end(String(body.length)));
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => (release = resolve));
    const body = new ReadableStream<Uint8Array>({
      async start(controller) {
        controller.enqueue(new TextEncoder().encode('a'.repeat(1024)));
        await gate;
        controller.enqueue(new TextEncoder().encode('b'.repeat(1024)));
        controller.close();
      },
    });
    const pending = nodeFetch(`${base}/upload`, { method: 'POST', body, duplex: 'half' } as RequestInit);
    await new Promise((resolve) => setTimeout(resolve, 100));
    const releasedAt = Date.now();
    release();
    const response = await pending;
    expect(await response.text()).toBe('2048');
    const arrival = arrivals.findLast((entry) => entry.path === '/upload');
    expect(arrival?.firstChunkAt).toBeLessThan(releasedAt);
  });

  it('rejects with the signal’s reason when aborted before the answer', async () => {
    routes.set('/slow', () => {});
    const controller = new AbortController();
    const pending = nodeFetch(`${base}/slow`, { signal: controller.signal });
    setTimeout(() => controller.abort(new Error('stop')), 10);
    await expect(pending).rejects.toThrow('stop');
  });

  it('rejects at once for a signal that is already aborted', async () => {
    await expect(nodeFetch(`${base}/echo`, { signal: AbortSignal.abort(new Error('early')) })).rejects.toThrow('early');
  });

  it('errors the body stream when aborted while it streams', async () => {
    routes.set('/half', (_request, _body, response) => {
      response.writeHead(200);
      response.write('partial');
    });
    const controller = new AbortController();
    const response = await nodeFetch(`${base}/half`, { signal: controller.signal });
    const text = response.text();
    controller.abort(new Error('gone'));
    await expect(text).rejects.toThrow();
  });

  it('reports a refused connection as an error whose cause chain has ECONNREFUSED', async () => {
    const error = (await nodeFetch('http://127.0.0.1:1/', {}).catch((caught: unknown) => caught)) as Error & { code?: string };
    expect(error).toBeInstanceOf(Error);
    expect(error.code).toBe('ECONNREFUSED');
  });

  it('marks a failure before the request was written as NotSent, and one after it as it is', async () => {
    const refused = await nodeFetch('http://127.0.0.1:1/', { method: 'POST', body: 'x' }).catch((caught: unknown) => caught);
    expect(isNotSent(refused)).toBe(true);
    expect(reachOf(refused)).toBe('no');
    expect((refused as Error).cause).toMatchObject({ code: 'ECONNREFUSED' });
    routes.set('/drop', (request) => request.socket.destroy());
    const reset = await nodeFetch(`${base}/drop`, { method: 'POST', body: 'x' }).catch((caught: unknown) => caught);
    expect(isNotSent(reset)).toBe(false);
    expect(reachOf(reset)).toBe('possibly');
  });

  it('never follows a redirect: the 3xx itself comes back, with its Location', async () => {
    routes.set('/moved', (_request, _body, response) => response.writeHead(303, { location: '/landing' }).end());
    routes.set('/landing', (request, body, response) => response.end(`${request.method}:${body.length}`));
    const response = await nodeFetch(`${base}/moved`, { method: 'POST', body: 'x', redirect: 'manual' });
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe('/landing');
    expect(arrivals.some((entry) => entry.path === '/landing')).toBe(false);
  });

  it('encodes FormData as multipart, file last, with its boundary and length', async () => {
    routes.set('/form', (request, body, response) =>
      response.end(JSON.stringify({ type: request.headers['content-type'], length: request.headers['content-length'], body: body.toString() })),
    );
    const form = new FormData();
    form.append('key', 'attaches/${filename}');
    form.append('file', new File(['hello'], 'a.txt', { type: 'text/plain' }));
    const { type, length, body } = (await (await nodeFetch(`${base}/form`, { method: 'POST', body: form })).json()) as {
      type: string;
      length: string;
      body: string;
    };
    expect(type).toMatch(/^multipart\/form-data; boundary=/);
    expect(Number(length)).toBe(Buffer.byteLength(body));
    expect(body.indexOf('name="key"')).toBeLessThan(body.indexOf('name="file"; filename="a.txt"'));
    expect(body).toContain('hello');
  });

  it('gives a 204 a null body', async () => {
    routes.set('/empty', (_request, _body, response) => response.writeHead(204).end());
    const response = await nodeFetch(`${base}/empty`, { method: 'DELETE' });
    expect(response.status).toBe(204);
    expect(response.body).toBeNull();
  });

  it.each([
    ['gzip', gzipSync],
    ['deflate', deflateSync],
    ['br', brotliCompressSync],
  ] as const)('decodes a %s body', async (encoding, compress) => {
    routes.set(`/${encoding}`, (_request, _body, response) => {
      response.writeHead(200, { 'content-type': 'application/json', 'content-encoding': encoding });
      response.end(compress(Buffer.from('{"greeting":"привет"}')));
    });
    const response = await nodeFetch(`${base}/${encoding}`, {});
    expect(await response.json()).toEqual({ greeting: 'привет' });
  });

  it('passes a compressed body through untouched with decompress: false', async () => {
    const raw = createUndiciFetch({ decompress: false });
    const response = await raw(`${base}/gzip`, {});
    expect(Buffer.from(await response.arrayBuffer()).subarray(0, 2)).toEqual(Buffer.from([0x1f, 0x8b]));
    await raw.close();
  });

  it('keeps connections alive: ten consecutive calls open at most two sockets', async () => {
    routes.set('/port', (request, _body, response) => response.end(String(request.socket.remotePort)));
    const ports = new Set<string>();
    for (let i = 0; i < 10; i++) ports.add(await (await nodeFetch(`${base}/port`, {})).text());
    expect(ports.size).toBeLessThanOrEqual(2);
  });
});

describe('createUndiciFetch options', () => {
  const cert = readFileSync(new URL('../fixtures/loopback-cert.pem', import.meta.url));
  const key = readFileSync(new URL('../fixtures/loopback-key.pem', import.meta.url));
  let tls: HttpsServer;
  let tlsBase: string;

  beforeAll(async () => {
    tls = createHttpsServer({ cert, key }, (_request, response) => response.end('secure'));
    await new Promise<void>((resolve) => tls.listen(0, '127.0.0.1', resolve));
    tlsBase = `https://127.0.0.1:${portOf(tls)}`;
  });
  afterAll(() => new Promise<void>((resolve) => tls.close(() => resolve())));

  it('trusts a custom CA given as ca, and refuses the same server without it', async () => {
    const trusting = createUndiciFetch({ ca: cert });
    expect(await (await trusting(`${tlsBase}/`, {})).text()).toBe('secure');
    await trusting.close();
    const plain = createUndiciFetch();
    await expect(plain(`${tlsBase}/`, {})).rejects.toThrow();
    await plain.close();
  });

  it('sends through the proxy given as proxy', async () => {
    const tunnels: string[] = [];
    const proxy = createServer();
    proxy.on('connect', (request, socket, head) => {
      tunnels.push(request.url ?? '');
      const [host, port] = (request.url ?? '').split(':');
      const upstream = connect(Number(port), host, () => {
        socket.write('HTTP/1.1 200 Connection Established\r\n\r\n');
        upstream.write(head);
        upstream.pipe(socket);
        socket.pipe(upstream);
      });
      upstream.on('error', () => socket.destroy());
      socket.on('error', () => upstream.destroy());
    });
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
    const proxied = createUndiciFetch({ proxy: `http://127.0.0.1:${portOf(proxy)}` });
    routes.set('/via-proxy', (_request, _body, response) => response.end('proxied'));
    expect(await (await proxied(`${base}/via-proxy`, {})).text()).toBe('proxied');
    expect(tunnels).toEqual([`127.0.0.1:${portOf(server)}`]);
    await proxied.close();
    proxy.close();
  });

  it('sends through a dispatcher of the caller’s, and leaves it open on close()', async () => {
    let dispatched = 0;
    const agent = new Agent();
    const counting = agent.compose((dispatch) => (options, handler) => {
      dispatched++;
      return dispatch(options, handler);
    });
    const custom = createUndiciFetch({ dispatcher: counting });
    routes.set('/mine', (_request, _body, response) => response.end('mine'));
    expect(await (await custom(`${base}/mine`, {})).text()).toBe('mine');
    expect(dispatched).toBe(1);
    await custom.close();
    expect(agent.closed).toBe(false);
    await agent.close();
  });
});
