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
import { checkScopes, type AccessReport } from '../core/client/access.js';
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

/** The helpers: the token set in use. */
export interface UnetHelpers {
  /** The token set in use now (it changes after a refresh). */
  tokens(): UnetTokenInput;
  /**
   * Checks before going live that the token may call the operations you use: for each, the scope the spec says
   * it needs and whether the token set's granted scopes (`scope`, from the token endpoint) hold it. uNet has no
   * documented way to ask a token's scopes, so when the client was given a bare access token (or a token set
   * without `scope`) every answer is "unknown" and the report says why. `describeAccess(report)` prints it.
   *
   * @param operationIds - the operations to check
   * @default every operation of the client
   */
  checkAccess(operationIds?: readonly MessageOperationId[]): Promise<AccessReport<MessageOperationId>>;
}

/** The operations of the messages client (the OAuth ones belong to `createUnetAuth`). */
type MessageOperationId = (typeof operationsByTag)['Messages'][number];

const UNKNOWN_SCOPES_NOTE =
  'the client holds no granted scopes (give it the whole token set from the token endpoint, whose scope field lists ' +
  'them); uNet documents no way to ask a token for its scopes';

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
export function createUnetClient(options: UnetClientOptions): UnetClient {
  const { config, tokens } = unetConfig(options);
  const core = createApiClient({ ...config, spec: unetSpec });

  return {
    ...pickOperations(core.operations, operationsByTag.Messages),
    ...core.iterators,
    tokens,
    async checkAccess(operationIds) {
      const scope = tokens().scope;
      const granted = scope !== undefined && scope.length > 0 ? scope : undefined;
      return checkScopes(unetSpec.operations, operationIds ?? [...operationsByTag.Messages], granted, granted ? [] : [UNKNOWN_SCOPES_NOTE]);
    },
    raw: core.raw,
  };
}
