/**
 * The Pachca fake's memory: messages (created, fetched, listed by chat, edited, deleted, pinned), their reactions
 * and threads, chats (created, fetched, listed, renamed, archived, left) and their members with roles, and the
 * stored events the events endpoint serves to a poller. Each resource starts with the spec's example, so the
 * example ids answer as documented, and new ids are fresh.
 */
import { IdSequence, key, now, page, seededHandlers, type ErrorShape, type FakeAnswer, type FakeExchange, type FakeHandlers } from './state.js';

type Json = Record<string, unknown>;

/** The events stored for the events endpoint, oldest first. */
export interface PachcaEventQueue {
  readonly items: { id: string; event_type: string; payload: unknown; created_at: string }[];
  nextId: number;
}

/** Pachca's error body: `errors` naming the field (`key`), as the API writes it. */
export const pachcaErrorShape: ErrorShape = (status, field, message, value) => ({
  errors: [
    {
      key: field,
      value: value === undefined || value === null ? null : typeof value === 'object' ? JSON.stringify(value) : String(value),
      message,
      code: status === 404 ? 'not_found' : status === 401 ? 'unauthorized' : status === 403 ? 'forbidden' : status === 429 ? 'too_many_requests' : 'invalid',
      payload: null,
    },
  ],
});

/** A list page in Pachca's shape. */
function listAnswer(items: readonly unknown[], limit: unknown, cursor: unknown): FakeAnswer {
  const { items: data, next } = page(items, limit, cursor);
  return { status: 200, body: { data, meta: { paginate: { next_page: next ?? null, prev_page: null, has_next: next !== undefined, has_prev: false } } } };
}

const data = (exchange: FakeExchange): Json => ((exchange.example() as { data?: Json } | undefined)?.data ?? {}) as Json;
const listItem = (exchange: FakeExchange): Json => (((exchange.example() as { data?: Json[] } | undefined)?.data ?? [])[0] ?? {}) as Json;

