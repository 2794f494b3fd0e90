/**
 * The budgets of APIs whose documents give no rate limits (OK, uNet): none by default, so the throttle holds
 * nothing back until the user sets them. Sends are counted per chat, everything else per token.
 */
import type { OperationEntry } from '../client/operation.js';
import type { RequestInput } from '../request/request.js';
import type { ThrottleSlot } from './throttle.js';
import type { RateWindow } from './throttle-store.js';

/** The budget names of an API without documented limits. */
export type UserBudget = 'sends' | 'other';

/** No budget: set `throttle.budgets.sends` (per chat) and `throttle.budgets.other` (per token) yourself. */
export const NO_BUDGETS: Readonly<Record<UserBudget, readonly RateWindow[]>> = { sends: [], other: [] };

/** Classifies a request: a send to a known chat by that chat, other sends together, the rest per token. */
export function classifyBySendChat(sends: ReadonlySet<string>, chatOf: (input: RequestInput) => unknown) {
  return (operationId: string | undefined, _entry: OperationEntry, input: RequestInput): ThrottleSlot => {
    if (operationId === undefined || !sends.has(operationId)) return { budget: 'other', key: 'token' };
    const chat = chatOf(input);
    return { budget: 'sends', key: chat === undefined ? 'unknown-chat' : `chat:${String(chat)}` };
  };
}
