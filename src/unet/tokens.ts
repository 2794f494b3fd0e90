/**
 * uNet's token sets. The token endpoint sends `expires_in` and `user_id` as strings in the document's example
 * (`"43200"`); the token set gives the lifetime as a number of seconds and as a date, whichever form arrives.
 */
import type { components } from '../../generated/unet.js';

/** The token endpoint's answer as it arrives. */
export type UnetTokenResponse = components['schemas']['TokenResponse'];

/** A token set, ready to use. */
export interface UnetTokenSet {
  /** The bearer token for API calls. */
  readonly accessToken: string;
  /** The token to renew `accessToken` with, when the server issued one. */
  readonly refreshToken: string | undefined;
  /** The base of every API URL for this user, e.g. `https://3801130518.unet.com/api/`. */
  readonly resourceUri: string;
  /** The user's id (a string, as the server sends it). */
  readonly userId: string | undefined;
  /** The granted scopes. */
  readonly scope: readonly string[];
  /** The token type, `bearer`. */
  readonly tokenType: string;
  /** The lifetime in seconds, from `"43200"` or `43200` alike; `undefined` when the server sent neither. */
  readonly expiresIn: number | undefined;
  /** When the access token expires, counted from when the answer arrived. */
  readonly expiresAt: Date | undefined;
  /** The root of the user's files, only with the `files_*` scopes. */
  readonly webdavUri: string | undefined;
}

/** What a client needs to start with: at least an access token and the resource URI. */
export type UnetTokenInput = Pick<UnetTokenSet, 'accessToken' | 'resourceUri'> & Partial<UnetTokenSet>;

/** Reads a lifetime sent as a number or as a string of digits. */
export function parseExpiresIn(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) && value >= 0 ? value : undefined;
  if (typeof value !== 'string' || !/^\s*\d+(\.\d+)?\s*$/.test(value)) return undefined;
  return Number(value.trim());
}

/**
 * Turns the token endpoint's answer into a token set.
 *
 * @param previousRefreshToken - kept when a refresh answer carries no new refresh token (RFC 6749, section 6)
 */
export function toTokenSet(response: UnetTokenResponse, receivedAt: number, previousRefreshToken?: string): UnetTokenSet {
  const expiresIn = parseExpiresIn(response.expires_in);
  // The auth client refuses an answer without these two before it gets here (see its `checks`).
  const { access_token: accessToken, resource_uri: resourceUri } = response as Required<Pick<UnetTokenResponse, 'access_token' | 'resource_uri'>>;
  return {
    accessToken,
    refreshToken: response.refresh_token ?? previousRefreshToken,
    resourceUri,
    userId: response.user_id,
    scope: response.scope ? response.scope.split(/\s+/).filter(Boolean) : [],
    // The document says it is always `bearer`; RFC 6749 requires it, the document does not.
    tokenType: response.token_type ?? 'bearer',
    expiresIn,
    expiresAt: expiresIn === undefined ? undefined : new Date(receivedAt + expiresIn * 1000),
    webdavUri: response.webdav_uri,
  };
}