/** Creates the handlers of a fresh Pachca fake. */
export function pachcaHandlers(events: PachcaEventQueue): FakeHandlers {
  const messages = new Map<string, Json>();
  const reactions = new Map<string, Json[]>();
  const threads = new Map<string, Json>();
  const chats = new Map<string, Json>();
  const roles = new Map<string, Map<string, string>>();
  const users = new Map<string, Json>();
  // A message to a user goes to the one direct chat with that user, made on the first message.
  const directChats = new Map<string, number>();
  const messageIds = new IdSequence(200000);
  const chatIds = new IdSequence(1000);
  const threadIds = new IdSequence(300000);
  // A thread's chat id lies above 2^31, as the API's do, so an int64 slip would show.
  const threadChatIds = new IdSequence(2637266156);
  let botId = 185;

  /** Fills the memory with the spec's examples before the first handler answers. */
  const seed = (exchange: FakeExchange): void => {
    const example = (id: string) => exchange.exampleOf(id) as { data?: unknown } | undefined;
    const message = example('getMessage')?.data as Json | undefined;
    if (message) {
      messages.set(key(message.id), message);
      messageIds.seen(message.id);
      botId = Number(message.user_id) || botId;
    }
    const chat = example('getChat')?.data as Json | undefined;
    if (chat) {
      chats.set(key(chat.id), chat);
      chatIds.seen(chat.id);
      roles.set(key(chat.id), new Map((chat.member_ids as number[] | undefined)?.map((id) => [key(id), id === chat.owner_id ? 'owner' : 'member'])));
    }
    const thread = example('getThread')?.data as Json | undefined;
    if (thread) {
      threads.set(key(thread.id), thread);
      threadIds.seen(thread.id);
      threadChatIds.seen(thread.chat_id);
    }
    for (const user of ((example('listChatMembers') as { data?: Json[] } | undefined)?.data ?? [])) users.set(key(user.id), user);
    const reacted = (example('listReactions') as { data?: Json[] } | undefined)?.data;
    if (message && reacted) reactions.set(key(message.id), reacted);
  };

  const notFound = (exchange: FakeExchange, field: string, value: unknown) => exchange.error(404, field, 'Объект не найден', value);
  const messageOf = (exchange: FakeExchange) => messages.get(key(exchange.path.id));
  const chatOf = (exchange: FakeExchange) => chats.get(key(exchange.path.id));

  /** A member as the API lists one: the example user with this id, unless the fake knows the user. */
  const user = (exchange: FakeExchange, id: string): Json => {
    const known = users.get(id);
    if (known) return known;
    const template = listItem(exchange);
    const made = { ...template, id: Number(id), nickname: `user${id}`, email: `user${id}@example.com`, first_name: 'User', last_name: id };
    users.set(id, made);
    return made;
  };

  const handlers: Record<string, (exchange: FakeExchange) => FakeAnswer> = {
    createMessage(exchange) {
      const input = (exchange.body as { message: Json }).message;
      const entityType = String(input.entity_type ?? 'discussion').toLowerCase();
      let chatId: unknown = input.entity_id;
      if (entityType === 'thread') {
        const thread = threads.get(key(input.entity_id));
        if (!thread) return notFound(exchange, 'message.entity_id', input.entity_id);
        chatId = thread.chat_id;
      } else if (entityType === 'user') {
        const existing = directChats.get(key(input.entity_id));
        chatId = existing ?? chatIds.next();
        directChats.set(key(input.entity_id), chatId as number);
      } else if (!chats.has(key(input.entity_id))) {
        return notFound(exchange, 'message.entity_id', input.entity_id);
      }
      const id = messageIds.next();
      const message: Json = {
        ...data(exchange),
        id,
        entity_type: entityType,
        entity_id: input.entity_id,
        chat_id: chatId,
        content: input.content ?? '',
        user_id: botId,
        created_at: now(),
        url: `https://app.pachca.com/chats/${String(chatId)}?message=${id}`,
        files: input.files ?? [],
        buttons: input.buttons ?? null,
        thread: null,
        forwarding: null,
        parent_message_id: input.parent_message_id ?? null,
        display_avatar_url: input.display_avatar_url ?? null,
        display_name: input.display_name ?? null,
      };
      messages.set(key(id), message);
      const chat = chats.get(key(chatId));
      if (chat) chat.last_message_at = message.created_at;
      return { status: 201, body: { data: message } };
    },
    getMessage(exchange) {
      const message = messageOf(exchange);
      return message ? { status: 200, body: { data: message } } : notFound(exchange, 'id', exchange.path.id);
    },
    updateMessage(exchange) {
      const message = messageOf(exchange);
      if (!message) return notFound(exchange, 'id', exchange.path.id);
      const input = (exchange.body as { message: Json }).message;
      for (const field of ['content', 'files', 'buttons', 'display_avatar_url', 'display_name']) if (field in input) message[field] = input[field];
      message.changed_at = now();
      return { status: 200, body: { data: message } };
    },
    deleteMessage(exchange) {
      if (!messages.delete(key(exchange.path.id))) return notFound(exchange, 'id', exchange.path.id);
      reactions.delete(key(exchange.path.id));
      return { status: 204 };
    },
    pinMessage(exchange) {
      return messageOf(exchange) ? { status: 201 } : notFound(exchange, 'id', exchange.path.id);
    },
    unpinMessage(exchange) {
      return messageOf(exchange) ? { status: 204 } : notFound(exchange, 'id', exchange.path.id);
    },
    listChatMessages(exchange) {
      const chatId = key(exchange.query.chat_id);
      const inChat = [...messages.values()].filter((message) => key(message.chat_id) === chatId);
      // Newest first unless the caller asks for the oldest first.
      inChat.sort((a, b) => Number(b.id) - Number(a.id));
      if (exchange.query.order === 'asc' || exchange.query.sort === 'id_asc') inChat.reverse();
      return listAnswer(inChat, exchange.query.limit, exchange.query.cursor);
    },
    addReaction(exchange) {
      if (!messageOf(exchange)) return notFound(exchange, 'id', exchange.path.id);
      const input = exchange.body as { code: string; name?: string };
      const list = reactions.get(key(exchange.path.id)) ?? [];
      const existing = list.find((reaction) => reaction.code === input.code && reaction.user_id === botId);
      const reaction = existing ?? { user_id: botId, created_at: now(), code: input.code, name: input.name ?? null };
      if (!existing) list.push(reaction);
      reactions.set(key(exchange.path.id), list);
      return { status: 201, body: reaction };
    },
    removeReaction(exchange) {
      if (!messageOf(exchange)) return notFound(exchange, 'id', exchange.path.id);
      const list = reactions.get(key(exchange.path.id)) ?? [];
      const index = list.findIndex((reaction) => reaction.code === exchange.query.code && reaction.user_id === botId);
      if (index === -1) return notFound(exchange, 'code', exchange.query.code);
      list.splice(index, 1);
      return { status: 204 };
    },
    listReactions(exchange) {
      if (!messageOf(exchange)) return notFound(exchange, 'id', exchange.path.id);
      return listAnswer(reactions.get(key(exchange.path.id)) ?? [], exchange.query.limit, exchange.query.cursor);
    },
    createThread(exchange) {
      const message = messageOf(exchange);
      if (!message) return notFound(exchange, 'id', exchange.path.id);
      const existing = message.thread as { id: unknown } | null;
      if (existing) return { status: 201, body: { data: threads.get(key(existing.id)) } };
      const thread: Json = { id: threadIds.next(), chat_id: threadChatIds.next(), message_id: message.id, message_chat_id: message.chat_id, updated_at: now() };
      threads.set(key(thread.id), thread);
      message.thread = { id: thread.id, chat_id: thread.chat_id };
      return { status: 201, body: { data: thread } };
    },
    createStandaloneThread() {
      const thread: Json = { id: threadIds.next(), chat_id: threadChatIds.next(), message_id: null, message_chat_id: null, updated_at: now() };
      threads.set(key(thread.id), thread);
      return { status: 201, body: { data: thread } };
    },
    getThread(exchange) {
      const thread = threads.get(key(exchange.path.id));
      return thread ? { status: 200, body: { data: thread } } : notFound(exchange, 'id', exchange.path.id);
    },
    listThreads(exchange) {
      return listAnswer([...threads.values()], exchange.query.limit, exchange.query.cursor);
    },
    createChat(exchange) {
      const input = (exchange.body as { chat: Json }).chat;
      const id = chatIds.next();
      const members = [...new Set([botId, ...((input.member_ids as number[] | undefined) ?? [])])];
      const chat: Json = {
        ...data(exchange),
        id,
        name: input.name,
        created_at: now(),
        owner_id: botId,
        member_ids: members,
        group_tag_ids: input.group_tag_ids ?? [],
        channel: input.channel ?? false,
        archived: false,
        personal: false,
        public: input.public ?? false,
        last_message_at: now(),
        meet_room_url: `https://meet.pachca.com/chat-${id}`,
      };
      chats.set(key(id), chat);
      roles.set(key(id), new Map(members.map((member) => [key(member), member === botId ? 'owner' : 'member'])));
      return { status: 201, body: { data: chat } };
    },
    getChat(exchange) {
      const chat = chatOf(exchange);
      return chat ? { status: 200, body: { data: chat } } : notFound(exchange, 'id', exchange.path.id);
    },
    updateChat(exchange) {
      const chat = chatOf(exchange);
      if (!chat) return notFound(exchange, 'id', exchange.path.id);
      const input = (exchange.body as { chat: Json }).chat;
      for (const field of ['name', 'public']) if (field in input) chat[field] = input[field];
      return { status: 200, body: { data: chat } };
    },
    listChats(exchange) {
      const archived = exchange.query.archived;
      const personal = exchange.query.personal;
      const found = [...chats.values()].filter(
        (chat) => (archived === undefined || chat.archived === archived) && (personal === undefined || chat.personal === personal),
      );
      return listAnswer(found, exchange.query.limit, exchange.query.cursor);
    },
    archiveChat(exchange) {
      const chat = chatOf(exchange);
      if (!chat) return notFound(exchange, 'id', exchange.path.id);
      chat.archived = true;
      return { status: 204 };
    },
    unarchiveChat(exchange) {
      const chat = chatOf(exchange);
      if (!chat) return notFound(exchange, 'id', exchange.path.id);
      chat.archived = false;
      return { status: 204 };
    },
    leaveChat(exchange) {
      const chat = chatOf(exchange);
      if (!chat) return notFound(exchange, 'id', exchange.path.id);
      chat.member_ids = (chat.member_ids as number[]).filter((member) => member !== botId);
      roles.get(key(chat.id))?.delete(key(botId));
      return { status: 204 };
    },
    listChatMembers(exchange) {
      const chat = chatOf(exchange);
      if (!chat) return notFound(exchange, 'id', exchange.path.id);
      const chatRoles = roles.get(key(chat.id)) ?? new Map<string, string>();
      const role = exchange.query.role ?? 'all';
      const members = (chat.member_ids as number[])
        .filter((member) => role === 'all' || (chatRoles.get(key(member)) ?? 'member') === role)
        .map((member) => user(exchange, key(member)));
      return listAnswer(members, exchange.query.limit, exchange.query.cursor);
    },
    addChatMembers(exchange) {
      const chat = chatOf(exchange);
      if (!chat) return notFound(exchange, 'id', exchange.path.id);
      const added = (exchange.body as { member_ids: number[] }).member_ids;
      chat.member_ids = [...new Set([...(chat.member_ids as number[]), ...added])];
      const chatRoles = roles.get(key(chat.id)) ?? new Map<string, string>();
      for (const member of added) if (!chatRoles.has(key(member))) chatRoles.set(key(member), 'member');
      roles.set(key(chat.id), chatRoles);
      return { status: 204 };
    },
    removeChatMember(exchange) {
      const chat = chatOf(exchange);
      if (!chat) return notFound(exchange, 'id', exchange.path.id);
      const member = key(exchange.path.user_id);
      if (!(chat.member_ids as number[]).some((id) => key(id) === member)) return notFound(exchange, 'user_id', exchange.path.user_id);
      chat.member_ids = (chat.member_ids as number[]).filter((id) => key(id) !== member);
      roles.get(key(chat.id))?.delete(member);
      return { status: 204 };
    },
    updateChatMemberRole(exchange) {
      const chat = chatOf(exchange);
      if (!chat) return notFound(exchange, 'id', exchange.path.id);
      const member = key(exchange.path.user_id);
      if (!(chat.member_ids as number[]).some((id) => key(id) === member)) return notFound(exchange, 'user_id', exchange.path.user_id);
      roles.get(key(chat.id))?.set(member, (exchange.body as { role: string }).role);
      return { status: 204 };
    },
    getUploadParams(exchange) {
      // The upload goes to the fake's own upload server (the spec's), under a fresh key.
      const params = exchange.example() as Json;
      params.key = `attaches/files/fake/${messageIds.next()}/\${filename}`;
      return { status: 201, body: params };
    },
    listWebhookEvents(exchange) {
      return listAnswer(events.items, exchange.query.limit, exchange.query.cursor);
    },
    deleteWebhookEvent(exchange) {
      const index = events.items.findIndex((event) => event.id === exchange.path.id);
      if (index === -1) return notFound(exchange, 'id', exchange.path.id);
      events.items.splice(index, 1);
      return { status: 204 };
    },
  };
  return seededHandlers(handlers, seed);
}
