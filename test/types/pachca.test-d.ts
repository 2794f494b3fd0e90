/**
 * Type tests: what the Pachca spec forbids must not compile, and what it allows must (documented defaults
 * stay optional, int64 ids are strings).
 */
import { describe, expectTypeOf, it } from 'vitest';
import type { EventHandoff } from '../../src/core/index.js';
import {
  createPachcaClient,
  createPachcaWebhookHandler,
  type CreateMessageInput,
  type GetMessageInput,
  type GetMessageResult,
  type Message,
  type Thread,
} from '../../src/pachca/index.js';

const client = createPachcaClient({ token: 't' });

describe('Pachca types', () => {
  it('takes either code for the handler or a hand-off to workers, never both and never neither', () => {
    const handoff: EventHandoff = { enqueue: async () => 'queued' };
    void createPachcaWebhookHandler({ signingSecret: 's', on: { message: () => undefined } });
    void createPachcaWebhookHandler({ signingSecret: 's', handoff });
    // @ts-expect-error with a hand-off the handler runs no code: `on` would never be called
    void createPachcaWebhookHandler({ signingSecret: 's', handoff, on: {} });
    // @ts-expect-error without either, no event would reach any code
    void createPachcaWebhookHandler({ signingSecret: 's' });
    void client.pollWebhookEvents({ handoff });
    // @ts-expect-error a poller also takes one target
    void client.pollWebhookEvents({ handoff, on: {} });
  });

  it('types a form block by its kind: a block of one kind takes no field of another', () => {
    void client.openView({ body: { type: 'modal', trigger_id: 't', view: { title: 'Form', blocks: [{ type: 'input', name: 'n', label: 'L', multiline: true }] } } });
    // @ts-expect-error a header has text only, not an input's name
    void client.openView({ body: { type: 'modal', trigger_id: 't', view: { title: 'Form', blocks: [{ type: 'header', text: 'Hi', name: 'n' }] } } });
    // @ts-expect-error there is no slider block
    void client.openView({ body: { type: 'modal', trigger_id: 't', view: { title: 'Form', blocks: [{ type: 'slider' }] } } });
  });

  it('types a finished export as the address its redirect points to, and an export request as its period', () => {
    expectTypeOf(client.downloadChatExport).returns.resolves.toEqualTypeOf<{ readonly location: string }>();
    void client.requestChatExport({ body: { start_at: '2025-03-01', end_at: '2025-03-31', webhook_url: 'https://example.com/hook' } });
    // @ts-expect-error webhook_url is required: the export's identifier has nowhere else to go
    void client.requestChatExport({ body: { start_at: '2025-03-01', end_at: '2025-03-31' } });
  });

  it('accepts a minimal message: fields with a documented default stay optional', () => {
    void client.createMessage({ body: { message: { entity_id: 198, content: 'Привет' } } });
    void client.createMessage({ body: { message: { entity_id: 198, content: 'x', entity_type: 'user' }, link_preview: true } });
  });

  it('rejects a field the spec does not have', () => {
    // @ts-expect-error colour is not a field of a message
    void client.createMessage({ body: { message: { entity_id: 198, content: 'x', colour: 'red' } } });
  });

  it('accepts entity_type in the letter cases the API reads', () => {
    void client.createMessage({ body: { message: { entity_id: 198, content: 'x', entity_type: 'USER' } } });
    void client.createMessage({ body: { message: { entity_id: 198, content: 'x', entity_type: 'Discussion' } } });
  });

  it('rejects a wrong enum value', () => {
    // @ts-expect-error channel is not an entity_type
    void client.createMessage({ body: { message: { entity_id: 198, content: 'x', entity_type: 'channel' } } });
  });

  it('rejects a wrong field type', () => {
    // @ts-expect-error entity_id is an int32, not a string
    void client.createMessage({ body: { message: { entity_id: '198', content: 'x' } } });
  });

  it('rejects a missing required field', () => {
    // @ts-expect-error content is required
    void client.createMessage({ body: { message: { entity_id: 198 } } });
  });

  it('rejects a call without its path parameter', () => {
    // @ts-expect-error getMessage needs its id
    void client.getMessage();
    // @ts-expect-error the input lacks id
    void client.getMessage({});
    // @ts-expect-error the raw style checks paths too
    void client.raw.GET('/messages/{id}', { params: { path: {} } });
  });

  it('rejects a list call without chat_id and a sort order outside the enum', () => {
    // @ts-expect-error chat_id is required
    void client.listChatMessages({});
    // @ts-expect-error order is asc or desc
    void client.listChatMessages({ chat_id: 1, order: 'newest' });
  });

  it('types what each operation resolves to', () => {
    expectTypeOf(client.getMessage).returns.resolves.toEqualTypeOf<{ data: Message }>();
    expectTypeOf(client.deleteMessage).returns.resolves.toEqualTypeOf<undefined>();
    expectTypeOf(client.createMessage).returns.resolves.toEqualTypeOf<{ data: Message }>();
  });

  it('types int64 ids as strings', () => {
    expectTypeOf<Thread['id']>().toEqualTypeOf<string>();
    expectTypeOf<Thread['message_id']>().toEqualTypeOf<string | null>();
    expectTypeOf<NonNullable<Message['thread']>['chat_id']>().toEqualTypeOf<string>();
  });
});

describe('one request path: every option that compiles has an effect, and no other compiles', () => {
  it('takes the per-call options every call honours', () => {
    void client.getMessage({ id: 1 }, { signal: AbortSignal.timeout(10), timeoutMs: 5, headers: { Prefer: 'code=404' }, baseUrl: 'http://127.0.0.1:4010' });
    void client.raw.GET('/messages/{id}', { params: { path: { id: 1 } }, signal: AbortSignal.timeout(10), timeoutMs: 5, headers: {}, baseUrl: 'http://x' });
  });

  it('rejects openapi-fetch options the request path does not honour', () => {
    // @ts-expect-error parseAs is not honoured, so it does not compile
    void client.raw.GET('/messages/{id}', { params: { path: { id: 1 } }, parseAs: 'text' });
    // @ts-expect-error querySerializer is not honoured
    void client.raw.GET('/messages', { params: { query: { chat_id: 1 } }, querySerializer: () => '' });
    // @ts-expect-error bodySerializer is not honoured
    void client.raw.POST('/messages', { body: { message: { entity_id: 1, content: 'x' } }, bodySerializer: () => '' });
    // @ts-expect-error middleware is not honoured
    void client.raw.GET('/messages/{id}', { params: { path: { id: 1 } }, middleware: [] });
    // @ts-expect-error a per-call fetch is not honoured: the client's is used
    void client.raw.GET('/messages/{id}', { params: { path: { id: 1 } }, fetch: globalThis.fetch });
    // @ts-expect-error TRACE is not a method fetch can send
    void client.raw.TRACE;
  });

  it('rejects a typo in the options', () => {
    // @ts-expect-error timeout is not an option; timeoutMs is
    void client.getMessage({ id: 1 }, { timeout: 5 });
  });

  it('names the operation in its types', () => {
    expectTypeOf(client.getMessage).parameter(0).toEqualTypeOf<GetMessageInput>();
    expectTypeOf(client.createMessage).parameter(0).toEqualTypeOf<CreateMessageInput>();
    expectTypeOf(client.getMessage).returns.resolves.toEqualTypeOf<GetMessageResult>();
  });
});

describe('Pachca calls without required input', () => {
  it('takes no argument when nothing is required', () => {
    void client.getUploadParams();
  });
});
