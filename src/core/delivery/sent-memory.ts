/**
 * The ids of a client's own recent sends, per chat. A look-up for an unclear send skips these: a message the
 * client already knows it posted (an earlier send with the same text, say) is not the one it is looking for.
 * Memory is bounded: the newest sends of the most recently used chats are kept, and the rest forgotten.
 */

/** How many sends are remembered per chat (the newest). */
export const REMEMBERED_SENDS_PER_CHAT = 100;
/** How many chats sends are remembered for (the most recently sent to). */
export const REMEMBERED_CHATS = 1000;

/** The ids of a client's own recent sends. */
export class SentMemory {
  /** Per chat, its remembered ids; a Set keeps insertion order, so its first id is the oldest. */
  readonly #chats = new Map<string, Set<string>>();

  /** Notes a message this client posted; `chat` or `id` missing (an answer without them) notes nothing. */
  remember(chat: unknown, id: unknown): void {
    if (chat === undefined || chat === null || id === undefined || id === null) return;
    const key = String(chat);
    let ids = this.#chats.get(key);
    if (ids) this.#chats.delete(key);
    else {
      ids = new Set();
      // A Map iterates in insertion order, and a chat is re-inserted on every send: the first is the stalest.
      if (this.#chats.size >= REMEMBERED_CHATS) this.#chats.delete(this.#chats.keys().next().value as string);
    }
    this.#chats.set(key, ids);
    ids.add(String(id));
    if (ids.size > REMEMBERED_SENDS_PER_CHAT) ids.delete(ids.values().next().value as string);
  }

  /** Whether this client remembers posting the message `id` in `chat`. */
  has(chat: unknown, id: unknown): boolean {
    return this.#chats.get(String(chat))?.has(String(id)) ?? false;
  }
}
