/**
 * OK's ids as its spec states them (`ChatId`, `UserId`, `MessageId`: a string and its pattern), checked by their
 * generated checks, so a helper refuses a malformed id before anything is built with the field's name and the kind
 * of id it must be. Like every refusal, it gives the pattern the id fails, never the id.
 */
import { checkChatId, checkMessageId, checkUserId } from '../../generated/ok.js';
import { checkValue, type FieldCheck } from '../core/checks/check.js';
import { RequestValidationError } from '../core/errors/errors.js';
import { describeType } from '../core/errors/shape.js';

/** The value when the check takes it; otherwise a `RequestValidationError` naming the field and the kind of id. */
function requireId(check: FieldCheck, kind: string, value: unknown, field: string): string {
  const refusal = checkValue(check, value, [field]);
  if (refusal === undefined) return value as string;
  throw new RequestValidationError(field, refusal.rule === 'type' ? `must be ${kind}, not ${describeType(value)}` : `is not ${kind}; it ${refusal.problem}`);
}

/** A chat id (`chat:<id>`) as the spec's `ChatId` states it. */
export function requireChatId(value: unknown, field: string): string {
  return requireId(checkChatId, 'a chat id of the form chat:<id>', value, field);
}

/** A user id (`user:<id>` or the bare id) as the spec's `UserId` states it. */
export function requireUserId(value: unknown, field: string): string {
  return requireId(checkUserId, 'a user id (user:<id> or the bare id)', value, field);
}

/** A message id (`mid:<id>`) as the spec's `MessageId` states it. */
export function requireMessageId(value: unknown, field: string): string {
  return requireId(checkMessageId, 'a message id of the form mid:<id>', value, field);
}
