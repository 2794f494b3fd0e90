/**
 * How a client authenticates. Each API supplies one `Credentials` object; the client applies it only to requests
 * bound for its own base URL (compared on the parsed URL) and for operations whose spec requires security, so a
 * token never travels to a third-party host such as a file storage upload URL.
 */
import { untilAborted } from './abortable.js';
import { RequestValidationError } from '../errors/errors.js';
import type { Redactor } from '../errors/redact.js';
import type { OutgoingRequest as FullRequest } from '../request/request.js';

/** The part of a request a credential may change: query credentials go into `url`, others into `headers`. */
export type OutgoingRequest = Pick<FullRequest, 'url' | 'headers'>;

/** An API's way of authenticating requests. */
export interface Credentials {
  /** Adds the current credential to a request. */
  apply(request: OutgoingRequest): void;
  /**
   * Called when a request that carried a credential got a 401. Resolves to `true` when a fresh credential is
   * ready and the request should be replayed once; `false` lets the 401 surface. `rejected` is the request as it
   * was sent, so an implementation can tell whether the credential has changed since. `signal` is the call's:
   * when it fires, the call stops waiting (a renewal shared with other calls may still finish for them).
   */
  renew?(rejected: OutgoingRequest, signal: AbortSignal | undefined): Promise<boolean>;
}

/** Checks a credential given by the caller: a non-empty string, or the client refuses to start. */
export function requireSecret(value: unknown, field: string): string {
  if (typeof value !== 'string' || value === '') throw new RequestValidationError(field, 'must be a non-empty string');
  if (/[\r\n\0]/.test(value)) throw new RequestValidationError(field, 'must not contain line breaks');
  return value;
}

/**
 * A credential option, or else the environment variable that stands for it where the runtime has
 * `process.env` (Node, Bun, Deno with env access). Missing from both, the client refuses to start, naming both.
 */
export function secretOrEnvironment(value: string | undefined, field: string, variable: string): string {
  if (value !== undefined) return value;
  const environment = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env;
  if (environment === undefined) {
    throw new RequestValidationError(field, `is required: this runtime has no process.env to read ${variable} from`);
  }
  const fromEnvironment = environment[variable];
  if (fromEnvironment === undefined || fromEnvironment === '') {
    throw new RequestValidationError(field, `is required: pass { ${field} } or set the environment variable ${variable}`);
  }
  return fromEnvironment;
}

/** A static `Authorization: Bearer <token>` credential. The token is registered with the redactor. */
export function bearerToken(token: string, redactor: Redactor, field = 'token'): Credentials {
  const value = `Bearer ${requireSecret(token, field)}`;
  redactor.addSecret(token);
  return {
    apply(request) {
      request.headers.authorization = value;
    },
  };
}

/** A static credential sent as a query parameter, such as OK's `access_token`. */
export function queryToken(parameter: string, token: string, redactor: Redactor, field = 'accessToken'): Credentials {
  const pair = `${encodeURIComponent(parameter)}=${encodeURIComponent(requireSecret(token, field))}`;
  redactor.addSecret(token);
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
 * Each waiter stops waiting when its own signal fires; the renewal goes on for the others.
 */
export function renewableBearerToken(token: RenewableToken): Credentials {
  let renewal: Promise<void> | undefined;
  /** The last failed renewal and the token it tried to replace: calls rejected with that token share its error. */
  let failed: { readonly token: string; readonly error: unknown } | undefined;
  return {
    apply(request) {
      request.headers.authorization = `Bearer ${token.current()}`;
    },
    async renew(rejected, signal) {
      const current = token.current();
      if (rejected.headers.authorization !== `Bearer ${current}`) return true;
      if (!token.canRenew()) return false;
      // Without this, every call whose 401 arrives just after a failed renewal would start one more.
      if (failed?.token === current) throw failed.error;
      renewal ??= token.renew().then(
        () => {
          renewal = undefined;
          failed = undefined;
        },
        (error: unknown) => {
          renewal = undefined;
          failed = { token: current, error };
          throw error;
        },
      );
      // A waiter that gives up must not leave the shared renewal's rejection unhandled.
      renewal.catch(() => undefined);
      await untilAborted(renewal, signal);
      return true;
    },
  };
}
