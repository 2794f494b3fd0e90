/**
 * An OK bot's button round trip against the Prism mock of specs/ok: it sends a text with an inline keyboard (the
 * mock validates the body against the modelled keyboard), receives the `MESSAGE_CALLBACK` event a press on one of
 * its buttons yields through the OK webhook handler, and answers that press with `answerCallback`.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { createOkClient, createOkWebhookHandler, sendKeyboard, type OkClient, type OkKeyboardButton } from '../../src/ok/index.js';
import { mockOf } from './harness.js';

const CHAT = 'chat:C3ecb9d02a600';

let ok: OkClient;
const sent: { url: string; body: unknown }[] = [];

beforeAll(async () => {
  const mock = await mockOf('ok');
  ok = createOkClient({
    accessToken: 'tkn1keyboard:CQABPOJKAKEKEKEKE',
    baseUrl: mock.url,
    fetch: (input, init) => {
      sent.push({ url: String(input), body: typeof init?.body === 'string' ? JSON.parse(init.body) : undefined });
      return mock.fetch(input, init);
    },
  });
});

describe('an inline keyboard, pressed and answered', () => {
  it('sends the keyboard, takes the MESSAGE_CALLBACK of its button through the webhook handler, and answers it', async () => {
    const rows: OkKeyboardButton[][] = [
      [
        { type: 'CALLBACK', text: 'Да', payload: 'order:42:yes', intent: 'POSITIVE' },
        { type: 'CALLBACK', text: 'Нет', payload: 'order:42:no' },
      ],
      [{ type: 'LINK', text: 'Условия', url: 'https://ok.ru/' }],
      [{ type: 'REQUEST_GEO_LOCATION', text: 'Где вы?', quick: true }],
    ];
    await expect(ok.sendMessage({ chat_id: CHAT, body: sendKeyboard(CHAT, 'Подтвердите заказ', rows) })).resolves.toBeDefined();
    const keyboard = (sent.at(-1)?.body as { message: { attachment: { type: string; payload: { keyboard: { buttons: OkKeyboardButton[][] } } } } }).message.attachment;
    expect(keyboard.type).toBe('INLINE_KEYBOARD');
    expect(keyboard.payload.keyboard.buttons).toEqual(rows);

    // The user presses "Да": OK posts the button's payload back to the bot's webhook.
    const pressed = keyboard.payload.keyboard.buttons[0]?.[0];
    if (pressed?.type !== 'CALLBACK') throw new Error('the first button is a callback button');
    const event = { webhookType: 'MESSAGE_CALLBACK', callbackId: 'cb-7f3a', payload: pressed.payload, sender: { user_id: 'user:1234567890123' }, recipient: { chat_id: CHAT }, timestamp: 1498581310000 };
    const answers: unknown[] = [];
    const handler = createOkWebhookHandler({
      on: {
        callback: async (callback) => {
          expect(callback.payload).toBe('order:42:yes');
          answers.push(await ok.answerCallback({ chat_id: callback.recipient?.chat_id ?? CHAT, callbackId: callback.callbackId, body: { message: { text: 'Заказ принят' } } }));
        },
      },
    });
    const response = await handler.fetch(new Request('http://localhost/ok', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(event) }));
    expect(response.status).toBe(200);
    expect(answers).toEqual([{ success: true }]);
    const answer = sent.at(-1);
    expect(new URL(answer?.url ?? '').pathname).toBe(`/${CHAT}/answer`);
    expect(new URL(answer?.url ?? '').searchParams.get('callbackId')).toBe('cb-7f3a');
    expect(answer?.body).toEqual({ message: { text: 'Заказ принят' } });
  });

  it('is refused by the mock when a callback button has no payload, which the builder refuses before sending', async () => {
    const missing = { recipient: { chat_id: CHAT }, message: { text: 'x', attachment: { type: 'INLINE_KEYBOARD', payload: { keyboard: { buttons: [[{ type: 'CALLBACK', text: 'x' }]] } } } } };
    await expect(ok.sendMessage({ chat_id: CHAT, body: missing as never })).rejects.toMatchObject({ status: 422 });
    expect(() => sendKeyboard(CHAT, 'x', [[{ type: 'CALLBACK', text: 'x' } as never]])).toThrow(/payload/);
  });
});
