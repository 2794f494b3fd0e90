/**
 * OK's event types as its spec states them (`OkEventType`): what a long-polling subscription keeps and what a
 * delivery's `webhookType` names (test/unit/ok-webhooks.test.ts holds the spec's two lists together), so the
 * poller and the webhook parser both read this one list.
 */
import { checkOkEventType, type components } from '../../generated/ok.js';

/** The event kinds a long-polling subscription can keep, and a delivery can name. */
export type OkEventType = components['schemas']['OkEventType'];

/** Every event type, in the spec's order. */
export const OK_EVENT_TYPES = checkOkEventType.enum as readonly OkEventType[];
