/**
 * uNet's OAuth 2.0 authorization code flow: the URL to send the user to, the code exchange, the refresh, and the
 * token properties. The client secret, codes and tokens are registered with the redactor as soon as they are
 * known, so none of them can appear in an error or a log line.
 */
import { operationTable, unetSpec, type components, type operations, type paths } from '../../generated/unet.js';
import { checkClientOptions, createApiClient } from '../core/client/client.js';
import { requireSecret } from '../core/exchange/credentials.js';
import { ClientError, HttpError, RequestValidationError, TokenRefreshError } from '../core/errors/errors.js';
import { encodePathSegment } from '../core/request/path.js';
import type { Redactor } from '../core/errors/redact.js';
import { describeType, expectFields } from '../core/errors/shape.js';
import { optionalObject, requireObject, requireString, requireStringList } from '../core/request/arguments.js';
import type { CallOptions, CommonClientOptions, RawClient } from '../core/client/types.js';
import { toTokenSet, type UnetTokenResponse, type UnetTokenSet } from './tokens.js';

/**
 * The default authorization server: the server the spec gives the OAuth paths (`specs/unet/paths/auth.yaml`,
 * `token.yaml` and `token-props.yaml`), read from the authorization page's operation.
 */
export const UNET_AUTH_URL = operationTable.authorize.server;

/** An OAuth error body (`invalid_grant`, `invalid_client`, …). */
export type UnetOAuthError = components['schemas']['OAuthError'];

/** Options of {@link createUnetAuth}. */
export interface UnetAuthOptions extends CommonClientOptions {
  /** The application's id. */
  readonly clientId: string;
  /** The application's secret; sent only in token requests' bodies and never printed. */
  readonly clientSecret: string;
  /** The redirect URI registered for the application. */
  readonly redirectUri: string;
}

/** What {@link UnetAuth.authorizeUrl} needs. */
export interface AuthorizeUrlOptions {
  /** The scopes to ask for, e.g. `['messages_read', 'messages_write']`. */
  readonly scope: string | readonly string[];
  /** An unguessable value to check in the redirect with {@link UnetAuth.codeFromRedirect} (CSRF protection). */
  readonly state: string;
}

/** The user refused access, or the authorization server reported an error in the redirect. */
export class AuthorizationDeniedError extends ClientError {
  override name = 'AuthorizationDeniedError';
  /** The OAuth error code from the redirect, e.g. `access_denied`. */
  readonly error: string;
  /** The server's explanation, when it gave one. */
  readonly errorDescription: string | undefined;

  constructor(error: string, errorDescription: string | undefined) {
    super(`Authorization was refused: ${error}${errorDescription ? ` (${errorDescription})` : ''}`);
    this.error = error;
    this.errorDescription = errorDescription;
  }
}

/** The OAuth side of uNet. */
export interface UnetAuth {
  /** The URL to send the user's browser to. */
  authorizeUrl(options: AuthorizeUrlOptions): string;
  /**
   * Reads the redirect the browser came back with: returns the authorization code, or throws
   * `AuthorizationDeniedError` when the user refused, or `RequestValidationError` (field `state`) when the state
   * does not match the one sent (a forged redirect).
   */
  codeFromRedirect(redirectUrl: string | URL, expectedState: string): string;
  /** Exchanges an authorization code for a token set. */
  exchangeCode(code: string, options?: CallOptions): Promise<UnetTokenSet>;
  /**
   * Gets a new token set with a refresh token, keeping the old refresh token when the server issues none.
   * A refusal throws `TokenRefreshError` (an `AuthenticationError`): the user must authorize again.
   */
  refresh(refreshToken: string, options?: CallOptions): Promise<UnetTokenSet>;
  /** The properties of an access token (not documented; returned as they come). */
  tokenProperties(accessToken: string, options?: CallOptions): Promise<Record<string, unknown>>;
  /** The OAuth operations in openapi-fetch's `{ data, error, response }` style. */
  readonly raw: RawClient<paths>;
  /** Registers a secret (a token) with this client's redactor. Used by `createUnetClient`. */
  readonly redactor: Redactor;
}

const tokenFields = expectFields({ access_token: 'string', resource_uri: 'string' });

/**
 * Checks a token answer before a token set is made of it: the messages client sends `access_token` in a header
 * and builds every URL on `resource_uri`, and keeps `refresh_token` for the next renewal. The answer's secrets
 * are already known to the redactor when this runs (the operation is a `secretAnswer`), so the error it leads
 * to cannot show them.
 */
export function checkTokenAnswer(data: unknown): string | undefined {
  const missing = tokenFields(data);
  if (missing) return missing;
  const answer = data as Record<string, unknown>;
  if (/[\r\n\0]/.test(answer.access_token as string)) return 'the body\'s access_token holds a line break';
  const textFields = ['refresh_token', 'token_type', 'scope', 'user_id', 'webdav_uri'] as const satisfies readonly (keyof UnetTokenResponse)[];
  for (const name of textFields) {
    const value = answer[name];
    if (value !== undefined && value !== null && typeof value !== 'string') return `the body's ${name} is ${describeType(value)}, not a string`;
  }
  if (typeof answer.refresh_token === 'string' && (answer.refresh_token === '' || /[\r\n\0]/.test(answer.refresh_token))) return 'the body\'s refresh_token is empty or holds a line break';
  try {
    const uri = new URL(answer.resource_uri as string);
    if (uri.protocol !== 'https:' && uri.protocol !== 'http:') throw new TypeError('not http(s)');
  } catch {
    return 'the body\'s resource_uri is not an absolute http(s) URL';
  }
  return undefined;
}

