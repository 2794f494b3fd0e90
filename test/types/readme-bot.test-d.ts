/**
 * The README's bot walk-through, compiled: if the client or the webhook payloads change shape, this fails before the
 * README misleads anyone.
 */
import { describe, it } from 'vitest';
import { createPachcaClient, createPachcaWebhookHandler } from '../../src/pachca/index.js';

describe('the README bot walk-through', () => {
  it('compiles: find a user by email, message them with a button, open a form on the press, read the submission', () => {
    // --- README: bot walk-through ---
    const pachca = createPachcaClient();

    // Look a colleague up by email, then write to them: a message to a user opens (or reuses) the direct chat.
    async function askForLeave(email: string): Promise<void> {
      for await (const user of pachca.iterateUsers({ query: email })) {
        if (user.email !== email) continue;
        await pachca.createMessage({
          body: {
            message: {
              entity_type: 'user',
              entity_id: user.id,
              content: 'Time to plan your leave.',
              buttons: [[{ text: 'Request leave', data: 'leave:open' }]],
            },
          },
        });
        return;
      }
    }

    const webhook = createPachcaWebhookHandler({
      signingSecret: process.env.PACHCA_SIGNING_SECRET!,
      on: {
        // The button was pressed: open a form while the trigger lives (3 s; the handler acknowledges after 2 s).
        button: async (event) => {
          if (event.data !== 'leave:open') return;
          await pachca.openView({
            body: {
              type: 'modal',
              trigger_id: event.trigger_id,
              callback_id: 'leave_request',
              view: {
                title: 'Leave request',
                blocks: [
                  { type: 'date', name: 'first_day', label: 'First day', required: true },
                  { type: 'date', name: 'last_day', label: 'Last day', required: true },
                  { type: 'input', name: 'note', label: 'Anything else', multiline: true },
                ],
              },
            },
          });
        },
        // The form was submitted: its values arrive by field name.
        view: async (event) => {
          if (event.callback_id === 'leave_request') console.log(event.user_id, event.data);
        },
      },
    });
    // --- end ---
    void webhook;
    void askForLeave;
  });
});
