/**
 * How OK looks for a message whose send had an unclear outcome: among the chat's messages created since the send
 * began (minus the allowed clock skew), one sent by the group with the same text and the same kinds of
 * attachment, that this client does not already know it sent. A send to users names no chat, so its outcome
 * cannot be looked up: an unclear one throws the original error.
 */
import type { OkOperations, SendMessageResult, SendUserMessageResult } from '../../generated/ok.js';
import type { CallOptions } from '../core/client/types.js';
import type { UnclearSend, Verdict } from '../core/delivery/exactly-once.js';
import type { SentMemory } from '../core/delivery/sent-memory.js';
import type { OkMessageRequest } from './builders.js';
import type { OkMessageEnvelope } from './service-messages.js';

/** What the look-up needs of the client. */
export interface OkLookupDeps {
  readonly api: OkOperations;
  readonly memory: SentMemory;
  /** The token's group as `group:<id>` (`undefined` when the server names none), looked up once and kept. */
  readonly group: (options: CallOptions) => Promise<string | undefined>;
}

/** An id without its `group:` or `user:` prefix, which the documents print both with and without. */
const bare = (id: unknown): string => String(id).replace(/^(group|user):/i, '');

/** The kinds of attachment a message carries, in order. */
function attachmentKinds(message: { attachment?: { type: string } | undefined; attachments?: readonly { type: string }[] | undefined }): string {
  const list = message.attachments ?? (message.attachment ? [message.attachment] : []);
  return list.map(({ type }) => type).join(',');
}

/** The exactly-once steps of one send of a message. */
export function okUnclearSend(
  deps: OkLookupDeps,
  body: OkMessageRequest,
  send: (options: CallOptions) => Promise<SendMessageResult | SendUserMessageResult>,
): UnclearSend<SendMessageResult | SendUserMessageResult> {
  // Only a send that the client accepted is looked for, so the body has its recipient and message by then.
  const chatOf = (): unknown => (body.recipient as { chat_id?: unknown }).chat_id;
  return {
    send,
    target: () => String(chatOf() ?? 'users'),
    async look(window): Promise<Verdict<SendMessageResult | SendUserMessageResult>> {
      const chatId = chatOf();
      const sent = body.message as { text?: string; attachment?: { type: string }; attachments?: readonly { type: string }[] };
      if (typeof chatId !== 'string') return { undecided: 'a send to users names no chat whose messages could be read' };
      const groupId = await deps.group(window.options);
      if (groupId === undefined) return { undecided: "getInfo named no group_id, so the group's messages cannot be told apart" };
      const group = bare(groupId);
      const page = await deps.api.listMessages({ chat_id: chatId, count: window.lookback, to: String(window.since) }, window.options);
      const envelopes = page.messages as readonly OkMessageEnvelope[];
      const matches = envelopes.filter(
        (envelope) =>
          Number(envelope.timestamp) >= window.since &&
          bare(envelope.sender.user_id) === group &&
          (envelope.message.text ?? '') === (sent.text ?? '') &&
          attachmentKinds(envelope.message) === attachmentKinds(sent) &&
          !deps.memory.has(chatId, envelope.message.mid),
      );
      if (matches.length > 1) return { undecided: `${matches.length} messages in ${chatId} match it, and none is known to be this send's` };
      // A full page may have left older messages of the window unread.
      const oldest = envelopes.at(-1);
      if (envelopes.length >= window.lookback && oldest !== undefined && Number(oldest.timestamp) >= window.since) {
        return { undecided: `more than ${window.lookback} messages arrived in ${chatId} since the send began` };
      }
      const [found] = matches;
      if (!found) return { absent: true };
      deps.memory.remember(chatId, found.message.mid);
      return { found: { success: true, message_id: found.message.mid } as SendMessageResult };
    },
  };
}
