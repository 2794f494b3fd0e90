/**
 * How a client authenticates. Each API supplies one `Credentials` object; the transport applies it only to
 * requests bound for the client's own base URL and for operations whose spec requires security, so a token
 * never travels to a third-party host such as a file storage upload URL.
 */
import type { Redactor } from './redact.js';
import type { OutgoingRequest as FullRequest } from './request.js';

/** The part of a request a credential may change: query credentials go into `url`, others into `headers`. */
export type OutgoingRequest = Pick<FullRequest, 'url' | 'headers'>;

/** An API's way of authenticating requests. */
export interface Credentials {
  /** Adds the current credential to a request. */
  apply(request: OutgoingRequest): void;
  /**
   * Called when a request that carried a credential got a 401. Resolves to `true` when a fresh credential is
   * ready and the request should be replayed once; `false` lets the 401 surface. `rejected` is the request as it
   * was sent, so an implementation can tell whether the credential has changed since.
   */
  renew?(rejected: OutgoingRequest): Promise<boolean>;
}

/** A static `Authorization: Bearer <token>` credential. The token is registered with the redactor. */
export function bearerToken(token: string, redactor: Redactor): Credentials {
  redactor.addSecret(token);
  const value = `Bearer ${token}`;
  return {
    apply(request) {
      request.headers.set('authorization', value);
    },
  };
}

/** A static credential sent as a query parameter, such as OK's `access_token`. */
export function queryToken(parameter: string, token: string, redactor: Redactor): Credentials {
  redactor.addSecret(token);
  const pair = `${encodeURIComponent(parameter)}=${encodeURIComponent(token)}`;
  return {
    apply(request) {
      request.url += (request.url.includes('?') ? '&' : '?') + pair;
    },
  };
}

/** What a renewable bearer credential needs from its owner. */
export interface RenewableToken {
  /** The access token to send now. */
  current(): string;
  /** Whether a renewal is possible at all (e.g. a refresh token is at hand). */
  canRenew(): boolean;
  /** Obtains a new access token and makes `current()` return it; rejects when that fails. */
  renew(): Promise<void>;
}

/**
 * A bearer token that is renewed after a 401. Requests that fail together share one renewal: the first starts
 * it, the others wait for it, and a request that was sent with a token already replaced is simply replayed.
 */
export function renewableBearerToken(token: RenewableToken): Credentials {
  let renewal: Promise<void> | undefined;
  return {
    apply(request) {
      request.headers.set('authorization', `Bearer ${token.current()}`);
    },
    async renew(rejected) {
      if (rejected.headers.get('authorization') !== `Bearer ${token.current()}`) return true;
      if (!token.canRenew()) return false;
      renewal ??= token.renew().finally(() => {
        renewal = undefined;
      });
      await renewal;
      return true;
    },
  };
}
