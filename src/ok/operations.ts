/**
 * `messaging-api-clients/ok/operations`: every OK operation as a standalone function of a core object, for programs
 * that call a few operations and want to ship only those:
 *
 * ```ts
 * const core = createOkCore({ accessToken });
 * await sendMessage(core, { chat_id, body: sendText(chat_id, 'Hello') });
 * ```
 *
 * `createOkClient` is the same operations bound to one core, plus the iterators and helpers.
 */
export * from '../../generated/ok-operations.js';
export { createOkCore, OK_BASE_URL, type OkClientOptions } from './core.js';
export type { ApiCore } from '../core/client/client.js';
