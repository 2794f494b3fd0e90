/**
 * OK's error body and the error thrown for it. The API may answer an error with HTTP 200, so a body carrying
 * `error_code` is an error whatever the status; under a 2xx status it becomes an {@link OkApiError}.
 */
import type { components } from '../../generated/ok.js';
import { ClientError, createHttpError, HttpError, type HttpErrorInit } from '../core/errors/errors.js';

/** OK's error body: `{ error_code, error_msg, error_data }`. */
export type OkErrorBody = components['schemas']['OkError'];

/** Tells an OK error body from a result. */
export function isOkErrorBody(body: unknown): body is OkErrorBody {
  return typeof body === 'object' && body !== null && typeof (body as { error_code?: unknown }).error_code === 'number';
}

/** A one-line summary of an OK error body for error messages, naming only what the body holds. */
export function describeOkError(body: unknown): string | undefined {
  if (!isOkErrorBody(body)) return undefined;
  const message = (body as { error_msg?: unknown }).error_msg;
  return typeof message === 'string' && message !== '' ? `error_code ${body.error_code}: ${message}` : `error_code ${body.error_code}`;
}

/** The error's name, the part of `error_msg` before ` : ` (e.g. `PARAM_SESSION_EXPIRED`). */
function errorName(message: unknown): string | undefined {
  if (typeof message !== 'string') return undefined;
  const separator = message.indexOf(' : ');
  const name = separator === -1 ? message : message.slice(0, separator);
  return /^[A-Z0-9_.]+$/.test(name) ? name : undefined;
}

/** What every error built from an OK error body carries, whatever the HTTP status it came with. */
export interface OkErrorFields {
  /** The numeric code, e.g. `102`. */
  readonly errorCode: number;
  /** The error's name from `error_msg`, e.g. `PARAM_SESSION_EXPIRED`, when it has one. */
  readonly errorName: string | undefined;
  /** `error_data`, whose shape depends on the error. */
  readonly errorData: unknown;
}

function okErrorFields(body: OkErrorBody): OkErrorFields {
  return { errorCode: body.error_code, errorName: errorName(body.error_msg), errorData: body.error_data };
}

/** An OK error body that arrived under a success status (usually 200). */
export class OkApiError extends HttpError<OkErrorBody> implements OkErrorFields {
  override name = 'OkApiError';
  readonly errorCode: number;
  readonly errorName: string | undefined;
  readonly errorData: unknown;

  constructor(init: HttpErrorInit<OkErrorBody>) {
    super(init);
    const fields = okErrorFields(init.body);
    this.errorCode = fields.errorCode;
    this.errorName = fields.errorName;
    this.errorData = fields.errorData;
  }
}

/**
 * Tells whether an error was built from an OK error body, under any status: an {@link OkApiError} (under 2xx)
 * or a status-typed error (`BadRequestError`, `RateLimitError`, …) carrying the same `errorCode`, `errorName` and
 * `errorData`.
 */
export function isOkError(error: unknown): error is HttpError<OkErrorBody> & OkErrorFields {
  return error instanceof HttpError && typeof (error as { errorCode?: unknown }).errorCode === 'number' && isOkErrorBody(error.body);
}

/**
 * Builds an {@link OkApiError} for an error under a success status, the status-based error otherwise; either
 * carries `errorCode`, `errorName` and `errorData` when the body is an OK error body.
 */
export function createOkError(init: HttpErrorInit<unknown> & { readonly retryAfterMs?: number | undefined }): HttpError {
  if (!isOkErrorBody(init.body)) return createHttpError(init);
  if (init.status < 400) return new OkApiError({ ...init, body: init.body });
  return Object.assign(createHttpError(init), okErrorFields(init.body));
}

/** An upload finished without the attachment token that sending it needs. */
export class OkUploadError extends ClientError {
  override name = 'OkUploadError';
  /** The kind of upload. */
  readonly type: string;

  constructor(type: string) {
    super(`The ${type} upload returned no attachment token, so there is nothing to send`);
    this.type = type;
  }
}
