import { describe, expect, it } from 'vitest';
import { RequestValidationError } from '../../src/core/errors.js';
import { createPachcaClient } from '../../src/pachca/index.js';
import { ButtonLayoutError, validateButtons } from '../../src/pachca/validate.js';
import { json, scriptedFetch } from './helpers.js';

const button = (text: string) => ({ text, data: text });
const row = (length: number, prefix = 'b') => Array.from({ length }, (_, i) => button(`${prefix}${i}`));

describe('button checks before a Pachca message is sent', () => {
  it('accepts 100 buttons in rows of 8 or fewer', () => {
    const rows = [...Array.from({ length: 12 }, (_, r) => row(8, `r${r}-`)), row(4)];
    expect(() => validateButtons(rows, 'message.buttons')).not.toThrow();
  });

  it('names the row and column of the ninth button in a row', () => {
    const error = (() => {
      try {
        validateButtons([row(2), row(9)], 'message.buttons');
      } catch (caught) {
        return caught;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(ButtonLayoutError);
    expect(error).toMatchObject({ row: 1, column: 8, field: 'message.buttons[1][8]' });
    expect((error as Error).message).toContain('row 2 has 9 buttons');
  });

  it('names the 101st button', () => {
    const rows = [...Array.from({ length: 12 }, () => row(8)), row(5)];
    expect(() => validateButtons(rows, 'message.buttons')).toThrow(/row 13, column 5 is button number 101/);
  });

  it('rejects a button text over 255 characters but counts an emoji once', () => {
    expect(() => validateButtons([[button('🎉'.repeat(255))]], 'message.buttons')).not.toThrow();
    expect(() => validateButtons([[button('a'.repeat(256))]], 'message.buttons')).toThrow(
      expect.objectContaining({ field: 'message.buttons[0][0].text', row: 0, column: 0 }),
    );
  });

  it('rejects a button without text and data over 255 characters', () => {
    expect(() => validateButtons([[{ text: '' }]], 'b')).toThrow(/has no text/);
    expect(() => validateButtons([[{ text: 'x', data: 'd'.repeat(256) }]], 'b')).toThrow(
      expect.objectContaining({ field: 'b[0][0].data' }),
    );
  });

  it('sends nothing when a message or an edit breaks a rule', async () => {
    const fetch = scriptedFetch(json(201, {}));
    const client = createPachcaClient({ token: 't', fetch });
    await expect(
      client.createMessage({ body: { message: { entity_id: 1, content: 'x', buttons: [row(9)] } } }),
    ).rejects.toBeInstanceOf(ButtonLayoutError);
    await expect(
      client.updateMessage({ id: 1, body: { message: { buttons: [row(9)] } } }),
    ).rejects.toBeInstanceOf(RequestValidationError);
    await expect(
      client.createMessage({ body: { message: { entity_id: 1, content: 'x', display_name: 'n'.repeat(256) } } }),
    ).rejects.toBeInstanceOf(RequestValidationError);
    expect(fetch.seen).toHaveLength(0);
  });
});
