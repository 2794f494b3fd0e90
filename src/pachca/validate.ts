/**
 * What Pachca's client checks before sending beyond the spec. Every single-field limit (lengths, counts, enums,
 * required fields) comes from `specs/pachca` through the generated checks (src/core/checks); this file holds:
 * - the rules no schema keyword can state: at most {@link BUTTON_LIMITS.total} buttons across all rows of a
 *   message (the reference's limit on inline buttons; each row's own limit of 8 is the spec's `maxItems`), and a
 *   file's `name` carrying the extension of its `key` (the API answers 422 `wrong_params` otherwise);
 * - how a refused button is reported: a `ButtonLayoutError` naming its row and column.
 */
import { checkValue, fieldPath, refusalError, type FieldCheck, type Refusal, type RefusalError } from '../core/checks/check.js';
import { RequestValidationError } from '../core/errors/errors.js';
import type { RequestInput } from '../core/request/request.js';
import { checkButton, checkButtonRows } from '../../generated/pachca.js';

const upper = (bounds: readonly [number | null, number | null] | undefined): number => bounds?.[1] ?? Number.POSITIVE_INFINITY;

/**
 * The limits of inline buttons: `perRow`, `textLength` and `dataLength` are read from the spec; `total`, across
 * rows, is the reference's rule that no schema keyword states.
 */
export const BUTTON_LIMITS = {
  total: 100,
  perRow: upper((checkButtonRows.items as FieldCheck).count),
  textLength: upper(checkButton.properties?.text?.length),
  dataLength: upper(checkButton.properties?.data?.length),
} as const;

/** A button that breaks a limit; `row` and `column` are zero-based, as in the `field` path. */
export class ButtonLayoutError extends RequestValidationError {
  override name = 'ButtonLayoutError';
  readonly row: number;
  readonly column: number | undefined;

  constructor(row: number, column: number | undefined, field: string, problem: string) {
    super(field, problem);
    this.row = row;
    this.column = column;
  }
}

/**
 * Pachca's refusals: one inside a message's buttons becomes a `ButtonLayoutError` with its row and column and
 * words about rows and buttons; any other is the core's `RequestValidationError`.
 */
export const pachcaRefusal: RefusalError = (refusal: Refusal) => buttonRefusal(refusal, refusal.path.indexOf('buttons'));

/** A refusal inside rows of buttons whose path segment is at `at` (`-1`: none), as a `ButtonLayoutError`. */
function buttonRefusal(refusal: Refusal, at: number): RequestValidationError {
  const row = refusal.path[at + 1];
  if (at === -1 || typeof row !== 'number') return refusalError(refusal);
  const column = refusal.path[at + 2];
  const rest = refusal.path.slice(at + 3);
  if (typeof column !== 'number') {
    // A row with too many buttons: the field names the first button past the limit.
    if (refusal.rule === 'count' && refusal.limit !== undefined && (refusal.actual ?? 0) > refusal.limit) {
      const problem = `row ${row + 1} has ${refusal.actual} buttons; at most ${refusal.limit} fit in a row`;
      return new ButtonLayoutError(row, refusal.limit, fieldPath([...refusal.path, refusal.limit]), problem);
    }
    return new ButtonLayoutError(row, undefined, fieldPath(refusal.path), `row ${row + 1} ${refusal.problem}`);
  }
  const where = `the button at row ${row + 1}, column ${column + 1}`;
  const field = fieldPath(refusal.path);
  if (rest[0] === 'text' && (refusal.rule === 'required' || (refusal.rule === 'length' && refusal.actual === 0))) {
    return new ButtonLayoutError(row, column, field, `${where} has no text`);
  }
  const problem = rest.length === 0 ? `${where} ${refusal.problem}` : `the ${rest.join('.')} of ${where} ${refusal.problem}`;
  return new ButtonLayoutError(row, column, field, problem);
}

/** Refuses more than {@link BUTTON_LIMITS.total} buttons across all rows, naming the first button past it. */
export function checkButtonTotal(rows: unknown, field: string): void {
  if (!Array.isArray(rows)) return;
  let total = 0;
  rows.forEach((row: unknown, r) => {
    if (!Array.isArray(row)) return;
    row.forEach((_button, c) => {
      if (++total > BUTTON_LIMITS.total) {
        const where = `the button at row ${r + 1}, column ${c + 1}`;
        throw new ButtonLayoutError(r, c, `${field}[${r}][${c}]`, `${where} is button number ${total}; a message holds at most ${BUTTON_LIMITS.total}`);
      }
    });
  });
}

/** Checks rows of buttons on their own: the spec's limits of rows and buttons, then the total across rows. */
export function validateButtons(rows: unknown, field: string): void {
  if (rows === undefined || rows === null) return;
  const refusal = checkValue(checkButtonRows, rows, [field]);
  if (refusal) throw buttonRefusal(refusal, 0);
  checkButtonTotal(rows, field);
}

/** The extension of a file name or of a storage key's last segment, lower case; `''` when it has none. */
function extensionOf(path: string): string {
  const name = path.slice(path.lastIndexOf('/') + 1);
  const dot = name.lastIndexOf('.');
  return dot > 0 ? name.slice(dot + 1).toLowerCase() : '';
}

/**
 * Validates the files attached to a message: each `name` must carry the extension of its `key` (the API answers
 * 422 `wrong_params` otherwise). Letter case is not compared, so that only what the API surely refuses is refused.
 */
export function validateFiles(files: unknown, field: string): void {
  if (!Array.isArray(files)) return;
  files.forEach((file: unknown, index) => {
    const { key, name } = (file ?? {}) as { key?: unknown; name?: unknown };
    if (typeof key !== 'string' || typeof name !== 'string') return;
    if (key.includes('${filename}')) {
      throw new RequestValidationError(`${field}[${index}].key`, 'still holds the ${filename} placeholder of the upload parameters; put the file name in its place');
    }
    const expected = extensionOf(key);
    const actual = extensionOf(name);
    if (expected !== actual) {
      const wanted = expected ? `end in ".${expected}", the extension of its key` : 'have no extension, as its key has none';
      throw new RequestValidationError(`${field}[${index}].name`, `must ${wanted} (the API refuses a mismatch with 422 wrong_params)`);
    }
  });
}

/** The cross-field rules of a new or edited message: the total of its buttons, and each file's name against its key. */
export function messageRules(input: RequestInput): void {
  const message = (input as { body?: { message?: { buttons?: unknown; files?: unknown } } }).body?.message;
  checkButtonTotal(message?.buttons, 'message.buttons');
  validateFiles(message?.files, 'message.files');
}
