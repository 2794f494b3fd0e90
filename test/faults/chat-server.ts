/**
 * A hostile chat server on loopback that stores the messages it receives, for the unclear-send scenarios. It
 * speaks just enough of each API (send, list a chat's messages, who the token is) and misbehaves on command while
 * taking a send: it stores and then resets the connection, stores and then never answers, resets before storing
 * with the body only partly read, stores late (after the client has given up), stores and then answers 502 as a
 * gateway would, or answers 503 without storing. What it holds at the end is what
 * a user's chat would show.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/** What the server does with the next send. */
export type SendFault = 'none' | 'store-then-reset' | 'store-then-stall' | 'reset-before-store' | 'store-late' | 'store-then-502' | '503-before-store';

/** A message the server holds. */
export interface StoredMessage {
  readonly id: number;
  readonly chat: string;
  readonly author: string;
  readonly text: string;
  /** Epoch milliseconds, by the server's clock. */
  readonly createdAt: number;
  readonly files: readonly { name: string; file_type: string }[];
  readonly buttons: unknown;
  readonly parent: number | null;
}

export type Api = 'pachca' | 'ok' | 'unet';

/** The id the token's owner (Pachca's bot, uNet's user) has on this server, and OK's group. */
export const BOT_USER = 777;
export const OK_GROUP = 'group:55';
/** Pachca thread 5's own chat. */
export const THREAD_CHAT = 9005;

export interface ChatServer {
  readonly url: string;
  readonly messages: StoredMessage[];
  /** What the next send meets; later sends are served normally. */
  fault: SendFault;
  /** What the sends after the next one meet, in turn. */
  readonly laterFaults: SendFault[];
  /** How long after receiving it a `store-late` send is stored. */
  lateMs: number;
  /** Answer 403 to every read of a chat's messages. */
  forbidReads: boolean;
  /** Every request, as `METHOD path`. */
  readonly requests: string[];
  /** Adds a message as if someone had posted it earlier. */
  seed(message: Partial<StoredMessage> & Pick<StoredMessage, 'chat' | 'text'>): StoredMessage;
  reset(): void;
  close(): Promise<void>;
}

const json = (response: ServerResponse, status: number, body: unknown): void => {
  const text = JSON.stringify(body);
  response.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  response.end(text);
};

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
  });
}

