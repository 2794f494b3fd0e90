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

/** A one-line summary of an OK error body for error messages. */
export function describeOkError(body: unknown): string | undefined {
  return isOkErrorBody(body) ? `error_code ${body.error_code}: ${body.error_msg}` : undefined;
}

/** The error's name, the part of `error_msg` before ` : ` (e.g. `PARAM_SESSION_EXPIRED`). */
function errorName(message: string): string | undefined {
  const separator = message.indexOf(' : ');
  const name = separator === -1 ? message : message.slice(0, separator);
  return /^[A-Z0-9_.]+$/.test(name) ? name : undefined;
}

/** An OK error body that arrived under a success status (usually 200). */
export class OkApiError extends HttpError<OkErrorBody> {
  override name = 'OkApiError';
  /** The numeric code, e.g. `102`. */
  readonly errorCode: number;
  /** The error's name from `error_msg`, e.g. `PARAM_SESSION_EXPIRED`, when it has one. */
  readonly errorName: string | undefined;
  /** `error_data`, whose shape depends on the error. */
  readonly errorData: unknown;

  constructor(init: HttpErrorInit<OkErrorBody>) {
    super(init);
    this.errorCode = init.body.error_code;
    this.errorName = errorName(init.body.error_msg);
    this.errorData = init.body.error_data;
  }
}

/** Builds an {@link OkApiError} for an error under a success status, the status-based error otherwise. */
export function createOkError(init: HttpErrorInit<unknown> & { readonly retryAfterMs?: number | undefined }): HttpError {
  if (init.status < 400 && isOkErrorBody(init.body)) return new OkApiError({ ...init, body: init.body });
  return createHttpError(init);
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
