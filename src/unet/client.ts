/**
 * The uNet messages client. Its base URL is the token set's `resource_uri`; a 401 with a refresh token at hand
 * triggers one refresh (shared by every request that failed meanwhile) and one replay, and `onTokens` hears of
 * every new token set so the caller can persist it.
 */
import {
  operationsByTag,
  unetSpec,
  type components,
  type paths,
  type UnetIterators,
  type UnetOperations,
} from '../../generated/unet.js';
import { createApiClient } from '../core/client/client.js';
import { pickOperations } from '../core/client/spec.js';
import type { RawClient } from '../core/client/types.js';
import type { UnetTokenInput } from './tokens.js';
import { unetConfig, type UnetClientOptions } from './core.js';

type Schemas = components['schemas'];
/** A message. */
export type UnetMessage = Schemas['MessagesItemResponse'];
/** A conversation. */
export type UnetChat = Schemas['MessagesChatsItemResponse'];
/** The parameters of the message list. */
export type UnetMessagesListRequest = Schemas['MessagesListRequest'];

export type { UnetClientOptions, UnetCredentialsOption } from './core.js';
export { UNET_ENVIRONMENT } from './core.js';

/** The helpers: the token set in use. */
export interface UnetHelpers {
  /** The token set in use now (it changes after a refresh). */
  tokens(): UnetTokenInput;
}

/** The operations of the spec's Messages tag; the Authorization ones belong to `createUnetAuth`. */
export type UnetMessagesOperations = Pick<UnetOperations, (typeof operationsByTag)['Messages'][number]>;

/** A uNet client: typed methods per operation of the Messages tag, the iterators, the helpers, and the raw style. */
export type UnetClient = UnetMessagesOperations &
  UnetIterators &
  UnetHelpers & {
    /** The same operations in openapi-fetch's `{ data, error, response }` style. */
    readonly raw: RawClient<paths>;
  };

/** Creates a uNet messages client. */
export function createUnetClient(options: UnetClientOptions = {}): UnetClient {
  const { config, tokens } = unetConfig(options);
  const core = createApiClient({ ...config, spec: unetSpec });

  return {
    ...pickOperations(core.operations, operationsByTag.Messages),
    ...core.iterators,
    tokens,
    raw: core.raw,
  };
}