/** Creates the OAuth client of a uNet application. */
export function createUnetAuth(options: UnetAuthOptions): UnetAuth {
  checkClientOptions(options, ['clientId', 'clientSecret', 'redirectUri']);
  const { clientId, clientSecret, redirectUri, ...common } = options;
  requireSecret(clientSecret, 'clientSecret');
  requireString(clientId, 'clientId');
  requireString(redirectUri, 'redirectUri');
  const baseUrl = (common.baseUrl ?? UNET_AUTH_URL).replace(/\/+$/, '');
  const core = createApiClient({
    ...common,
    api: 'unet',
    defaultBaseUrl: UNET_AUTH_URL,
    spec: unetSpec,
    secrets: [clientSecret],
    errors: { describe: describeOAuthError },
    // The messages client dereferences both; a token answer without them is refused where it arrives.
    checks: { requestToken: checkTokenAnswer },
  });
  const { redactor } = core;
  const clock = common.retry?.clock;
  const now = (): number => (clock ? clock.now() : Date.now());

  async function requestToken(
    body: components['schemas']['TokenRequest'],
    call: CallOptions,
    previousRefreshToken?: string,
  ): Promise<UnetTokenSet> {
    optionalObject(call, 'options');
    // The core has registered the answer's tokens already (requestToken is a secretAnswer operation), before
    // `checkTokenAnswer` or anything else looked at it.
    const response = (await core.operations.requestToken({ body }, call)) as UnetTokenResponse;
    return toTokenSet(response, now(), previousRefreshToken);
  }

  return {
    authorizeUrl(input) {
      const { scope, state } = requireObject(input, 'input');
      const stateText = requireString(state, 'state');
      const scopes = typeof scope === 'string' ? requireString(scope, 'scope') : requireStringList(scope, 'scope').join(' ');
      // Typed by the spec's parameters of the authorization page, so a renamed one does not compile.
      const parameters: operations['authorize']['parameters']['query'] = {
        response_type: 'code',
        client_id: clientId,
        redirect_uri: redirectUri,
        scope: scopes,
        state: stateText,
      };
      const query = Object.entries(parameters)
        .map(([name, value]) => `${name}=${encodePathSegment(value ?? '')}`)
        .join('&');
      return `${baseUrl}${operationTable.authorize.path}?${query}`;
    },

    codeFromRedirect(redirectUrl, expectedState) {
      requireString(expectedState, 'expectedState');
      let query: URLSearchParams;
      try {
        if (typeof redirectUrl !== 'string' && !(redirectUrl instanceof URL)) throw new TypeError('not a URL');
        query = new URL(redirectUrl).searchParams;
      } catch {
        throw new RequestValidationError('redirectUrl', 'must be the absolute URL the browser came back with');
      }
      const error = query.get('error');
      if (error) throw new AuthorizationDeniedError(error, query.get('error_description') ?? undefined);
      if (query.get('state') !== expectedState) {
        throw new RequestValidationError('state', 'does not match the state sent with the authorization request');
      }
      const code = query.get('code');
      if (!code) throw new RequestValidationError('code', 'is missing from the redirect');
      redactor.addSecret(code);
      return code;
    },

    exchangeCode(code, call = {}) {
      redactor.addSecret(requireSecret(code, 'code'));
      return requestToken(
        { grant_type: 'authorization_code', client_id: clientId, client_secret: clientSecret, code, redirect_uri: redirectUri },
        call,
      );
    },

    async refresh(refreshToken, call = {}) {
      redactor.addSecret(requireSecret(refreshToken, 'refreshToken'));
      try {
        return await requestToken(
          { grant_type: 'refresh_token', client_id: clientId, client_secret: clientSecret, refresh_token: refreshToken },
          call,
          refreshToken,
        );
      } catch (error) {
        if (error instanceof HttpError && error.status < 500) {
          throw new TokenRefreshError({ ...error, detail: describeOAuthError(error.body) });
        }
        throw error;
      }
    },

    async tokenProperties(accessToken, call = {}) {
      redactor.addSecret(requireSecret(accessToken, 'accessToken'));
      optionalObject(call, 'options');
      const headers = new Headers(call.headers as HeadersInit | undefined);
      headers.set('authorization', `Bearer ${accessToken}`);
      return (await core.operations.getTokenProperties({}, { ...call, headers })) as Record<string, unknown>;
    },

    raw: core.raw,
    redactor,
  };
}

/** A one-line summary of an OAuth error body. */
export function describeOAuthError(body: unknown): string | undefined {
  const { error, error_description: description } = (body ?? {}) as Partial<UnetOAuthError>;
  if (typeof error !== 'string') return undefined;
  return typeof description === 'string' ? `${error}: ${description}` : error;
}
