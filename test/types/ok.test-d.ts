/**
 * Type tests for the OK client: int64 values are strings, the OK error body is not part of any result (it is
 * thrown), and the body variants reject what the spec rejects where TypeScript can tell.
 */
import { describe, expectTypeOf, it } from 'vitest';
import { createOkClient, leave, sendText, type OkErrorBody, type OkMessageEnvelope } from '../../src/ok/index.js';

const ok = createOkClient({ accessToken: 't' });
const chat_id = 'chat:C3ecb9d02a600';

describe('OK types', () => {
  it('calls operations without required parameters with no argument', () => {
    void ok.getInfo();
    void ok.listChats();
    // @ts-expect-error listMessages needs the chat
    void ok.listMessages();
  });

  it('types int64 values as strings, in results and in the from/to parameters', () => {
    expectTypeOf<OkMessageEnvelope['timestamp']>().toEqualTypeOf<string>();
    expectTypeOf<OkMessageEnvelope['message']['seq']>().toEqualTypeOf<string | undefined>();
    void ok.listMessages({ chat_id, from: '1498581292941', count: 2 });
    // @ts-expect-error from is a Long written as a decimal string, so no digit is lost
    void ok.listMessages({ chat_id, from: 1498581292941 });
  });

  it('leaves the OK error body out of results: it is thrown as OkApiError', () => {
    expectTypeOf(ok.getInfo).returns.resolves.toEqualTypeOf<{ name: string; group_id: string }>();
    expectTypeOf(ok.getInfo).returns.resolves.not.toMatchTypeOf<OkErrorBody>();
  });

  it('rejects what the body variants forbid', () => {
    void ok.sendMessage({ chat_id, body: sendText(chat_id, 'Привет') });
    void ok.sendMessage({ chat_id, body: leave(chat_id) });
    // @ts-expect-error leave is the string "true", not a boolean
    void ok.sendMessage({ chat_id, body: { recipient: { chat_id }, chat_control: { leave: true } } });
    // @ts-expect-error colour is not a field of any message variant
    void ok.sendMessage({ chat_id, body: { recipient: { chat_id }, message: { text: 'x', colour: 1 } } });
    // @ts-expect-error dancing is not a sender action
    void ok.sendMessage({ chat_id, body: { recipient: { chat_id }, sender_action: 'dancing' } });
  });
});