/** Starts the server; each API lives under its own prefix (`/pachca`, `/ok`, `/unet`). */
export async function startChatServer(): Promise<ChatServer> {
  const sockets = new Set<Socket>();
  let nextId = 1000;
  const state: ChatServer = {
    url: '',
    messages: [],
    fault: 'none',
    laterFaults: [],
    lateMs: 0,
    forbidReads: false,
    requests: [],
    seed(message) {
      const stored: StoredMessage = { id: nextId++, author: String(BOT_USER), createdAt: Date.now(), files: [], buttons: null, parent: null, ...message };
      state.messages.push(stored);
      return stored;
    },
    reset() {
      state.messages.length = 0;
      state.requests.length = 0;
      state.fault = 'none';
      state.laterFaults.length = 0;
      state.lateMs = 0;
      state.forbidReads = false;
    },
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };

  /** Takes a send: applies the fault of the moment, and stores the message built from the body when it should. */
  async function takeSend(request: IncomingMessage, response: ServerResponse, hasBody: boolean, build: (body: string) => Omit<StoredMessage, 'id' | 'createdAt'>, answer: (stored: StoredMessage) => unknown): Promise<void> {
    const fault = state.fault;
    state.fault = state.laterFaults.shift() ?? 'none';
    if (fault === 'reset-before-store') {
      // The first part of the body arrives, then the connection breaks: nothing is stored.
      if (hasBody) request.once('data', () => request.socket.destroy());
      else request.socket.destroy();
      return;
    }
    const body = await readBody(request);
    if (fault === '503-before-store') {
      response.writeHead(503, { 'content-type': 'text/html' }).end('<html>Service Unavailable</html>');
      return;
    }
    const store = (): StoredMessage => {
      const stored: StoredMessage = { id: nextId++, createdAt: Date.now(), ...build(body) };
      state.messages.push(stored);
      return stored;
    };
    if (fault === 'store-late') {
      setTimeout(() => {
        const stored = store();
        if (!response.destroyed) json(response, 200, answer(stored));
      }, state.lateMs);
      return;
    }
    const stored = store();
    if (fault === 'store-then-reset') request.socket.destroy();
    // A gateway that gave up waiting for the server behind it, which committed all the same.
    else if (fault === 'store-then-502') response.writeHead(502, { 'content-type': 'text/html' }).end('<html>Bad Gateway</html>');
    else if (fault === 'store-then-stall') return;
    else json(response, api(request) === 'pachca' ? 201 : 200, answer(stored));
  }

  const api = (request: IncomingMessage): Api => (request.url ?? '').split('/')[1] as Api;

  const pachcaMessage = (message: StoredMessage) => ({
    id: message.id,
    entity_type: 'discussion',
    entity_id: Number(message.chat),
    chat_id: Number(message.chat),
    content: message.text,
    user_id: Number(message.author),
    created_at: new Date(message.createdAt).toISOString(),
    url: `https://app.example/chats/${message.chat}?message=${message.id}`,
    files: message.files.map((file, index) => ({ id: index + 1, key: `k/${file.name}`, url: `https://files.example/${file.name}`, ...file })),
    buttons: message.buttons,
    thread: null,
    forwarding: null,
    parent_message_id: message.parent,
  });
  const newestFirst = (chat: string) => state.messages.filter((message) => message.chat === chat).sort((a, b) => b.id - a.id);

  async function route(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://loopback');
    const path = url.pathname;
    const method = request.method ?? 'GET';
    state.requests.push(`${method} ${path}`);

    // Pachca
    if (path === '/pachca/messages' && method === 'POST') {
      return takeSend(
        request,
        response,
        true,
        (body) => {
          const { message } = JSON.parse(body) as { message: { entity_type?: string; entity_id: number; content: string; files?: { name: string; file_type: string }[]; buttons?: unknown; parent_message_id?: number } };
          const kind = (message.entity_type ?? 'discussion').toLowerCase();
          const chat = kind === 'thread' ? THREAD_CHAT : kind === 'user' ? 8000 + message.entity_id : message.entity_id;
          const files = (message.files ?? []).map(({ name, file_type }) => ({ name, file_type }));
          return { chat: String(chat), author: String(BOT_USER), text: message.content, files, buttons: message.buttons ?? null, parent: message.parent_message_id ?? null };
        },
        (stored) => ({ data: pachcaMessage(stored) }),
      );
    }
    if (path === '/pachca/messages' && method === 'GET') {
      if (state.forbidReads) return json(response, 403, { errors: [{ key: 'chat_id', value: null, message: 'no access to the chat', code: 'permission_denied', payload: null }] });
      const all = newestFirst(url.searchParams.get('chat_id') ?? '');
      const start = Number(url.searchParams.get('cursor') ?? '0');
      const limit = Number(url.searchParams.get('limit') ?? '50');
      const page = all.slice(start, start + limit);
      const more = start + limit < all.length;
      return json(response, 200, { data: page.map(pachcaMessage), meta: { paginate: { has_next: more, next_page: more ? String(start + limit) : null } } });
    }
    if (path === '/pachca/oauth/token/info') {
      return json(response, 200, { data: { id: 1, token: 'abc…', name: null, user_id: BOT_USER, scopes: ['messages:read'], created_at: '2026-01-01T00:00:00.000Z', revoked_at: null, expires_in: null, last_used_at: null } });
    }
    if (path.startsWith('/pachca/threads/')) {
      const id = Number(path.split('/')[3]);
      return json(response, 200, { data: { id, chat_id: THREAD_CHAT, message_id: 1, message_chat_id: 1, updated_at: '2026-01-01T00:00:00.000Z' } });
    }
    if (path === '/pachca/chats') {
      const after = Date.parse(url.searchParams.get('last_message_at_after') ?? '1970-01-01T00:00:00Z');
      const chats = [...new Set(state.messages.filter((message) => Number(message.chat) >= 8000 && Number(message.chat) < 9000 && message.createdAt >= after).map((message) => Number(message.chat)))];
      const data = chats.map((id) => ({ id, name: 'direct', created_at: '2026-01-01T00:00:00.000Z', owner_id: BOT_USER, member_ids: [BOT_USER, id - 8000], group_tag_ids: [], channel: false, archived: false, personal: true, public: false, last_message_at: '2026-01-01T00:00:00.000Z', meet_room_url: '' }));
      return json(response, 200, { data, meta: { paginate: { has_next: false, next_page: null } } });
    }

    // OK
    const okChat = /^\/ok\/me\/messages\/([^/]+)$/.exec(path);
    if (okChat && method === 'POST') {
      const chat = decodeURIComponent(okChat[1] as string);
      return takeSend(
        request,
        response,
        true,
        (body) => {
          const { message } = JSON.parse(body) as { message: { text?: string; attachments?: { type: string }[]; attachment?: { type: string } } };
          const kinds = message.attachments ?? (message.attachment ? [message.attachment] : []);
          return { chat, author: OK_GROUP, text: message.text ?? '', files: kinds.map(({ type }) => ({ name: type, file_type: type })), buttons: null, parent: null };
        },
        (stored) => ({ success: true, message_id: `mid:${stored.id}` }),
      );
    }
    if (okChat && method === 'GET') {
      if (state.forbidReads) return json(response, 403, { error_code: 10, error_msg: 'PERMISSION_DENIED : no access to the chat', error_data: null });
      const to = Number(url.searchParams.get('to') ?? '0');
      const count = Number(url.searchParams.get('count') ?? '50');
      const page = newestFirst(decodeURIComponent(okChat[1] as string)).filter((message) => message.createdAt >= to).slice(0, count);
      return json(response, 200, {
        messages: page.map((message) => ({
          sender: { user_id: message.author },
          recipient: { chat_id: message.chat },
          message: { mid: `mid:${message.id}`, text: message.text, ...(message.files.length ? { attachments: message.files.map((file) => ({ type: file.file_type, payload: {} })) } : {}) },
          timestamp: message.createdAt,
        })),
      });
    }
    if (path === '/ok/me/info') return json(response, 200, { name: 'The group', group_id: OK_GROUP });
    if (path === '/ok/me/messages' && method === 'POST') {
      return takeSend(request, response, true, (body) => ({ chat: 'users', author: OK_GROUP, text: (JSON.parse(body) as { message: { text: string } }).message.text, files: [], buttons: null, parent: null }), () => ({ success: true }));
    }

    // uNet
    const q = (): Record<string, unknown> => JSON.parse(url.searchParams.get('q') ?? '{}') as Record<string, unknown>;
    if (path === '/unet/messages/add/' && method === 'POST') {
      const params = q();
      return takeSend(
        request,
        response,
        false,
        () => ({ chat: String(params.chat_id), author: String(BOT_USER), text: String(params.message ?? ''), files: [], buttons: null, parent: null }),
        (stored) => ({ id: stored.id }),
      );
    }
    if (path === '/unet/messages/' && method === 'GET') {
      if (state.forbidReads) return json(response, 403, { error: 'insufficient_scope', error_description: 'messages_read is required' });
      const params = q() as { chat_id: unknown; limit?: number; period?: { from?: string } };
      const from = params.period?.from ? Date.parse(params.period.from) : 0;
      const all = newestFirst(String(params.chat_id)).filter((message) => message.createdAt >= from);
      const limit = params.limit ?? 50;
      return json(response, 200, {
        items: all.slice(0, limit).map((message) => ({ id: message.id, uid: Number(message.author), message: message.text })),
        ...(all.length > limit ? { next_cursor: 'more' } : {}),
      });
    }
    json(response, 404, { error: `no route ${method} ${path}` });
  }

  const server = createServer((request, response) => void route(request, response));
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  Object.assign(state, { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` });
  return state;
}
