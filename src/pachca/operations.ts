/**
 * `messaging-api-clients/pachca/operations`: every Pachca operation as a standalone function of a core object, for
 * programs that call a few operations and want to ship only those:
 *
 * ```ts
 * const core = createPachcaCore({ token });
 * await createMessage(core, { body: { message: { entity_id: 198, content: 'Hello' } } });
 * ```
 *
 * `createPachcaClient` is the same operations bound to one core, plus the iterators and helpers.
 */
export * from '../../generated/pachca-operations.js';
export { createPachcaCore, PACHCA_BASE_URL, type PachcaClientOptions } from './core.js';
export type { ApiCore } from '../core/client/client.js';
