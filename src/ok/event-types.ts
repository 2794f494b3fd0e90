/**
 * OK's event types as its spec states them: the enum of a long-polling subscription's `types`. Every type a
 * delivery's `webhookType` names is one of them (test/unit/ok-webhooks.test.ts holds the two lists of the spec
 * together), so the poller and the webhook parser both read this one list.
 */
import { checkSubscribeRequest, type components } from '../../generated/ok.js';

/** The event kinds a long-polling subscription can keep. */
export type OkEventType = Extract<components['schemas']['SubscribeRequest'], { longPolling: true }>['types'][number];

/** Every event type, in the spec's order. */
export const OK_EVENT_TYPES = (checkSubscribeRequest.oneOf?.find((branch) => branch.properties?.types)?.properties?.types?.items?.enum ?? []) as readonly OkEventType[];
