/** Type tests of OK inline keyboards: each kind of button takes its own fields and no other kind's. */
import { describe, expectTypeOf, it } from 'vitest';
import { sendKeyboard, type OkKeyboardButton } from '../../src/ok/index.js';

describe('OK keyboard types', () => {
  it('takes each kind of button with its own fields', () => {
    void sendKeyboard('chat:C1', 'x', [[{ type: 'CALLBACK', text: 'a', payload: 'p', intent: 'POSITIVE' }, { type: 'LINK', text: 'b', url: 'https://ok.ru/' }], [{ type: 'REQUEST_GEO_LOCATION', text: 'c', quick: true }]]);
    expectTypeOf<OkKeyboardButton['type']>().toEqualTypeOf<'CALLBACK' | 'LINK' | 'REQUEST_CONTACT' | 'REQUEST_GEO_LOCATION'>();
  });

  it('refuses a callback without payload, a link with a payload, and an unknown kind', () => {
    // @ts-expect-error a callback button needs the payload it sends back
    void sendKeyboard('chat:C1', 'x', [[{ type: 'CALLBACK', text: 'a' }]]);
    // @ts-expect-error a link button opens a url and sends no payload
    void sendKeyboard('chat:C1', 'x', [[{ type: 'LINK', text: 'b', url: 'https://ok.ru/', payload: 'p' }]]);
    // @ts-expect-error there is no such kind of button
    void sendKeyboard('chat:C1', 'x', [[{ type: 'OPEN_APP', text: 'c' }]]);
  });
});
