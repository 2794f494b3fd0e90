/**
 * Checks of a message's buttons and per-message sender fields, made before anything is sent. The API would
 * refuse these bodies anyway; checking here names the exact row and column at fault and spares a request.
 */
import { RequestValidationError } from '../core/errors/errors.js';

/** The limits the Pachca documentation gives for inline buttons. */
export const BUTTON_LIMITS = { total: 100, perRow: 8, textLength: 255, dataLength: 255 } as const;

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

/** Counts characters as the API does (by code point), so an emoji counts once. */
function characterCount(text: string): number {
  let count = 0;
  for (const _ of text) count++;
  return count;
}

function checkLength(value: unknown, max: number, field: string): void {
  if (typeof value === 'string' && characterCount(value) > max) {
    throw new RequestValidationError(field, `is ${characterCount(value)} characters long; at most ${max} are allowed`);
  }
}

/** Validates button rows: at most 8 a row, at most 100 in all, `text` present and at most 255 characters. */
export function validateButtons(rows: unknown, field: string): void {
  if (rows === undefined || rows === null) return;
  if (!Array.isArray(rows)) throw new RequestValidationError(field, 'must be an array of rows of buttons');
  let total = 0;
  rows.forEach((row: unknown, r) => {
    const fail = (column: number | undefined, path: string, problem: string): never => {
      throw new ButtonLayoutError(r, column, `${field}[${r}]${path}`, problem);
    };
    if (!Array.isArray(row)) return fail(undefined, '', `row ${r + 1} is not an array of buttons`);
    if (row.length > BUTTON_LIMITS.perRow) {
      fail(BUTTON_LIMITS.perRow, `[${BUTTON_LIMITS.perRow}]`, `row ${r + 1} has ${row.length} buttons; at most ${BUTTON_LIMITS.perRow} fit in a row`);
    }
    row.forEach((button: unknown, c) => {
      const where = `the button at row ${r + 1}, column ${c + 1}`;
      if (++total > BUTTON_LIMITS.total) fail(c, `[${c}]`, `${where} is button number ${total}; a message holds at most ${BUTTON_LIMITS.total}`);
      const { text, data } = (button ?? {}) as { text?: unknown; data?: unknown };
      if (typeof text !== 'string' || text === '') fail(c, `[${c}].text`, `${where} has no text`);
      for (const [name, value, max] of [['text', text, BUTTON_LIMITS.textLength], ['data', data, BUTTON_LIMITS.dataLength]] as const) {
        const length = typeof value === 'string' ? characterCount(value) : 0;
        if (length > max) fail(c, `[${c}].${name}`, `the ${name} of ${where} is ${length} characters long; at most ${max} are allowed`);
      }
    });
  });
}

