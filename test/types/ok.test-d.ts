/**
 * Type tests for the OK client: int64 values are strings, the OK error body is not part of any result (it is
 * thrown), and the body variants reject what the spec rejects where TypeScript can tell.
 */
import { describe, expectTypeOf, it } from 'vitest';
import type { WithResponse } from '../../src/core/index.js';
import {
  createOkClient,
  leave,
  sendText,
  type HistoryOptions,
  type IterateMessagesInput,
  type ListMessagesInput,
  type ListMessagesResult,
  type OkErrorBody,
  type OkMessageEnvelope,
} from '../../src/ok/index.js';

const ok = createOkClient({ accessToken: 't' });
const chat_id = 'chat:C3ecb9d02a600';

describe('OK types', () => {
  it('calls operations without required parameters with no argument', () => {
    void ok.getInfo();
    void ok.listChats();
    // @ts-expect-error listMessages needs the chat
    void ok.listMessages();
  });

  it('types int64 values as strings in results, and takes from/to as a number or an exact decimal string', () => {
    expectTypeOf<OkMessageEnvelope['timestamp']>().toEqualTypeOf<string>();
    expectTypeOf<OkMessageEnvelope['message']['seq']>().toEqualTypeOf<string | undefined>();
    void ok.listMessages({ chat_id, from: '9223372036854775807', count: 2 });
    void ok.listMessages({ chat_id, from: Date.now(), to: 0 });
    // @ts-expect-error from is a number of milliseconds or a decimal string, not a Date
    void ok.listMessages({ chat_id, from: new Date() });
  });

  it("walks a chat's history with listMessages's own input, from where the caller says, yielding envelopes", () => {
    expectTypeOf<IterateMessagesInput>().toEqualTypeOf<ListMessagesInput>();
    expectTypeOf<HistoryOptions>().toEqualTypeOf<Pick<ListMessagesInput, 'from' | 'to' | 'count'>>();
    const history = ok.iterateMessages({ chat_id, from: '9223372036854775807', to: 0, count: 100, include_deleted: true });
    expectTypeOf(history.lastPage).toEqualTypeOf<WithResponse<ListMessagesResult> | undefined>();
    expectTypeOf(history.next()).resolves.toEqualTypeOf<IteratorResult<OkMessageEnvelope, void>>();
    void ok.iterateMessages({ chat_id, from: Date.now() });
    // @ts-expect-error iterateMessages needs the chat
    void ok.iterateMessages({ from: Date.now() });
    // @ts-expect-error from is a number of milliseconds or a decimal string, not a Date
    void ok.iterateMessages({ chat_id, from: new Date() });
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

  it('refuses a body that mixes two variants, and more than five attachments', () => {
    const attachment = { type: 'FILE' as const, payload: { token: 't' } };
    // @ts-expect-error a message and a sender action in one body
    void ok.sendMessage({ chat_id, body: { recipient: { chat_id }, message: { text: 'x' }, sender_action: 'typing_on' } });
    // @ts-expect-error a message and a chat change in one body
    void ok.sendMessage({ chat_id, body: { recipient: { chat_id }, message: { text: 'x' }, chat_control: { title: 'T' } } });
    // @ts-expect-error a chat change and a sender action in one body
    void ok.sendMessage({ chat_id, body: { recipient: { chat_id }, chat_control: { title: 'T' }, sender_action: 'mark_seen' } });
    // @ts-expect-error a new title and leaving in one chat change
    void ok.sendMessage({ chat_id, body: { recipient: { chat_id }, chat_control: { title: 'T', leave: 'true' } } });
    // @ts-expect-error attachment and attachments in one message
    void ok.sendMessage({ chat_id, body: { recipient: { chat_id }, message: { attachment, attachments: [attachment] } } });
    // @ts-expect-error a recipient with both a chat and users
    void ok.sendMessage({ chat_id, body: { recipient: { chat_id, user_ids: ['user:1'] }, message: { text: 'x' } } });
    // @ts-expect-error six attachments: at most five
    void ok.sendMessage({ chat_id, body: { recipient: { chat_id }, message: { attachments: [attachment, attachment, attachment, attachment, attachment, attachment] } } });
    void ok.sendMessage({ chat_id, body: { recipient: { chat_id }, message: { attachments: [attachment, attachment, attachment, attachment, attachment] } } });
  });
});
