/**
 * How uNet looks for a message whose send had an unclear outcome: among the chat's messages in the period since
 * the send began (minus the allowed clock skew), one from the token's user with the same text, that this client
 * does not already know it sent. uNet's messages carry no creation time, so the period filter of the list is
 * what keeps older messages out.
 */
import type { AddMessageInput, AddMessageResult, UnetOperations } from '../../generated/unet.js';
import type { UnclearSend, Verdict } from '../core/delivery/exactly-once.js';
import type { SentMemory } from '../core/delivery/sent-memory.js';

/** What the look-up needs of the client. */
export interface UnetLookupDeps {
  readonly api: Pick<UnetOperations, 'addMessage' | 'listMessages'>;
  readonly memory: SentMemory;
  /** The token's user: the token set's `user_id`, or else the number its resource URI starts with. */
  readonly user: () => string | undefined;
}

/** The exactly-once steps of one `addMessage` call. */
export function unetUnclearSend(deps: UnetLookupDeps, input: AddMessageInput): UnclearSend<AddMessageResult> {
  return {
    // The client's addMessage remembers what it posted.
    send: (options) => deps.api.addMessage(input, options),
    // Only a send that the client accepted is looked for, so the input has its `q` by then.
    target: () => String(input.q.chat_id),
    async look(window): Promise<Verdict<AddMessageResult>> {
      const { chat_id: chatId, message: text } = input.q;
      const user = deps.user();
      if (user === undefined) return { undecided: "the token's user is not known (the token set names no user_id)" };
      const page = await deps.api.listMessages(
        { q: { chat_id: chatId, limit: window.lookback, period: { from: new Date(window.since).toISOString() } } },
        window.options,
      );
      const items = page.items ?? [];
      const matches = items.filter((item) => String(item.uid) === user && (item.message ?? '') === (text ?? '') && !deps.memory.has(chatId, item.id));
      if (matches.length > 1) return { undecided: `${matches.length} messages in chat ${chatId} match it, and none is known to be this send's` };
      if (items.length >= window.lookback || page.next_cursor) {
        return { undecided: `more than ${window.lookback} messages arrived in chat ${chatId} since the send began` };
      }
      const [found] = matches;
      if (!found) return { absent: true };
      deps.memory.remember(chatId, found.id);
      return { found: { ...found } as AddMessageResult };
    },
  };
}
