/**
 * The README's bot walk-through, compiled: if the client or the webhook payloads change shape, this fails before the
 * README misleads anyone.
 */
import { describe, it } from 'vitest';
import { createPachcaClient, createPachcaWebhookHandler } from '../../src/pachca/index.js';

describe('the README bot walk-through', () => {
  it('compiles: answer a command with buttons, then record the choice in a task', () => {
    // --- README: bot walk-through ---
    const pachca = createPachcaClient({ token: process.env.PACHCA_TOKEN! });

    const webhook = createPachcaWebhookHandler({
      signingSecret: process.env.PACHCA_SIGNING_SECRET!,
      on: {
        // A new message: answer "/deploy" in the message's thread, with two buttons.
        message: async (event) => {
          if (event.event !== 'new' || !event.content.startsWith('/deploy')) return;
          const { data: thread } = await pachca.createThread({ id: event.id });
          // Thread ids are int64, read as exact strings; the send takes the id as a number (int32 in the reference).
          await pachca.createMessage({
            body: {
              message: {
                entity_type: 'thread',
                entity_id: Number(thread.id),
                content: 'Deploy to production?',
                buttons: [[{ text: 'Yes', data: 'deploy:yes' }, { text: 'No', data: 'deploy:no' }]],
              },
            },
          });
        },
        // A button press: record it as a task for whoever pressed it.
        button: async (event) => {
          if (event.data !== 'deploy:yes') return;
          await pachca.createTask({ body: { task: { kind: 'reminder', content: 'Deploy to production', performer_ids: [event.user_id] } } });
        },
      },
    });
    // --- end ---
    void webhook;
  });
});
