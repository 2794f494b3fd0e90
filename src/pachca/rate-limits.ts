/**
 * Pachca's documented rate limits (the vendor's limits guide, FACTS §7), as budgets for the outgoing throttle,
 * and which budget each request draws from.
 *
 * "About 4 sends, edits or deletes per second per chat, with bursts of up to 30 per second for 5 s" is read as
 * three windows per chat: at most 30 in any second and 150 in any 5 seconds (the burst), and 240 in any minute
 * (4 per second on average). Reads: about 10 per second per token; `GET /webhooks/events`: about 5 per 2 seconds;
 * everything else: about 50 per second per token.
 */
import type { OperationEntry } from '../core/client/operation.js';
import type { RequestInput } from '../core/request/request.js';
import type { ThrottleSlot } from '../core/limits/throttle.js';
import type { RateWindow } from '../core/limits/throttle-store.js';

/** Pachca's budgets, by name. Override any of them with the client's `throttle.budgets`. */
export const PACHCA_BUDGETS = {
  /** Sending, editing and deleting messages, per chat. */
  messageWrites: [
    { limit: 30, windowMs: 1000 },
    { limit: 150, windowMs: 5000 },
    { limit: 240, windowMs: 60_000 },
  ],
  /** Reading, per token. */
  reads: [{ limit: 10, windowMs: 1000 }],
  /** Polling stored webhook events, per token. */
  webhookEvents: [{ limit: 5, windowMs: 2000 }],
  /** Everything else, per token. */
  other: [{ limit: 50, windowMs: 1000 }],
} as const satisfies Record<string, readonly RateWindow[]>;

/** The names of Pachca's budgets. */
export type PachcaBudget = keyof typeof PACHCA_BUDGETS;

/**
 * Which budget a request draws from. A new message is counted against its chat (`entity_type` and `entity_id`
 * name it). An edit or a delete names only the message, not its chat, so all of them share one chat-sized budget:
 * a conservative reading that never exceeds any chat's limit.
 */
export function classifyPachcaRequest(operationId: string | undefined, entry: OperationEntry, input: RequestInput): ThrottleSlot {
  if (operationId === 'createMessage') {
    const message = (input.body as { message?: { entity_type?: unknown; entity_id?: unknown } } | undefined)?.message;
    const kind = typeof message?.entity_type === 'string' ? message.entity_type.toLowerCase() : 'discussion';
    return { budget: 'messageWrites', key: `${kind}:${String(message?.entity_id)}` };
  }
  if (operationId === 'updateMessage' || operationId === 'deleteMessage') return { budget: 'messageWrites', key: 'edits' };
  if (operationId === 'listWebhookEvents') return { budget: 'webhookEvents', key: 'token' };
  return { budget: entry.method === 'GET' ? 'reads' : 'other', key: 'token' };
}
