/**
 * Type tests of the Pachca API as it is since August 2026: a status may be `null`, the audit log's details are
 * typed by event kind, the bot webhook's answer is the bot, a video call's event and a reaction's name are exact,
 * and a task's kind may be left out.
 */
import { describe, expectTypeOf, it } from 'vitest';
import {
  createPachcaClient,
  type AuditEvent,
  type PachcaComponents,
  type PachcaVideoCallEvent,
  type Reaction,
} from '../../src/pachca/index.js';

const client = createPachcaClient({ token: 't' });
type UserStatus = PachcaComponents['schemas']['UserStatus'];

describe('Pachca types since August 2026', () => {
  it('types a status read as the status or null, for the owner and for a user', () => {
    expectTypeOf(client.getProfileStatus).returns.resolves.toEqualTypeOf<{ data: UserStatus } | null>();
    expectTypeOf(client.getUserStatus).returns.resolves.toEqualTypeOf<{ data: UserStatus } | null>();
    void (async () => {
      const status = await client.getProfileStatus();
      // @ts-expect-error the status may be null: it must be checked before use
      void status.data;
      if (status) expectTypeOf(status.data.title).toEqualTypeOf<string>();
    });
  });

  it('types the details of an audit entry by its event_key', () => {
    const describe = (event: AuditEvent): string => {
      if (event.event_key === 'chat_renamed') return `${event.details.old_name} → ${event.details.new_name}`;
      if (event.event_key === 'user_role_changed') return event.details.new_company_role;
      if (event.event_key === 'video_call_recording_ready') {
        // int64 sizes come as decimal strings
        expectTypeOf(event.details.size).toEqualTypeOf<string>();
        return String(event.details.recording_id);
      }
      if (event.event_key === 'bot_deleted') {
        expectTypeOf(event.details.actor_id).toEqualTypeOf<number | null>();
        return String(event.details.bot_id);
      }
      if (event.event_key === 'user_login') {
        // @ts-expect-error a sign-in carries no details
        return event.details.name;
      }
      return event.event_key;
    };
    void describe;
    void client.listAuditEvents({ event_key: 'oauth_authorization_revoked' });
    // @ts-expect-error not one of the 45 kinds
    void client.listAuditEvents({ event_key: 'user_teleported' });
  });

  it('types the bot webhook answer as the bot with its settings', () => {
    expectTypeOf(client.updateBotWebhook).returns.resolves.toEqualTypeOf<{ data: PachcaComponents['schemas']['BotResponse'] }>();
  });

  it("types a video call's event and a reaction's name exactly", () => {
    expectTypeOf<PachcaVideoCallEvent['event']>().toEqualTypeOf<'started' | 'finished' | 'recording_ready'>();
    expectTypeOf<Reaction['name']>().toEqualTypeOf<string>();
  });

  it('creates a task without a kind (a reminder), and refuses an unknown kind', () => {
    void client.createTask({ body: { task: { content: 'Call back' } } });
    // @ts-expect-error not a kind of task
    void client.createTask({ body: { task: { kind: 'nap' } } });
  });
});
