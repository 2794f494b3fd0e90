/**
 * The contenders of the per-request benchmark, each making the same two Pachca calls (create a message, list a
 * chat): serialize the body, send, parse the JSON answer. Each is what a user would write with that tool.
 */
import { request as httpRequest, Agent } from 'node:http';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import axios from 'axios';
import createClient from 'openapi-fetch';
import type { paths } from '../generated/pachca.js';
import { createUndiciFetch } from '../src/node/index.js';
import { createPachcaClient } from '../src/pachca/index.js';
import { createBody } from './fixtures.js';

/** The two calls every contender makes. */
export interface Contender {
  create(): Promise<unknown>;
  list(): Promise<unknown>;
}

const TOKEN = 'bench-token-0123456789abcdef';

/** The names of the contenders, in the order the table lists them. */
export const ALL_CONTENDERS = ['fetch', 'fetch + timeout', 'openapi-fetch', 'our client', 'our client, exactly-once', 'our client + undici', 'axios', 'pachca SDK', 'node:http'] as const;
export type ContenderName = (typeof ALL_CONTENDERS)[number];

/**
 * The official Pachca SDK takes part when `PACHCA_SDK_DIR` names a local build of it (sdk/typescript of the
 * vendor's public repository, built in a temporary folder for the measurement only; it is never committed).
 */
export const CONTENDERS: readonly ContenderName[] = ALL_CONTENDERS.filter((name) => name !== 'pachca SDK' || process.env.PACHCA_SDK_DIR);

/** The SDK's client class, loaded from the folder `PACHCA_SDK_DIR` names. */
interface PachcaSdk {
  readonly messages: {
    createMessage(request: unknown): Promise<unknown>;
    listChatMessages(params: { chatId: number; limit: number }): Promise<unknown>;
  };
}

/** Raw `fetch` as a user writes it, with what `extra` adds to each request's init. */
function rawFetch(baseUrl: string, extra: () => RequestInit): Contender {
  return {
    async create() {
      const response = await fetch(`${baseUrl}/messages`, {
        method: 'POST',
        headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
        body: JSON.stringify(createBody),
        ...extra(),
      });
      return response.json();
    },
    async list() {
      const response = await fetch(`${baseUrl}/messages?chat_id=334&limit=20`, { headers: { authorization: `Bearer ${TOKEN}` }, ...extra() });
      return response.json();
    },
  };
}

/** Builds one contender against the server at `baseUrl`. */
export function contender(name: ContenderName, baseUrl: string): Contender {
  switch (name) {
    case 'fetch':
      return rawFetch(baseUrl, () => ({}));
    case 'fetch + timeout':
      // Raw fetch as a careful user writes it, bounded in time: the floor for any client that must end its calls.
      return rawFetch(baseUrl, () => ({ signal: AbortSignal.timeout(30_000) }));
    case 'openapi-fetch': {
      const client = createClient<paths>({ baseUrl, headers: { authorization: `Bearer ${TOKEN}` } });
      return {
        create: () => client.POST('/messages', { body: createBody }),
        list: () => client.GET('/messages', { params: { query: { chat_id: 334, limit: 20 } } }),
      };
    }
    case 'our client': {
      // Everything on: bearer auth, the default retry policy, a 30 s timeout, typed errors and redaction.
      const client = createPachcaClient({ token: TOKEN, baseUrl, timeoutMs: 30_000 });
      return {
        create: () => client.createMessage({ body: createBody }),
        list: () => client.listChatMessages({ chat_id: 334, limit: 20 }),
      };
    }
    case 'our client, exactly-once': {
      // The same, sending with sendExactlyOnce: when nothing fails it must cost what createMessage costs.
      const client = createPachcaClient({ token: TOKEN, baseUrl, timeoutMs: 30_000 });
      return {
        create: () => client.sendExactlyOnce({ body: createBody }),
        list: () => client.listChatMessages({ chat_id: 334, limit: 20 }),
      };
    }
    case 'our client + undici': {
      // The same, over the opt-in undici transport.
      const client = createPachcaClient({ token: TOKEN, baseUrl, timeoutMs: 30_000, fetch: createUndiciFetch() });
      return {
        create: () => client.createMessage({ body: createBody }),
        list: () => client.listChatMessages({ chat_id: 334, limit: 20 }),
      };
    }
    case 'pachca SDK': {
      // Loaded on the first call (during warm-up), so the worker's start stays synchronous.
      let sdk: Promise<PachcaSdk> | undefined;
      const load = () =>
        (sdk ??= import(pathToFileURL(path.join(process.env.PACHCA_SDK_DIR ?? '', 'dist', 'index.js')).href).then(
          (module: { PachcaClient: new (token: string, baseUrl: string) => PachcaSdk }) => new module.PachcaClient(TOKEN, baseUrl),
        ));
      return {
        create: async () => (await load()).messages.createMessage(createBody),
        list: async () => (await load()).messages.listChatMessages({ chatId: 334, limit: 20 }),
      };
    }
    case 'axios': {
      const client = axios.create({ baseURL: baseUrl, headers: { authorization: `Bearer ${TOKEN}` } });
      return {
        create: async () => (await client.post('/messages', createBody)).data,
        list: async () => (await client.get('/messages', { params: { chat_id: 334, limit: 20 } })).data,
      };
    }
    case 'node:http': {
      const agent = new Agent({ keepAlive: true, maxSockets: 256 });
      const url = new URL(baseUrl);
      const send = (method: string, path: string, body?: string) =>
        new Promise<unknown>((resolve, reject) => {
          const headers: Record<string, string | number> = { authorization: `Bearer ${TOKEN}` };
          if (body) Object.assign(headers, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
          const request = httpRequest({ host: url.hostname, port: url.port, method, path, headers, agent }, (response) => {
            const chunks: Buffer[] = [];
            response.on('data', (chunk: Buffer) => chunks.push(chunk));
            response.on('end', () => resolve(JSON.parse(Buffer.concat(chunks).toString('utf8'))));
            response.on('error', reject);
          });
          request.on('error', reject);
          request.end(body);
        });
      return {
        create: () => send('POST', '/messages', JSON.stringify(createBody)),
        list: () => send('GET', '/messages?chat_id=334&limit=20'),
      };
    }
  }
}
