/**
 * The README's "Testing your bot" example, run as the test it shows: test/unit/readme.test.ts checks that the
 * README holds the code between the markers letter for letter, with the package's import paths.
 */
// --- README: testing your bot ---
// Fragment: a test file, run by vitest.
import { afterEach, expect, it } from 'vitest';
import { createPachcaClient, createPachcaWebhookHandler } from '../../src/pachca/index.js';
import { createFakeApi } from '../../src/testing/index.js';

const fake = await createFakeApi('pachca'); // in process: no server, no port, ready in milliseconds
const pachca = createPachcaClient({ token: 'test-token', ...fake.clientOptions });

// The bot under test: it answers /report in the chat it was asked in.
const bot = createPachcaWebhookHandler({
  signingSecret: 'test-secret',
  on: {
    message: async (event) => {
      if (event.content !== '/report') return;
      await pachca.createMessage({ body: { message: { entity_id: event.chat_id, content: 'Отчёт готов' } } });
    },
  },
});

afterEach(() => fake.reset());

// The spec's example of a new message, with the text the test needs (a fresh id each: the handler drops repeats).
const report = (id: number) => ({ signingSecret: 'test-secret', overrides: { id, content: '/report' } });

it('answers /report in the chat it was asked in', async () => {
  const delivery = await fake.deliverEvent(bot, 'newMessage', report(1));
  expect(delivery.status).toBe(200);
  fake.expectSent('createMessage', { message: { entity_id: 334, content: 'Отчёт готов' } });
});

it('sends the answer once when the API asks it to slow down', async () => {
  fake.failNext('createMessage', { status: 429, retryAfter: 0 });
  await fake.deliverEvent(bot, 'newMessage', report(2));
  expect(fake.calls.map((call) => [call.operationId, call.status])).toEqual([
    ['createMessage', 429],
    ['createMessage', 201],
  ]);
  const { data: messages } = await pachca.listChatMessages({ chat_id: 334 });
  expect(messages.filter((message) => message.content === 'Отчёт готов')).toHaveLength(1);
});
// --- end ---
