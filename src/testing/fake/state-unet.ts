/**
 * The uNet fake's memory: messages added to a chat (with fresh ids), fetched by id, listed in their chat newest
 * first a page at a time, edited and deleted, and the chats they are in, which start with the spec's examples.
 * Ids the bot sends are kept digit for digit, even beyond 2^53.
 */
import { IdSequence, key, page, seededHandlers, type ErrorShape, type FakeAnswer, type FakeExchange, type FakeHandlers } from './state.js';

type Json = Record<string, unknown>;

/** uNet's (OAuth-shaped) error body, naming the field in its description. */
export const unetErrorShape: ErrorShape = (status, field, message) => ({
  error: status === 401 ? 'invalid_token' : status === 403 ? 'insufficient_scope' : status === 404 ? 'not_found' : 'invalid_request',
  error_description: `${field} ${message}`,
});

/** Creates the handlers of a fresh uNet fake. */
export function unetHandlers(): FakeHandlers {
  const messages = new Map<string, Json & { chat_id: unknown }>();
  const chats = new Map<string, Json>();
  const ids = new IdSequence(2000);
  let owner: unknown = 3801130518;

  /** Fills the memory with the spec's examples before the first handler answers. */
  const seed = (exchange: FakeExchange): void => {
    for (const chat of ((exchange.exampleOf('listChats') as { items?: Json[] } | undefined)?.items ?? [])) chats.set(key(chat.chat_id), chat);
    const mine = (exchange.exampleOf('getTokenProperties') as { user_id?: string } | undefined)?.user_id;
    if (mine && /^\d+$/.test(mine)) owner = Number(mine);
  };

  const q = (exchange: FakeExchange): Json => (exchange.query.q ?? {}) as Json;
  const shown = (message: Json & { chat_id: unknown }): Json => {
    const { chat_id: _chat, ...rest } = message;
    void _chat;
    return rest;
  };
  const missing = (exchange: FakeExchange) => exchange.error(404, 'id', 'no such message', exchange.path.id);

  const handlers: Record<string, (exchange: FakeExchange) => FakeAnswer> = {
    addMessage(exchange) {
      const input = q(exchange);
      const id = ids.next();
      const message = { id, uid: owner, message: input.message ?? '', attachments: input.attachments ?? {}, chat_id: input.chat_id };
      messages.set(key(id), message);
      if (!chats.has(key(input.chat_id))) chats.set(key(input.chat_id), { chat_id: input.chat_id, type: 'private' });
      return { status: 200, body: { id } };
    },
    getMessage(exchange) {
      const message = messages.get(key(exchange.path.id));
      return message ? { status: 200, body: shown(message) } : missing(exchange);
    },
    editMessage(exchange) {
      const message = messages.get(key(exchange.path.id));
      if (!message) return missing(exchange);
      const input = q(exchange);
      if (key(input.chat_id) !== key(message.chat_id)) return exchange.error(400, 'q.chat_id', 'is not the chat of this message', input.chat_id);
      if ('message' in input) message.message = input.message;
      if ('attachments' in input) message.attachments = input.attachments;
      return { status: 200, body: { id: message.id } };
    },
    deleteMessage(exchange) {
      return messages.delete(key(exchange.path.id)) ? { status: 200, body: {} } : missing(exchange);
    },
    listMessages(exchange) {
      const input = q(exchange);
      const inChat = [...messages.values()].filter((message) => key(message.chat_id) === key(input.chat_id)).reverse();
      const limit = typeof input.limit === 'number' ? input.limit : 20;
      const { items, next } = page(inChat.map(shown), limit, input.cursor, 20);
      return { status: 200, body: { items, limit, next_cursor: next ?? '', prev_cursor: '', total_count: inChat.length } };
    },
    listChats() {
      return { status: 200, body: { items: [...chats.values()] } };
    },
  };
  return seededHandlers(handlers, seed);
}
