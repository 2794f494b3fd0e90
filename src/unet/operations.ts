/**
 * `messaging-api-clients/unet/operations`: every uNet operation as a standalone function of a core object, for
 * programs that call a few operations and want to ship only those:
 *
 * ```ts
 * const core = createUnetCore({ accessToken, resourceUri });
 * await addMessage(core, { q: { chat_id, message: 'Hello' } });
 * ```
 *
 * `createUnetClient` is the messages operations bound to one core, plus the iterator and helpers; the
 * Authorization operations belong to `createUnetAuth`.
 */
export * from '../../generated/unet-operations.js';
export { createUnetCore, type UnetClientOptions } from './core.js';
export type { ApiCore } from '../core/client/client.js';
