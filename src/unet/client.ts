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
  type paths,
  type UnetOperations,
} from '../../generated/unet.js';
import { createApiClient } from '../core/client/client.js';
import { renewableBearerToken, requireSecret, secretOrEnvironment } from '../core/exchange/credentials.js';
import { paginate } from '../core/pagination/paginate.js';
import { Redactor } from '../core/errors/redact.js';
import { expectFields } from '../core/errors/shape.js';
import type { CallOptions, CommonClientOptions, RawClient } from '../core/client/types.js';
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

/**
 * Where the tokens come from: a full token set, an access token and its resource URI, or neither, and then the
 * environment variables `UNET_ACCESS_TOKEN` and `UNET_RESOURCE_URI` (where `process.env` exists).
 */
export type UnetCredentialsOption =
  | { readonly tokens: UnetTokenInput; readonly accessToken?: never; readonly resourceUri?: never }
  | { readonly accessToken: string; readonly resourceUri: string; readonly tokens?: never }
  | { readonly tokens?: never; readonly accessToken?: never; readonly resourceUri?: never };

/** The environment variables a uNet client reads when it is given no tokens. */
export const UNET_ENVIRONMENT = { accessToken: 'UNET_ACCESS_TOKEN', resourceUri: 'UNET_RESOURCE_URI' } as const;

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
  iterateMessages(input: IterateMessagesInput, options?: CallOptions): AsyncGenerator<UnetMessage, void, undefined>;
  /** The token set in use now (it changes after a refresh). */
  tokens(): UnetTokenInput;
}

/** The messages operations of the spec (the OAuth ones belong to `createUnetAuth`). */
type MessageOperationIds = 'listMessages' | 'listChats' | 'addMessage' | 'getMessage' | 'editMessage' | 'deleteMessage';

/** A uNet client: typed methods per operationId, the helpers, and the raw style. */
export type UnetClient = Pick<UnetOperations, MessageOperationIds> &
  UnetHelpers & {
    /** The same operations in openapi-fetch's `{ data, error, response }` style. */
    readonly raw: RawClient<paths>;
  };

/**
 * Creates a uNet messages client; given no tokens, it reads `UNET_ACCESS_TOKEN` and `UNET_RESOURCE_URI` from the
 * environment.
 */
export function createUnetClient(options: UnetClientOptions = {}): UnetClient {
  const { tokens, accessToken, resourceUri, auth, onTokens, ...common } = options;
  let current: UnetTokenInput =
    tokens ??
    (accessToken === undefined && resourceUri === undefined
      ? {
          accessToken: secretOrEnvironment(undefined, 'accessToken', UNET_ENVIRONMENT.accessToken),
          resourceUri: secretOrEnvironment(undefined, 'resourceUri', UNET_ENVIRONMENT.resourceUri),
        }
      : { accessToken: accessToken as string, resourceUri: resourceUri as string });
  requireSecret(current?.accessToken, 'accessToken');
  requireSecret(current.resourceUri, 'resourceUri');
  const core = createApiClient({
    ...common,
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
    raw: core.raw as unknown as RawClient<paths>,
  };
}
