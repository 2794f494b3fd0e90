/**
 * What makes a uNet messages core besides the spec: the base URL is the token set's `resource_uri`; a 401 with a
 * refresh token at hand triggers one refresh and one replay; the optional per-chat budgets; the checks of answers
 * the helpers rely on. The full client (`createUnetClient`) and the standalone operations (`/unet/operations`)
 * share it.
 */
import { credentialLocations, type UnetOperations } from '../../generated/unet.js';
import { checkClientOptions, createCore, type ApiCore, type CoreConfig } from '../core/client/client.js';
import { optionalFunction, optionalMethods, requireObject } from '../core/request/arguments.js';
import type { CommonClientOptions } from '../core/client/types.js';
import { renewableBearerToken, requireSecret, secretOrEnvironment } from '../core/exchange/credentials.js';
import { Redactor } from '../core/errors/redact.js';
import { expectFields } from '../core/errors/shape.js';
import { classifyBySendChat, NO_BUDGETS, type UserBudget } from '../core/limits/rate-budgets.js';
import type { ThrottleOptions } from '../core/limits/throttle.js';
import { describeOAuthError, type UnetAuth } from './auth.js';
import type { UnetTokenInput, UnetTokenSet } from './tokens.js';

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

/** The uNet-specific part of a core's configuration, and the token set in use (it changes after a refresh). */
export function unetConfig(options: UnetClientOptions = {}): { readonly config: Omit<CoreConfig<UnetOperations>, 'credentialLocations'>; readonly tokens: () => UnetTokenInput } {
  checkClientOptions(options, ['tokens', 'accessToken', 'resourceUri', 'auth', 'onTokens', 'throttle']);
  const { tokens, accessToken, resourceUri, auth, onTokens, ...common } = options;
  if (tokens !== undefined) requireObject(tokens, 'tokens');
  optionalFunction(onTokens, 'onTokens');
  optionalMethods(auth, 'auth', ['refresh']);
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
  const config: Omit<CoreConfig<UnetOperations>, 'credentialLocations'> = {
    ...common,
    api: 'unet',
    defaultBaseUrl: current.resourceUri,
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
  };
  return { config, tokens: () => current };
}

/**
 * Creates the core object the standalone operations of `messaging-api-clients/unet/operations` are called with:
 * `await addMessage(core, { q })`. It takes the options of `createUnetClient`.
 */
export function createUnetCore(options: UnetClientOptions = {}): ApiCore {
  return createCore({ ...unetConfig(options).config, credentialLocations });
}
