/**
 * The uNet messages client. Its base URL is the token set's `resource_uri`; a 401 with a refresh token at hand
 * triggers one refresh (shared by every request that failed meanwhile) and one replay, and `onTokens` hears of
 * every new token set so the caller can persist it.
 */
import {
  credentialLocations,
  operationsByTag,
  unetSpec,
  type components,
  type paths,
  type UnetIterators,
  type UnetOperations,
} from '../../generated/unet.js';
import { createApiClient } from '../core/client/client.js';
import { pickOperations } from '../core/client/spec.js';
import { renewableBearerToken, requireSecret } from '../core/exchange/credentials.js';
import { Redactor } from '../core/errors/redact.js';
import { expectFields } from '../core/errors/shape.js';
import type { CommonClientOptions, RawClient } from '../core/client/types.js';
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
export function createUnetClient(options: UnetClientOptions): UnetClient {
  const { tokens, accessToken, resourceUri, auth, onTokens, ...common } = options;
  let current: UnetTokenInput = tokens ?? { accessToken: accessToken as string, resourceUri: resourceUri as string };
  requireSecret(current?.accessToken, 'accessToken');
  requireSecret(current.resourceUri, 'resourceUri');
  const core = createApiClient({
    ...common,
    defaultBaseUrl: current.resourceUri,
    spec: unetSpec,
    // Sharing the OAuth client's redactor covers the client secret and every token it has handed out.
    redactor: auth?.redactor ?? new Redactor(credentialLocations),
    secrets: [current.accessToken, current.refreshToken],
    errors: { describe: describeOAuthError },
    rateLimits: {
      budgets: NO_BUDGETS,
      classify: classifyBySendChat(new Set(['addMessage', 'editMessage', 'deleteMessage']), (input) => (input.params?.query?.q as { chat_id?: unknown } | undefined)?.chat_id),
    },
    checks: { listChats: expectFields({ items: 'array' }) },
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

  return {
    ...pickOperations(core.operations, operationsByTag.Messages),
    ...core.iterators,
    tokens: () => current,
    raw: core.raw,
  };
}
