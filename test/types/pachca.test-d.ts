/**
 * Type tests: what the Pachca spec forbids must not compile, and what it allows must (documented defaults
 * stay optional, int64 ids are strings).
 */
import { describe, expectTypeOf, it } from 'vitest';
import { createPachcaClient, type Message, type Thread } from '../../src/pachca/index.js';

const client = createPachcaClient({ token: 't' });

describe('Pachca types', () => {
  it('accepts a minimal message: fields with a documented default stay optional', () => {
    void client.createMessage({ body: { message: { entity_id: 198, content: 'Привет' } } });
    void client.messages.send({ message: { entity_id: 198, content: 'x', entity_type: 'user' }, link_preview: true });
  });

  it('rejects a field the spec does not have', () => {
    // @ts-expect-error colour is not a field of a message
    void client.createMessage({ body: { message: { entity_id: 198, content: 'x', colour: 'red' } } });
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
    // @ts-expect-error getMessage needs params.path.id
    void client.getMessage();
    // @ts-expect-error the path object lacks id
    void client.getMessage({ params: { path: {} } });
    // @ts-expect-error the raw style checks paths too
    void client.raw.GET('/messages/{id}', { params: { path: {} } });
  });

  it('rejects a list call without chat_id and a sort order outside the enum', () => {
    // @ts-expect-error chat_id is required
    void client.listChatMessages({ params: { query: {} } });
    // @ts-expect-error order is asc or desc
    void client.listChatMessages({ params: { query: { chat_id: 1, order: 'newest' } } });
  });

  it('types what each operation resolves to', () => {
    expectTypeOf(client.getMessage).returns.resolves.toEqualTypeOf<{ data: Message }>();
    expectTypeOf(client.deleteMessage).returns.resolves.toEqualTypeOf<undefined>();
    expectTypeOf(client.messages.send).returns.resolves.toEqualTypeOf<Message>();
  });

  it('types int64 ids as strings', () => {
    expectTypeOf<Thread['id']>().toEqualTypeOf<string>();
    expectTypeOf<Thread['message_id']>().toEqualTypeOf<string | null>();
    expectTypeOf<NonNullable<Message['thread']>['chat_id']>().toEqualTypeOf<string>();
  });
});

describe('Pachca calls without required input', () => {
  it('takes no argument when nothing is required', () => {
    void client.getUploadParams();
  });
});
