/**
 * The OK fake's memory: messages the bot sends (to a chat, or to a user in the user's chat with the group), listed
 * by chat newest first with fresh int64 `seq` numbers beyond 2^53 (so a lost digit shows), and the chats those
 * messages reach (renamed, given an icon or left by a chat change), which start with the spec's examples.
 */
import { key, seededHandlers, type ErrorShape, type FakeAnswer, type FakeExchange, type FakeHandlers } from './state.js';

type Json = Record<string, unknown>;

/** OK's error body: a code, `NAME : description` naming the field, and the field in `error_data`. */
export const okErrorShape: ErrorShape = (status, field, message) => {
  const [code, name] = status === 404 ? [300, 'NOT_FOUND'] : status === 401 ? [102, 'PARAM_SESSION_EXPIRED'] : status === 403 ? [10, 'PERMISSION_DENIED'] : [100, 'PARAM'];
  return { error_code: code, error_msg: `${name} : ${field} ${message}`, error_data: field };
};

/** The first seq the fake hands out: above 2^53, where a `number` would lose the last digit. */
const FIRST_SEQ = 9007199254740993n;

/** Creates the handlers of a fresh OK fake. */
export function okHandlers(): FakeHandlers {
  const chats = new Map<string, Json>();
  const messages: Json[] = [];
  let seq = FIRST_SEQ;
  let group = { name: 'Group', group_id: 'group:0' };

  /** Fills the memory with the spec's examples before the first handler answers. */
  const seed = (exchange: FakeExchange): void => {
    for (const chat of ((exchange.exampleOf('listChats') as { chats?: Json[] } | undefined)?.chats ?? [])) chats.set(key(chat.chat_id), chat);
    const one = exchange.exampleOf('getChat') as Json | undefined;
    if (one?.chat_id && !chats.has(key(one.chat_id))) chats.set(key(one.chat_id), one);
    const info = exchange.exampleOf('getInfo') as { name?: string; group_id?: string } | undefined;
    if (info?.group_id) group = { name: info.name ?? group.name, group_id: info.group_id };
  };

  /** The chat the fake knows by this id, made when the bot first writes to it. */
  const chatFor = (chatId: string): Json => {
    const chat = chats.get(chatId) ?? { chat_id: chatId, type: chatId.startsWith('user:') ? 'DIALOG' : 'CHAT', status: 'ACTIVE', participants: {}, group_id: group.group_id };
    chats.set(chatId, chat);
    return chat;
  };

  /**
   * Answers a send to `chatId` as OK does: a message is stored (and listed by chat), a chat change renames the
   * chat, changes its icon or leaves it, and a sender action (typing…) changes nothing.
   */
  const send = (chatId: string, body: unknown): FakeAnswer => {
    const request = (body ?? {}) as { message?: Json; chat_control?: Json };
    const chat = chatFor(chatId);
    if (request.chat_control) {
      const control = request.chat_control;
      if (typeof control.title === 'string') chat.title = control.title;
      if (control.icon && typeof control.icon === 'object') chat.icon = control.icon;
      if (control.leave === true) chat.status = 'LEFT';
      return { status: 200, body: { success: true } };
    }
    if (!request.message) return { status: 200, body: { success: true } };
    const next = seq++;
    const timestamp = Date.now();
    const incoming: Json = { mid: `mid:${chatId.replace(/^(chat|user):/, '')}.${next.toString(16)}`, seq: next };
    for (const field of ['text', 'attachment', 'attachments', 'reply_to']) if (field in request.message) incoming[field] = request.message[field];
    messages.push({ sender: { user_id: group.group_id.replace(/^group:/, 'user:'), name: group.name }, recipient: { chat_id: chatId }, message: incoming, timestamp });
    chat.lastEventTime = timestamp;
    return { status: 200, body: { success: true } };
  };

  const list = (exchange: FakeExchange, chatId: string): FakeAnswer => {
    const { from, to, count } = exchange.query as { from?: number; to?: number; count?: number };
    const found = messages
      .filter((message) => (message.recipient as { chat_id: string }).chat_id === chatId)
      .filter((message) => (from === undefined || (message.timestamp as number) <= from) && (to === undefined || (message.timestamp as number) >= to))
      .reverse()
      .slice(0, count ?? 50);
    return { status: 200, body: { messages: found } };
  };

  const chatAnswer = (exchange: FakeExchange, chatId: unknown): FakeAnswer => {
    const chat = chats.get(key(chatId));
    return chat ? { status: 200, body: chat } : exchange.error(404, 'chat_id', 'no such chat', chatId);
  };

  const handlers: Record<string, (exchange: FakeExchange) => FakeAnswer> = {
    sendMessage: (exchange) => send(key(exchange.path.chat_id), exchange.body),
    sendChatMessage: (exchange) => send(key(exchange.path.chat_id), exchange.body),
    sendUserMessage(exchange) {
      const recipient = (exchange.body as { recipient?: Json }).recipient ?? {};
      if (typeof recipient.chat_id === 'string') return send(recipient.chat_id, exchange.body);
      if (typeof recipient.user_id === 'string') return send(recipient.user_id, exchange.body);
      // Several users at once: one message each, and a result per user.
      const users = (recipient.user_ids as string[] | undefined) ?? [];
      for (const user of users) send(user, exchange.body);
      return { status: 200, body: { success: users.map(() => true), chat_ids: users.map((user) => `chat:${user.replace(/^user:/, '')}`) } };
    },
    listMessages: (exchange) => list(exchange, key(exchange.path.chat_id)),
    listChatMessages: (exchange) => list(exchange, key(exchange.path.chat_id)),
    listMessagesByQuery: (exchange) => list(exchange, key(exchange.query.chat_id)),
    listChats(exchange) {
      const all = [...chats.values()];
      const start = typeof exchange.query.marker === 'string' && /^\d+$/.test(exchange.query.marker) ? Number(exchange.query.marker) : 0;
      const count = typeof exchange.query.count === 'number' ? exchange.query.count : 50;
      const chunk = all.slice(start, start + count);
      return { status: 200, body: start + count < all.length ? { chats: chunk, marker: String(start + count) } : { chats: chunk } };
    },
    getChat: (exchange) => chatAnswer(exchange, exchange.path.chat_id),
    getChatByQuery: (exchange) => chatAnswer(exchange, exchange.query.chat_id),
  };
  return seededHandlers(handlers, seed);
}
