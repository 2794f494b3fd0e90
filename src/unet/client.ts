/**
 * The uNet messages client. Its base URL is the token set's `resource_uri`; a 401 with a refresh token at hand
 * triggers one refresh (shared by every request that failed meanwhile) and one replay, and `onTokens` hears of
 * every new token set so the caller can persist it.
 */
import {
  credentialLocations,
  operationTable,
  type components,
  type ListMessagesInput,
  type ListMessagesResult,
  type paths,
  type UnetOperations,
} from '../../generated/unet.js';
import { createApiClient } from '../core/client/client.js';
import { checkScopes, type AccessReport } from '../core/client/access.js';
import { renewableBearerToken, requireSecret } from '../core/exchange/credentials.js';
import { paginate } from '../core/pagination/paginate.js';
import { Redactor } from '../core/errors/redact.js';
import { expectFields } from '../core/errors/shape.js';
import type { CallOptions, CommonClientOptions, PageIterator, RawClient } from '../core/client/types.js';
import { describeOAuthError, type UnetAuth } from './auth.js';
import type { UnetTokenInput, UnetTokenSet } from './tokens.js';
import { classifyBySendChat, NO_BUDGETS, type UserBudget } from '../core/limits/rate-budgets.js';
import type { ThrottleOptions } from '../core/limits/throttle.js';

type Schemas = components['schemas'];
/** A message. */
export type UnetMessage = Schemas['MessagesItemResponse'];
/** A conversation. */
export type UnetChat = Schemas['MessagesChatsItemResponse'];
/** The parameters of the message list. */
export type UnetMessagesListRequest = Schemas['MessagesListRequest'];

/** Where the tokens come from: a full token set, or an access token and its resource URI. */
export type UnetCredentialsOption =
  | { readonly tokens: UnetTokenInput; readonly accessToken?: never; readonly resourceUri?: never }
  | { readonly accessToken: string; readonly resourceUri: string; readonly tokens?: never };

/** Options of {@link createUnetClient}. */
export type UnetClientOptions = UnetCredentialsOption &
  CommonClientOptions & {
    /**
     * Hold requests back within budgets you set (uNet documents none): `sends` per chat, `other` per token.
     * @default off
     */
    readonly throttle?: ThrottleOptions<UserBudget>;
    /**
     * The OAuth client used to refresh an expired access token. Without it (or without a refresh token) a 401
     * surfaces as an `AuthenticationError`.
     */
    readonly auth?: UnetAuth;
    /** Called with every new token set after a refresh, before the failed request is replayed; persist it here. */
    readonly onTokens?: (tokens: UnetTokenSet) => void | Promise<void>;
  };

/** What {@link UnetHelpers.iterateMessages} takes: the list parameters of `q`, without the cursor. */
export type IterateMessagesInput = Omit<NonNullable<ListMessagesInput['q']>, 'cursor'>;

/** The helpers: lazy iteration, and the token set in use. */
export interface UnetHelpers {
  /** Every message of a conversation, following `next_cursor` until it is empty. */
  iterateMessages(input: IterateMessagesInput, options?: CallOptions): PageIterator<UnetMessage, ListMessagesResult>;
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
  checkAccess(operationIds?: readonly MessageOperationIds[]): Promise<AccessReport<MessageOperationIds>>;
}

/** The messages operations of the spec (the OAuth ones belong to `createUnetAuth`). */
type MessageOperationIds = 'listMessages' | 'listChats' | 'addMessage' | 'getMessage' | 'editMessage' | 'deleteMessage';

/** A uNet client: typed methods per operationId, the helpers, and the raw style. */
export type UnetClient = Pick<UnetOperations, MessageOperationIds> &
  UnetHelpers & {
    /** The same operations in openapi-fetch's `{ data, error, response }` style. */
    readonly raw: RawClient<paths>;
  };

/** The rows of the operation table this client calls (the OAuth ones belong to `createUnetAuth`). */
const MESSAGE_OPERATIONS: Pick<typeof operationTable, MessageOperationIds> = {
  listMessages: operationTable.listMessages,
  listChats: operationTable.listChats,
  addMessage: operationTable.addMessage,
  getMessage: operationTable.getMessage,
  editMessage: operationTable.editMessage,
  deleteMessage: operationTable.deleteMessage,
};

const UNKNOWN_SCOPES_NOTE =
  'the client holds no granted scopes (give it the whole token set from the token endpoint, whose scope field lists ' +
  'them); uNet documents no way to ask a token for its scopes';

/** Creates a uNet messages client. */
export function createUnetClient(options: UnetClientOptions): UnetClient {
  const { tokens, accessToken, resourceUri, auth, onTokens, ...common } = options;
  let current: UnetTokenInput = tokens ?? { accessToken: accessToken as string, resourceUri: resourceUri as string };
  requireSecret(current?.accessToken, 'accessToken');
  requireSecret(current.resourceUri, 'resourceUri');
  const core = createApiClient({
    ...common,
    api: 'unet',
    defaultBaseUrl: current.resourceUri,
    operations: operationTable,
    credentialLocations,
    // Sharing the OAuth client's redactor covers the client secret and every token it has handed out.
    redactor: auth?.redactor ?? new Redactor(credentialLocations),
    secrets: [current.accessToken, current.refreshToken],
    errors: { describe: describeOAuthError },
    rateLimits: {
      budgets: NO_BUDGETS,
      classify: classifyBySendChat(new Set(['addMessage', 'editMessage', 'deleteMessage']), (input) => (input.params?.query?.q as { chat_id?: unknown } | undefined)?.chat_id),
    },
    checks: { listMessages: expectFields({ items: 'array' }), listChats: expectFields({ items: 'array' }) },
    authenticate: () =>
      renewableBearerToken({
        current: () => current.accessToken,
        canRenew: () => auth !== undefined && current.refreshToken !== undefined,
        async renew() {
          const renewed = await (auth as UnetAuth).refresh(current.refreshToken as string);
          current = renewed;
          await onTokens?.(renewed);
        },
      }),
  });
  const api = core.operations as unknown as UnetOperations;

  return {
    listMessages: api.listMessages,
    listChats: api.listChats,
    addMessage: api.addMessage,
    getMessage: api.getMessage,
    editMessage: api.editMessage,
    deleteMessage: api.deleteMessage,
    iterateMessages(input, callOptions) {
      return paginate({
        operationId: 'listMessages',
        fetchPage: (cursor: string | undefined) => api.listMessages({ q: cursor ? { ...input, cursor } : input }, callOptions),
        // `checks` has refused a page without items; the spec leaves them optional.
        items: (page) => page.items ?? [],
        nextCursor: (page) => page.next_cursor || undefined,
      });
    },
    tokens: () => current,
    async checkAccess(operationIds) {
      const granted = current.scope !== undefined && current.scope.length > 0 ? current.scope : undefined;
      const notes = granted ? [] : [UNKNOWN_SCOPES_NOTE];
      return checkScopes(MESSAGE_OPERATIONS, operationIds ?? (Object.keys(MESSAGE_OPERATIONS) as MessageOperationIds[]), granted, notes);
    },
    raw: core.raw as unknown as RawClient<paths>,
  };
}
