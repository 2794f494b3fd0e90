import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNodeHttpFetch } from '../../src/core/node-http-fetch.js';

type Handler = (request: IncomingMessage, body: Buffer, response: ServerResponse) => void;

let server: Server;
let base: string;
const routes = new Map<string, Handler>();

beforeAll(async () => {
  server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const handler = routes.get(new URL(request.url ?? '/', 'http://x').pathname);
      if (handler) handler(request, Buffer.concat(chunks), response);
      else response.writeHead(404).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const nodeFetch = createNodeHttpFetch();

describe('createNodeHttpFetch keeps the fetch contract', () => {
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

  it('streams the body as it arrives instead of waiting for the end', async () => {
    let finish: () => void = () => {};
    routes.set('/stream', (_request, _body, response) => {
      response.writeHead(200, { 'content-type': 'text/plain' });
      response.write('first;');
      finish = () => response.end('second');
    });
    const response = await nodeFetch(`${base}/stream`);
    const reader = (response.body as ReadableStream<Uint8Array>).getReader();
    const first = await reader.read();
    expect(new TextDecoder().decode(first.value)).toBe('first;');
    finish();
    let rest = '';
    for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) rest += new TextDecoder().decode(chunk.value);
    expect(rest).toBe('second');
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
    await expect(text).rejects.toThrow('gone');
  });

  it('reports a refused connection as TypeError("fetch failed") with the socket error as cause', async () => {
    const error = (await nodeFetch('http://127.0.0.1:1/').catch((caught: unknown) => caught)) as TypeError & { cause: { code: string } };
    expect(error).toBeInstanceOf(TypeError);
    expect(error.message).toBe('fetch failed');
    expect(error.cause.code).toBe('ECONNREFUSED');
  });

  it('follows redirects, turning a 303 into a GET without the body', async () => {
    routes.set('/moved', (_request, _body, response) => response.writeHead(303, { location: '/landing' }).end());
    routes.set('/landing', (request, body, response) => response.end(`${request.method}:${body.length}`));
    const response = await nodeFetch(`${base}/moved`, { method: 'POST', body: 'x' });
    expect(await response.text()).toBe('GET:0');
    expect(response.redirected).toBe(true);
    expect(response.url).toBe(`${base}/landing`);
  });

  it('returns the redirect itself with redirect: manual, and fails with redirect: error', async () => {
    const manual = await nodeFetch(`${base}/moved`, { redirect: 'manual' });
    expect(manual.status).toBe(303);
    expect(manual.headers.get('location')).toBe('/landing');
    await expect(nodeFetch(`${base}/moved`, { redirect: 'error' })).rejects.toBeInstanceOf(TypeError);
  });

  it('encodes FormData as multipart, file last, with its boundary', async () => {
    routes.set('/form', (request, body, response) => response.end(JSON.stringify({ type: request.headers['content-type'], body: body.toString() })));
    const form = new FormData();
    form.append('key', 'attaches/${filename}');
    form.append('file', new File(['hello'], 'a.txt', { type: 'text/plain' }));
    const { type, body } = (await (await nodeFetch(`${base}/form`, { method: 'POST', body: form })).json()) as { type: string; body: string };
    expect(type).toMatch(/^multipart\/form-data; boundary=/);
    expect(body.indexOf('name="key"')).toBeLessThan(body.indexOf('name="file"; filename="a.txt"'));
    expect(body).toContain('hello');
  });

  it('gives a 204 a null body', async () => {
    routes.set('/empty', (_request, _body, response) => response.writeHead(204).end());
    const response = await nodeFetch(`${base}/empty`, { method: 'DELETE' });
    expect(response.status).toBe(204);
    expect(response.body).toBeNull();
  });

  it('accepts a Request object', async () => {
    const response = await nodeFetch(new Request(`${base}/echo`, { method: 'PUT', body: 'r', headers: { authorization: 'Bearer q' } }));
    expect(await response.json()).toMatchObject({ method: 'PUT', auth: 'Bearer q', body: 'r' });
  });
});