/** The `message` object of a request, if there is one. */
function messageOf(init: unknown): Record<string, unknown> | undefined {
  return (init as { body?: { message?: Record<string, unknown> } } | undefined)?.body?.message;
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

/** Validates the `message` of a new message: buttons, files, and the 255-character sender fields of the reference. */
export function validateMessageCreate(init: unknown): void {
  const message = messageOf(init);
  if (!message) return;
  validateButtons(message.buttons, 'message.buttons');
  validateFiles(message.files, 'message.files');
  checkLength(message.display_name, 255, 'message.display_name');
  checkLength(message.display_avatar_url, 255, 'message.display_avatar_url');
}

/** Validates the `message` of an edit: its buttons and files (the reference gives the sender fields no limit on edit). */
export function validateMessageUpdate(init: unknown): void {
  validateButtons(messageOf(init)?.buttons, 'message.buttons');
  validateFiles(messageOf(init)?.files, 'message.files');
}

/** Validates a status before it is set: the title and the away message have the reference's limits. */
export function validateStatusUpdate(init: unknown): void {
  const status = (init as { body?: { status?: Record<string, unknown> } } | undefined)?.body?.status;
  if (!status) return;
  checkLength(status.title, 50, 'status.title');
  checkLength(status.away_message, 1024, 'status.away_message');
}

/** Validates a chat's name before a chat is created or renamed: at most 255 characters (the reference). */
export function validateChatName(init: unknown): void {
  checkLength((init as { body?: { chat?: { name?: unknown } } } | undefined)?.body?.chat?.name, 255, 'chat.name');
}

/** Validates a group tag's name before it is created or renamed: at most 255 characters (the reference). */
export function validateGroupTagName(init: unknown): void {
  checkLength((init as { body?: { group_tag?: { name?: unknown } } } | undefined)?.body?.group_tag?.name, 255, 'group_tag.name');
}

/** Validates a bot's name and user name before it is created or changed: at most 255 characters each. */
export function validateBotNames(init: unknown): void {
  const webhook = (init as { body?: { webhook?: { name?: unknown; nickname?: unknown } } } | undefined)?.body?.webhook;
  checkLength(webhook?.name, 255, 'webhook.name');
  checkLength(webhook?.nickname, 255, 'webhook.nickname');
}

/** Validates a user's fields before the user is invited or changed: the reference's 255 and 768 character limits. */
export function validateUserFields(init: unknown): void {
  const user = (init as { body?: { user?: Record<string, unknown> } } | undefined)?.body?.user;
  if (!user) return;
  for (const name of ['first_name', 'last_name', 'email', 'phone_number', 'nickname', 'department']) checkLength(user[name], 255, `user.${name}`);
  const properties = Array.isArray(user.custom_properties) ? (user.custom_properties as { value?: unknown }[]) : [];
  properties.forEach((property, index) => checkLength(property?.value, 768, `user.custom_properties[${index}].value`));
}

/** The reference's limits for a form's text fields, by block field; blocks of text set their own `text` limit. */
const VIEW_FIELD_LIMITS: Readonly<Record<string, number>> = {
  name: 255,
  label: 150,
  hint: 2000,
  placeholder: 150,
  initial_value: 3000,
};
const VIEW_TEXT_LIMITS: Readonly<Record<string, number>> = { header: 150, plain_text: 12000, markdown: 12000 };
const VIEW_OPTION_COUNTS: Readonly<Record<string, number>> = { select: 100, radio: 10, checkbox: 10 };

/**
 * Validates a form before it is opened. A form's trigger lives 3 seconds and a refused form spends it, so every
 * limit the reference gives is checked here: title and button labels 24, metadata 3000, callback 255, at most 100
 * blocks, and each block's fields and options.
 */
export function validateView(init: unknown): void {
  const body = (init as { body?: Record<string, unknown> } | undefined)?.body;
  if (!body) return;
  checkLength(body.private_metadata, 3000, 'private_metadata');
  checkLength(body.callback_id, 255, 'callback_id');
  const view = (body.view ?? {}) as Record<string, unknown>;
  for (const name of ['title', 'close_text', 'submit_text']) checkLength(view[name], 24, `view.${name}`);
  if (!Array.isArray(view.blocks)) return;
  if (view.blocks.length > 100) throw new RequestValidationError('view.blocks', `has ${view.blocks.length} blocks; a form holds at most 100`);
  view.blocks.forEach((raw: unknown, index) => {
    const block = (raw ?? {}) as Record<string, unknown>;
    const at = `view.blocks[${index}]`;
    for (const [name, max] of Object.entries(VIEW_FIELD_LIMITS)) checkLength(block[name], max, `${at}.${name}`);
    const textLimit = VIEW_TEXT_LIMITS[String(block.type)];
    if (textLimit !== undefined) checkLength(block.text, textLimit, `${at}.text`);
    const most = VIEW_OPTION_COUNTS[String(block.type)];
    if (most === undefined || !Array.isArray(block.options)) return;
    if (block.options.length > most) throw new RequestValidationError(`${at}.options`, `has ${block.options.length} options; a ${String(block.type)} block holds at most ${most}`);
    block.options.forEach((rawOption: unknown, optionIndex) => {
      const option = (rawOption ?? {}) as Record<string, unknown>;
      const optionAt = `${at}.options[${optionIndex}]`;
      checkLength(option.text, 75, `${optionAt}.text`);
      checkLength(option.value, 150, `${optionAt}.value`);
      checkLength(option.description, 75, `${optionAt}.description`);
    });
  });
}
