/**
 * Events from the fake: signed webhook deliveries to a bot's handler (an example of the spec by name, or an event
 * of the test's own), and Pachca's events endpoint, served from a queue the test fills, for a bot that polls.
 */
import { describe, expect, it } from 'vitest';
import { createOkWebhookHandler, type OkWebhookEvent } from '../../src/ok/index.js';
import { createPachcaClient, createPachcaWebhookHandler, type PachcaMessageEvent } from '../../src/pachca/index.js';
import { createFakeApi } from '../../src/testing/index.js';

const SECRET = 'webhook-signing-secret-9a1';

describe('webhook deliveries', () => {
  it('delivers a spec example, signed, to a Pachca handler, and an event of the test’s own', async () => {
    const fake = await createFakeApi('pachca');
    const seen: PachcaMessageEvent[] = [];
    const handler = createPachcaWebhookHandler({ signingSecret: SECRET, on: { message: (event) => void seen.push(event) } });
    const delivered = await fake.deliverEvent(handler, 'newMessage', { signingSecret: SECRET });
    expect(delivered).toMatchObject({ name: 'newMessage', status: 200 });
    const own = { ...(delivered.event as PachcaMessageEvent), id: 777, content: '/report weekly' };
    expect((await fake.deliverEvent(handler, own, { signingSecret: SECRET })).status).toBe(200);
    expect(seen.map((event) => [event.id, event.content])).toEqual([
      [194276, 'Когда будет отчёт?'],
      [777, '/report weekly'],
    ]);
    // Signed with another secret, the handler refuses it: the signature is real.
    expect((await fake.deliverEvent(handler, own, { signingSecret: 'another-secret-123' })).status).toBe(401);
    await expect(fake.deliverEvent(handler, 'noSuchExample', { signingSecret: SECRET })).rejects.toThrow('no example event noSuchExample');
    await expect(fake.deliverEvent(handler, 'newMessage')).rejects.toThrow('needs the signingSecret');
  });

  it('delivers an OK example to an OK handler', async () => {
    const fake = await createFakeApi('ok');
    const seen: OkWebhookEvent[] = [];
    const handler = createOkWebhookHandler({ on: { any: (event) => void seen.push(event) } });
    expect((await fake.deliverEvent(handler, 'messageCreated')).status).toBe(200);
    expect(seen[0]).toMatchObject({ webhookType: 'MESSAGE_CREATED' });
  });
});

describe('the Pachca events endpoint', () => {
  it('serves the queued events to a polling bot, which handles each once and deletes it', async () => {
    const fake = await createFakeApi('pachca');
    const pachca = createPachcaClient({ token: 'poll-token-12345', ...fake.clientOptions });
    expect((await pachca.listWebhookEvents({})).data).toEqual([]);
    const first = fake.queueEvent({ type: 'message', id: 1, event: 'new', entity_type: 'discussion', entity_id: 334, content: 'раз', user_id: 186, created_at: '2026-11-23T09:15:00.000Z', chat_id: 334, parent_message_id: null, thread: null, url: 'https://app.pachca.com/chats/334?message=1', changed_at: null, webhook_timestamp: 1763889300 });
    fake.queueEvent({ type: 'message', id: 2, event: 'new', entity_type: 'discussion', entity_id: 334, content: 'два', user_id: 186, created_at: '2026-11-23T09:16:00.000Z', chat_id: 334, parent_message_id: null, thread: null, url: 'https://app.pachca.com/chats/334?message=2', changed_at: null, webhook_timestamp: 1763889360 });
    expect(first).toMatch(/^01FAKE/);
    const controller = new AbortController();
    const handled: string[] = [];
    const polling = pachca.pollWebhookEvents({
      signal: controller.signal,
      intervalMs: 1,
      on: { message: (event) => void handled.push(event.content) },
    });
    const deletes = () => fake.calls.filter((call) => call.operationId === 'deleteWebhookEvent' && call.status === 204).length;
    while (deletes() < 2) await new Promise((resolve) => setTimeout(resolve, 5));
    controller.abort();
    await polling;
    expect(handled).toEqual(['раз', 'два']);
    expect(fake.calls.filter((call) => call.operationId === 'deleteWebhookEvent').map((call) => call.params.path)).toEqual([{ id: first }, { id: expect.stringMatching(/^01FAKE/) }]);
    expect((await pachca.listWebhookEvents({})).data).toEqual([]);
  });
});
