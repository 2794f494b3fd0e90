/**
 * A misbehaving HTTP server on loopback for the fault tier. The first path segment names the behaviour
 * (`/s/<behaviour>/…`); the server counts the requests it saw per behaviour and per method, so a test can prove
 * that a send was never repeated. Every behaviour is a real socket-level misdeed (resets, stalls, broken framing,
 * corrupt compression, redirects), not a mocked `fetch`.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

type Behaviour = (request: IncomingMessage, response: ServerResponse, socket: Socket, server: HostileServer) => void;

const json = (response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void => {
  const text = JSON.stringify(body);
  response.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...headers });
  response.end(text);
};

/** What each behaviour does with a request. `echo` is a secret the server repeats back (the test's token). */
export const BEHAVIOURS: Record<string, Behaviour> = {
  'reset-before-response': (_request, _response, socket) => socket.destroy(),
  'reset-mid-body': (_request, response, socket) => {
    response.writeHead(200, { 'content-type': 'application/json', 'content-length': '1000' });
    response.write('{"data":{"id":1,');
    setTimeout(() => socket.destroy(), 10);
  },
  'broken-chunking': (_request, _response, socket) => {
    socket.write('HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\n\r\nZZ\r\n{"data"\r\n');
    setTimeout(() => socket.destroy(), 10);
  },
  'corrupt-gzip': (_request, response) => {
    response.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip' });
    response.end(Buffer.from([0x1f, 0x8b, 0x08, 0x00, 0xde, 0xad, 0xbe, 0xef, 0x00, 0x00, 0x01, 0x02, 0x03]));
  },
  truncated: (_request, response, socket) => {
    response.writeHead(200, { 'content-type': 'application/json', 'content-length': '500' });
    response.write('{"data":{"id":1}');
    setTimeout(() => socket.end(), 10);
  },
  'stall-headers': () => undefined,
  'stall-body': (_request, response) => {
    response.writeHead(200, { 'content-type': 'application/json' });
    response.write('{"data":');
  },
  'html-500': (_request, response) => {
    response.writeHead(502, { 'content-type': 'text/html' });
    response.end('<html><body>502 Bad Gateway</body></html>');
  },
  'empty-200': (_request, response) => response.writeHead(200, { 'content-length': '0' }).end(),
  'html-200': (_request, response) => {
    response.writeHead(200, { 'content-type': 'text/html' });
    response.end('<html>captive portal</html>');
  },
  'null-200': (_request, response) => json(response, 200, null),
  'array-200': (_request, response) => json(response, 200, [1, 2, 3]),
  'no-content-200': (_request, response) => response.writeHead(204).end(),
  'huge-200': (_request, response) => {
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(`[${'1,'.repeat(4_000_000)}1]`);
  },
  'reason-echo': (request, response, _socket, server) => {
    response.statusMessage = `Bad token ${server.echo ?? ''} from ${request.headers.authorization ?? ''}`;
    response.writeHead(400, { 'content-type': 'text/plain' });
    response.end(`rejected ${request.url ?? ''}`);
  },
  'key-echo': (request, response, _socket, server) => json(response, 400, { [server.echo ?? 'x']: 'unknown token', url: request.url }),
  'retry-after-seconds': (_request, response) => json(response, 429, { error: 'slow down' }, { 'retry-after': '0' }),
  'retry-after-date': (_request, response) => json(response, 429, {}, { 'retry-after': new Date(Date.now() - 1000).toUTCString() }),
  'retry-after-garbage': (_request, response) => json(response, 429, {}, { 'retry-after': 'soon' }),
  'retry-after-negative': (_request, response) => json(response, 429, {}, { 'retry-after': '-5' }),
  'retry-after-huge': (_request, response) => json(response, 429, {}, { 'retry-after': '86400' }),
  'retry-after-long-503': (_request, response) => json(response, 503, {}, { 'retry-after': '30' }),
  ...Object.fromEntries(
    [301, 302, 303, 307, 308].flatMap((status) => [
      [`redirect-${status}-same`, ((request, response) => response.writeHead(status, { location: `/s/landing${request.url?.slice(3) ?? ''}` }).end()) as Behaviour],
      [
        `redirect-${status}-other`,
        ((request, response, _socket, server) =>
          response.writeHead(status, { location: `${server.otherOrigin}/s/landing${request.url?.slice(3) ?? ''}` }).end()) as Behaviour,
      ],
    ]),
  ),
  'redirect-loop': (request, response) => response.writeHead(302, { location: request.url ?? '/' }).end(),
  landing: (_request, response) => json(response, 200, { data: { id: 1 }, items: [], chats: [], messages: [] }),
};

/** A running hostile server. */
export interface HostileServer {
  readonly url: string;
  /** Another origin (a second listener) that counts what reaches it. */
  otherOrigin: string;
  /** A secret the echo behaviours repeat back. */
  echo: string | undefined;
  /** Requests seen, as `behaviour METHOD`. */
  readonly seen: string[];
  /** Requests that reached the other origin. */
  readonly seenElsewhere: string[];
  /** How many requests a behaviour saw, optionally for one method. */
  count(behaviour: string, method?: string): number;
  reset(): void;
  close(): Promise<void>;
}

function listen(server: Server): Promise<string> {
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`)));
}

/** Starts the hostile server and a second origin beside it. */
export async function startHostileServer(extra: Record<string, Behaviour> = {}): Promise<HostileServer> {
  const sockets = new Set<Socket>();
  const behaviours = { ...BEHAVIOURS, ...extra };
  const state: HostileServer = {
    url: '',
    otherOrigin: '',
    echo: undefined,
    seen: [],
    seenElsewhere: [],
    count: (behaviour, method) => state.seen.filter((line) => line === `${behaviour} ${method ?? line.split(' ')[1]}`).length,
    reset() {
      state.seen.length = 0;
      state.seenElsewhere.length = 0;
      state.echo = undefined;
    },
    async close() {
      for (const socket of sockets) socket.destroy();
      await Promise.all([main, other].map((server) => new Promise((resolve) => server.close(resolve))));
    },
  };
  const main = createServer((request, response) => {
    const [, prefix, name] = (request.url ?? '').split('/');
    const behaviour = prefix === 's' && name ? behaviours[name] : undefined;
    state.seen.push(`${name ?? ''} ${request.method ?? ''}`);
    request.resume();
    request.on('end', () => {
      if (behaviour) behaviour(request, response, request.socket, state);
      else json(response, 404, { error: 'no such behaviour' });
    });
  });
  const other = createServer((request, response) => {
    state.seenElsewhere.push(`${request.method ?? ''} ${request.url ?? ''}`);
    request.resume();
    json(response, 200, { stolen: true });
  });
  for (const server of [main, other]) server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  Object.assign(state, { url: await listen(main) });
  state.otherOrigin = await listen(other);
  return state;
}
