/**
 * How Pachca looks for a message whose send had an unclear outcome: in the chat it went to (a thread's own chat
 * for `entity_type: thread`, the direct chat with the user for `user`), among the newest messages, one by the
 * token's owner with the same content, files and buttons (and the same parent, for a reply), created no earlier
 * than the send began minus the allowed clock skew, and not one this client already knows it sent.
 */
import type { CreateMessageInput, CreateMessageResult, PachcaOperations } from '../../generated/pachca.js';
import type { CallOptions } from '../core/client/types.js';
import type { LookupWindow, UnclearSend, Verdict } from '../core/delivery/exactly-once.js';
import type { SentMemory } from '../core/delivery/sent-memory.js';

type Message = CreateMessageResult['data'];
type Outgoing = CreateMessageInput['body']['message'];

/** What the look-up needs of the client. */
export interface PachcaLookupDeps {
  readonly api: PachcaOperations;
  readonly memory: SentMemory;
  /** The chat's messages, newest first, a page at a time. */
  readonly messages: (chatId: number, options: CallOptions) => AsyncIterable<Message>;
  /** The token's owner, looked up once and kept. */
  readonly owner: (options: CallOptions) => Promise<string>;
  /** Chats matching the filters, a page at a time. */
  readonly chats: (input: { personal: boolean; last_message_at_after: string }, options: CallOptions) => AsyncIterable<{ id: number; member_ids: readonly number[] }>;
}

/** The buttons of a message, reduced to what a press does, for comparison. */
function buttonsKey(rows: readonly (readonly { text: string; url?: string | null; data?: string | null }[])[] | null | undefined): string {
  return JSON.stringify((rows ?? []).map((row) => row.map(({ text, url, data }) => [text, url ?? null, data ?? null])).filter((row) => row.length > 0));
}

/** The files of a message, by name and kind, for comparison (the server's copy has its own ids and URLs). */
function filesKey(files: readonly { name: string; file_type: string }[] | null | undefined): string {
  return JSON.stringify((files ?? []).map(({ name, file_type }) => [name, file_type]));
}

/** Whether a message in the chat has the content of the one sent. */
function sameMessage(found: Message, sent: Outgoing): boolean {
  if (found.content !== sent.content) return false;
  if (sent.parent_message_id !== undefined && found.parent_message_id !== sent.parent_message_id) return false;
  return filesKey(found.files) === filesKey(sent.files) && buttonsKey(found.buttons) === buttonsKey(sent.buttons);
}

/** Finds the chat a send went to; `undefined` with a reason when it cannot be found. */
async function chatOf(deps: PachcaLookupDeps, sent: Outgoing, window: LookupWindow): Promise<number | string> {
  const kind = (sent.entity_type ?? 'discussion').toLowerCase();
  if (kind === 'discussion') return sent.entity_id;
  if (kind === 'thread') {
    const thread = await deps.api.getThread({ id: sent.entity_id }, window.options);
    return Number(thread.data.chat_id);
  }
  // A direct chat with a message since the send began is among the personal chats active since then.
  let read = 0;
  for await (const chat of deps.chats({ personal: true, last_message_at_after: new Date(window.since).toISOString() }, window.options)) {
    if (chat.member_ids.includes(sent.entity_id)) return chat.id;
    if (++read >= window.lookback) break;
  }
  return `the direct chat with user ${sent.entity_id} could not be found among the personal chats active since the send began`;
}

/** The exactly-once steps of one `createMessage` call. */
export function pachcaUnclearSend(deps: PachcaLookupDeps, input: CreateMessageInput): UnclearSend<CreateMessageResult> {
  return {
    // The client's createMessage remembers what it posted.
    send: (options) => deps.api.createMessage(input, options),
    // Only a send that the client accepted gets here, so the input has its message.
    target: () => {
      const { entity_type: kind, entity_id: id } = input.body.message;
      return `${(kind ?? 'discussion').toLowerCase()}:${id}`;
    },
    async look(window): Promise<Verdict<CreateMessageResult>> {
      const sent = input.body.message;
      const chat = await chatOf(deps, sent, window);
      if (typeof chat === 'string') return { undecided: chat };
      const owner = await deps.owner(window.options);
      const matches: Message[] = [];
      let read = 0;
      let complete = false;
      for await (const message of deps.messages(chat, window.options)) {
        if (Date.parse(message.created_at) < window.since) {
          complete = true;
          break;
        }
        if (String(message.user_id) === owner && !deps.memory.has(chat, message.id) && sameMessage(message, sent)) matches.push(message);
        if (++read >= window.lookback) break;
      }
      // The walk also ends when the chat has no older messages.
      complete ||= read < window.lookback;
      if (matches.length > 1) return { undecided: `${matches.length} messages in chat ${chat} match it, and none is known to be this send's` };
      if (!complete) return { undecided: `more than ${window.lookback} messages arrived in chat ${chat} since the send began` };
      const [found] = matches;
      if (!found) return { absent: true };
      deps.memory.remember(chat, found.id);
      return { found: { data: found } };
    },
  };
}
