/**
 * The inline keyboard builders of the OK client: the attachment they write, and the careless keyboards they
 * refuse before anything is sent, naming the button at fault.
 */
import { describe, expect, it } from 'vitest';
import { RequestValidationError } from '../../src/core/errors/errors.js';
import { createOkClient, inlineKeyboard, sendKeyboard, type OkKeyboardButton } from '../../src/ok/index.js';
import { json, scriptedFetch } from './helpers.js';

const CHAT = 'chat:C3ecb9d02a600';
const YES: OkKeyboardButton = { type: 'CALLBACK', text: 'Да', payload: 'yes' };

function refusal(build: () => unknown): RequestValidationError | undefined {
  try {
    build();
  } catch (error) {
    if (error instanceof RequestValidationError) return error;
    throw error;
  }
  return undefined;
}

describe('OK inline keyboards', () => {
  it('writes a text with an INLINE_KEYBOARD attachment of the rows given, with the extras', () => {
    const rows: OkKeyboardButton[][] = [[YES, { type: 'LINK', text: 'Сайт', url: 'https://ok.ru/' }], [{ type: 'REQUEST_CONTACT', text: 'Телефон' }]];
    expect(sendKeyboard('user:123', 'Выберите', rows, { replyTo: 'mid:1' })).toEqual({
      recipient: { user_id: 'user:123' },
      message: { text: 'Выберите', reply_to: 'mid:1', attachment: { type: 'INLINE_KEYBOARD', payload: { keyboard: { buttons: rows } } } },
    });
  });

  it('copies the buttons, so a later change to the caller’s rows does not change what was built', () => {
    const row = [{ ...YES }];
    const built = inlineKeyboard([row]);
    row[0]!.text = 'changed';
    expect(built.payload.keyboard.buttons[0]?.[0]?.text).toBe('Да');
  });

  it.each([
    ['no rows', [], 'message.attachment.payload.keyboard.buttons'],
    ['an empty row', [[YES], []], 'message.attachment.payload.keyboard.buttons[1]'],
    ['a button without text', [[{ type: 'CALLBACK', text: '', payload: 'p' }]], 'message.attachment.payload.keyboard.buttons[0][0].text'],
    ['a callback button without payload', [[YES, { type: 'CALLBACK', text: 'x' }]], 'message.attachment.payload.keyboard.buttons[0][1].payload'],
    ['a link that is not an http(s) address', [[{ type: 'LINK', text: 'x', url: 'javascript:alert(1)' }]], 'message.attachment.payload.keyboard.buttons[0][0].url'],
    ['a row that is not an array', [YES], 'message.attachment.payload.keyboard.buttons[0]'],
  ])('refuses %s, naming the field', (_case, rows, field) => {
    expect(refusal(() => sendKeyboard(CHAT, 'x', rows as never))?.field).toBe(field);
  });

  it('refuses an empty text, and sends nothing when building fails', async () => {
    const fetch = scriptedFetch(json(200, { success: true }));
    const ok = createOkClient({ accessToken: 'tok:1', fetch });
    expect(refusal(() => sendKeyboard(CHAT, '', [[YES]]))?.field).toBe('message.text');
    await expect(async () => ok.sendMessage({ chat_id: CHAT, body: sendKeyboard(CHAT, 'x', [[{ type: 'CALLBACK', text: 'x' } as never]]) })).rejects.toBeInstanceOf(RequestValidationError);
    expect(fetch.seen).toHaveLength(0);
  });
});
