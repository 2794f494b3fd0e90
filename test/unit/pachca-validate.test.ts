import { describe, expect, it } from 'vitest';
import { RequestValidationError } from '../../src/core/errors/errors.js';
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

describe('form checks before a Pachca form is opened (its trigger lives 3 s, and a refused form spends it)', () => {
  const form = (view: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
    body: { type: 'modal' as const, trigger_id: 'trigger-1', ...extra, view: { title: 'Form', blocks: [], ...view } },
  });

  async function refusal(input: unknown): Promise<{ error: unknown; sent: number }> {
    const fetch = scriptedFetch(new Response(null, { status: 201 }));
    const pachca = createPachcaClient({ token: 'tok-forms-0123', fetch });
    const error = await pachca.openView(input as never).catch((caught: unknown) => caught);
    return { error, sent: fetch.seen.length };
  }

  it('opens a form within every limit', async () => {
    const options = Array.from({ length: 100 }, (_, i) => ({ text: 't'.repeat(75), value: `v${i}` }));
    const { error, sent } = await refusal(
      form({ title: 'x'.repeat(24), blocks: [{ type: 'select', name: 'n', label: 'l'.repeat(150), options }, { type: 'markdown', text: 'm'.repeat(12000) }] }),
    );
    expect(error).toBeUndefined();
    expect(sent).toBe(1);
  });

  it.each([
    ['a title of 25 characters', form({ title: 'x'.repeat(25) }), 'view.title'],
    ['101 blocks', form({ blocks: Array.from({ length: 101 }, () => ({ type: 'divider' })) }), 'view.blocks'],
    ['a header of 151 characters', form({ blocks: [{ type: 'divider' }, { type: 'header', text: 'h'.repeat(151) }] }), 'view.blocks[1].text'],
    ['11 radio options', form({ blocks: [{ type: 'radio', name: 'r', label: 'R', options: Array.from({ length: 11 }, (_, i) => ({ text: 't', value: `${i}` })) }] }), 'view.blocks[0].options'],
    ['an option value of 151 characters', form({ blocks: [{ type: 'checkbox', name: 'c', label: 'C', options: [{ text: 't', value: 'v'.repeat(151) }] }] }), 'view.blocks[0].options[0].value'],
    ['metadata of 3001 characters', form({}, { private_metadata: 'm'.repeat(3001) }), 'private_metadata'],
  ])('refuses %s, naming the field, and sends nothing', async (_case, input, field) => {
    const { error, sent } = await refusal(input);
    expect(error).toBeInstanceOf(RequestValidationError);
    expect(error).toMatchObject({ field });
    expect(sent).toBe(0);
  });
});
