/**
 * Pachca's two error bodies: `ApiError` (a list of field problems, with a code each) and `OAuthError` (a token
 * problem). A 403 may carry either.
 */
import type { components } from '../../generated/pachca.js';
import type { HttpError } from '../core/errors/errors.js';

/** The body of a refused request: one entry per problem. */
export type PachcaApiError = components['schemas']['ApiError'];
/** The body of a token problem (401, or 403 for a missing scope). */
export type PachcaOAuthError = components['schemas']['OAuthError'];
/** Any Pachca error body. */
export type PachcaErrorBody = PachcaApiError | PachcaOAuthError;
/** An HTTP error from a Pachca client; narrow `body` with {@link isPachcaApiError}. */
export type PachcaHttpError = HttpError<PachcaErrorBody | string | undefined>;

/** Tells an `ApiError` body from the others. */
export function isPachcaApiError(body: unknown): body is PachcaApiError {
  return typeof body === 'object' && body !== null && Array.isArray((body as { errors?: unknown }).errors);
}

/** Tells an `OAuthError` body from the others. */
export function isPachcaOAuthError(body: unknown): body is PachcaOAuthError {
  return typeof body === 'object' && body !== null && typeof (body as { error?: unknown }).error === 'string';
}

/** `key: message (code)`, from the parts an entry has: a server may leave any of them out. */
function describeEntry(entry: unknown): string | undefined {
  const { key, message, code } = (entry ?? {}) as { key?: unknown; message?: unknown; code?: unknown };
  const text = (value: unknown) => (typeof value === 'string' && value !== '' ? value : undefined);
  const head = [text(key), text(message)].filter((part) => part !== undefined).join(': ');
  const tail = text(code) === undefined ? '' : `(${String(code)})`;
  return [head, tail].filter(Boolean).join(' ') || undefined;
}

/** A one-line summary of a Pachca error body for error messages, naming only what the body holds. */
export function describePachcaError(body: unknown): string | undefined {
  if (isPachcaApiError(body)) {
    return body.errors.map(describeEntry).filter((line) => line !== undefined).join('; ') || undefined;
  }
  if (isPachcaOAuthError(body)) {
    const description = (body as { error_description?: unknown }).error_description;
    return typeof description === 'string' && description !== '' ? `${body.error}: ${description}` : body.error;
  }
  return undefined;
}

/**
 * What a Pachca 403 for a missing scope adds to the scope the operation needs: since August 2026 Pachca checks a
 * token's scopes against its owner's current role on every request, so the refusal can come for a token that
 * holds the scope.
 */
export function pachcaPermissionHint(body: unknown): string | undefined {
  if (!isPachcaOAuthError(body) || body.error !== 'insufficient_scope') return undefined;
  return (
    "Pachca checks a token's scopes against its owner's current role on every request, so this refusal can come " +
    "for a token that holds the scope: check the owner's role as well as the token's scopes (checkAccess lists them)"
  );
}
