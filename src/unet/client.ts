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
  type AddMessageInput,
  type AddMessageResult,
} from '../../generated/unet.js';
import { sendExactlyOnce, type ExactlyOnceCallOptions, type Recovered } from '../core/delivery/exactly-once.js';
import { SentMemory } from '../core/delivery/sent-memory.js';
import { unetUnclearSend } from './exactly-once.js';
import { createApiClient } from '../core/client/client.js';
import { afterSuccess } from '../core/client/api-promise.js';
import { checkScopes, type AccessReport } from '../core/client/access.js';
import { pickOperations } from '../core/client/spec.js';
import type { ApiPromise, RawClient } from '../core/client/types.js';
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

/** The helpers: the token set in use, and the exactly-once send. */
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
  /**
   * `addMessage`, posting the message exactly once when the server commits it within the settle time. A send that fails
   * after its request may have reached the server (or with a 5xx) is not left to the caller's guess: the client waits
   * `settleMs`, then reads the chat's messages in the period since the send began for one from the token's user with
   * the same text. Found: it resolves to that message with `recovered: true`. Certainly absent: it sends once more.
   * Undecidable: it throws the original error, whose `undecided` says why. A send that succeeds costs no extra request.
   * See the README's "Unclear sends".
   */
  sendExactlyOnce(input: AddMessageInput, options?: ExactlyOnceCallOptions): ApiPromise<Recovered<AddMessageResult>>;
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

/** The user a resource URI belongs to: its host starts with the user's id (`https://3801130518.unet.com/api/`). */
function userOfResourceUri(resourceUri: string): string | undefined {
  const host = new URL(resourceUri).hostname;
  // An IP address (a test server's) starts with digits too, and names no user.
  return /^[\d.]+$/.test(host) || host.includes(':') ? undefined : /^(\d+)\./.exec(host)?.[1];
}

/** Creates a uNet messages client. */
export function createUnetClient(options: UnetClientOptions = {}): UnetClient {
  const { config, tokens } = unetConfig(options);
  const core = createApiClient({ ...config, spec: unetSpec });
  const api = core.operations;
  // Every message this client posts is remembered, so that looking for an unclear send never takes one of them.
  const memory = new SentMemory();
  const addMessage: UnetOperations['addMessage'] = (input, callOptions) =>
    // A missing `q` leaves nothing to remember.
    afterSuccess(api.addMessage(input, callOptions), (result) => memory.remember((input as Partial<typeof input> | undefined)?.q?.chat_id, result.id));
  const lookup = {
    api: { addMessage, listMessages: api.listMessages },
    memory,
    user: () => {
      const current = tokens();
      return current.userId ?? userOfResourceUri(current.resourceUri);
    },
  };

  return {
    ...pickOperations(core.operations, operationsByTag.Messages),
    addMessage,
    ...core.iterators,
    tokens,
    async checkAccess(operationIds) {
      const scope = tokens().scope;
      const granted = scope !== undefined && scope.length > 0 ? scope : undefined;
      return checkScopes(unetSpec.operations, operationIds ?? [...operationsByTag.Messages], granted, granted ? [] : [UNKNOWN_SCOPES_NOTE]);
    },
    sendExactlyOnce: (input, callOptions) => sendExactlyOnce(unetUnclearSend(lookup, input), callOptions, core.delivery, 'addMessage'),
    raw: core.raw,
  };
}
