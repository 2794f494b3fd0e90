/** Pachca events for the Redis tier: a message per chat and sequence number, signed as Pachca would send it. */
import { signPachcaWebhook, type PachcaWebhookEvent } from '../../src/pachca/index.js';

export const SECRET = 'whsec-redis-tier-0123456789';

/** A new message in `chat`, the `seq`-th of that chat; its id makes it unique. */
export function pachcaMessage(chat: number, seq: number): PachcaWebhookEvent {
  return {
    type: 'message',
    id: chat * 100_000 + seq,
    event: 'new',
    entity_type: 'discussion',
    entity_id: chat,
    chat_id: chat,
    content: `${chat}:${seq}`,
    user_id: 7,
    created_at: '2026-01-01T00:00:00.000Z',
    url: `https://app.pachca.com/chats/${chat}?message=${seq}`,
  } as unknown as PachcaWebhookEvent;
}

/** A signed delivery of an event as a Fetch request. */
export async function signedRequest(event: PachcaWebhookEvent, url = 'http://127.0.0.1/webhook'): Promise<Request> {
  const { body, headers } = await signPachcaWebhook(event, SECRET);
  return new Request(url, { method: 'POST', body, headers });
}
