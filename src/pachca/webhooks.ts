/**
 * Receiving Pachca's outgoing webhooks: the `Pachca-Signature` check (hex HMAC-SHA256 of the raw body under the
 * bot's signing secret, compared in constant time by Web Crypto), the replay window on `webhook_timestamp`, and a
 * typed event. Also `signPachcaWebhook`, which makes a valid delivery for a bot's own tests.
 */
import type { components } from '../../generated/pachca.js';
import { requireSecret } from '../core/exchange/credentials.js';
import { WebhookVerificationError } from '../core/errors/errors.js';
import { hmacKey, hmacSha256Hex, toHex, verifyHmacSha256Hex } from '../core/webhooks/hmac.js';
import { checkEventDestination, type EventDestination } from '../core/webhooks/destination.js';
import { createWebhookHandler, type WebhookHandler, type WebhookHandlerOptions } from '../core/webhooks/webhook-handler.js';
import { optionalFunction, optionalNumber, requireHandlers, requireObject } from '../core/request/arguments.js';
import { RequestValidationError } from '../core/errors/errors.js';
import { describeType } from '../core/errors/shape.js';
import { checkJsonValue } from '../core/request/values.js';

/** Checks the options of the check itself (the secret is checked where the key is made). */
function checkVerifyOptions(options: PachcaVerifyOptions): PachcaVerifyOptions {
  const fields = requireObject(options, 'options');
  optionalNumber(fields.replayWindowMs, 'replayWindowMs', { min: 0 });
  optionalFunction(fields.now, 'now');
  return fields;
}

type Schemas = components['schemas'];
/** A new, edited or deleted message. */
export type PachcaMessageEvent = Schemas['MessageWebhookPayload'];
/** A reaction added or removed. */
export type PachcaReactionEvent = Schemas['ReactionWebhookPayload'];
/** A button pressed. */
export type PachcaButtonEvent = Schemas['ButtonWebhookPayload'];
/** A form submitted. */
export type PachcaViewSubmitEvent = Schemas['ViewSubmitWebhookPayload'];
/** Users added to or removed from a chat. */
export type PachcaChatMemberEvent = Schemas['ChatMemberWebhookPayload'];
/** Company members invited, changed or removed. */
export type PachcaCompanyMemberEvent = Schemas['CompanyMemberWebhookPayload'];
/** Links to unfurl. */
export type PachcaLinkSharedEvent = Schemas['LinkSharedWebhookPayload'];
/** A video call. */
export type PachcaVideoCallEvent = Schemas['VideoCallWebhookPayload'];
/** Any delivered event: narrow on `type` (and on `event` for `type: 'message'`). */
export type PachcaWebhookEvent = Schemas['WebhookPayload'];

/** The header that carries the signature. */
export const PACHCA_SIGNATURE_HEADER = 'pachca-signature';

/** One handler per kind of event; leave out those the bot does not care about. */
export interface PachcaEventHandlers {
  readonly message?: (event: PachcaMessageEvent) => unknown;
  readonly reaction?: (event: PachcaReactionEvent) => unknown;
  readonly button?: (event: PachcaButtonEvent) => unknown;
  readonly view?: (event: PachcaViewSubmitEvent) => unknown;
  readonly chatMember?: (event: PachcaChatMemberEvent) => unknown;
  readonly companyMember?: (event: PachcaCompanyMemberEvent) => unknown;
  readonly linkShared?: (event: PachcaLinkSharedEvent) => unknown;
  readonly videoCall?: (event: PachcaVideoCallEvent) => unknown;
  /** Every event, after its own handler. */
  readonly any?: (event: PachcaWebhookEvent) => unknown;
}

/** The names {@link PachcaEventHandlers} knows, for checking handlers given at run time. */
export const PACHCA_HANDLER_NAMES: readonly (keyof PachcaEventHandlers)[] = ['message', 'reaction', 'button', 'view', 'chatMember', 'companyMember', 'linkShared', 'videoCall', 'any'];

/** Options of {@link verifyPachcaWebhook}. */
export interface PachcaVerifyOptions {
  /** The bot's signing secret, from its settings. Never printed. */
  readonly signingSecret: string;
  /**
   * How far `webhook_timestamp` may be from now, either way, in milliseconds.
   * @default 60000 (the vendor's guide)
   */
  readonly replayWindowMs?: number;
  /**
   * The clock, for tests.
   * @default Date.now
   */
  readonly now?: () => number;
}

/** Options of {@link createPachcaWebhookHandler}: your code (`on`) runs in the handler, or a `handoff` queues it for workers. */
export type PachcaWebhookHandlerOptions = PachcaVerifyOptions & WebhookHandlerOptions & EventDestination<PachcaEventHandlers>;

const KINDS = new Set(['message', 'reaction', 'button', 'view', 'chat_member', 'company_member', 'video_call']);

/** Parses a payload into the union, refusing what is not one of its variants. */
export function parsePachcaEvent(value: unknown): PachcaWebhookEvent {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new WebhookVerificationError('malformed-body', 'the body is not a JSON object');
  }
  const { type, event } = value as { type?: unknown; event?: unknown };
  if (typeof type !== 'string' || !KINDS.has(type)) throw new WebhookVerificationError('malformed-body', 'the body has no known `type`');
  if (typeof event !== 'string') throw new WebhookVerificationError('malformed-body', 'the body has no `event`');
  return value as PachcaWebhookEvent;
}

/** Checks a delivery's signature and timestamp and returns its event; throws `WebhookVerificationError`. */
export function verifyPachcaWebhook(
  body: Uint8Array | string,
  signature: string | null | undefined,
  options: PachcaVerifyOptions,
): Promise<PachcaWebhookEvent> {
  checkVerifyOptions(options);
  // A delivery's body is bytes or text; anything else cannot be what was signed.
  if (typeof body !== 'string' && !(body instanceof Uint8Array)) throw new RequestValidationError('body', `must be the raw body as a Uint8Array or a string, not ${describeType(body)}`);
  if (signature !== undefined && signature !== null && typeof signature !== 'string') throw new RequestValidationError('signature', `must be the header's text, not ${describeType(signature)}`);
  return verifyWithKey(body, signature, options, hmacKey(requireSecret(options.signingSecret, 'signingSecret')));
}

/** {@link verifyPachcaWebhook} with the key already imported (once per handler). */
async function verifyWithKey(
  body: Uint8Array | string,
  signature: string | null | undefined,
  options: PachcaVerifyOptions,
  keyPromise: Promise<CryptoKey>,
): Promise<PachcaWebhookEvent> {
  if (!signature) throw new WebhookVerificationError('missing-signature', 'the Pachca-Signature header is missing');
  const bytes = typeof body === 'string' ? new TextEncoder().encode(body) : body;
  const key = await keyPromise;
  if (!(await verifyHmacSha256Hex(key, bytes, signature))) {
    throw new WebhookVerificationError('bad-signature', 'the signature does not match the body under the signing secret');
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(new TextDecoder().decode(bytes));
  } catch {
    throw new WebhookVerificationError('malformed-body', 'the body is not JSON');
  }
  const event = parsePachcaEvent(parsed);
  const timestamp = (event as { webhook_timestamp?: unknown }).webhook_timestamp;
  if (typeof timestamp !== 'number' || !Number.isFinite(timestamp)) {
    throw new WebhookVerificationError('malformed-body', 'the body has no numeric webhook_timestamp');
  }
  const window = options.replayWindowMs ?? 60_000;
  if (Math.abs((options.now ?? Date.now)() - timestamp * 1000) > window) {
    throw new WebhookVerificationError('stale-timestamp', `webhook_timestamp is more than ${window} ms away from now`);
  }
  return event;
}

/** A stable key for one event: its content without the delivery's timestamp, which a redelivery may change. */
export async function pachcaEventKey(event: PachcaWebhookEvent): Promise<string> {
  const { webhook_timestamp: _timestamp, ...content } = event as PachcaWebhookEvent & { webhook_timestamp?: number };
  const canonical = JSON.stringify(content, Object.keys(content).sort());
  return `pachca:${toHex(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(canonical)))}`;
}

/** Calls the handler for an event's kind, then `any`. */
export async function dispatchPachcaEvent(event: PachcaWebhookEvent, on: PachcaEventHandlers): Promise<void> {
  requireHandlers(on, 'on', PACHCA_HANDLER_NAMES);
  requireObject(event, 'event');
  switch (event.type) {
    case 'message':
      if (event.event === 'link_shared') await on.linkShared?.(event as PachcaLinkSharedEvent);
      else await on.message?.(event as PachcaMessageEvent);
      break;
    case 'reaction':
      await on.reaction?.(event);
      break;
    case 'button':
      await on.button?.(event);
      break;
    case 'view':
      await on.view?.(event);
      break;
    case 'chat_member':
      await on.chatMember?.(event);
      break;
    case 'company_member':
      await on.companyMember?.(event);
      break;
    case 'video_call':
      await on.videoCall?.(event);
      break;
  }
  await on.any?.(event);
}

/**
 * The key of the order an event must be run in: its chat, or its kind for events outside any chat (company
 * members). Events with one order key run one at a time through a durable hand-off.
 */
export function pachcaOrderKey(event: PachcaWebhookEvent): string {
  const chat = (event as { chat_id?: unknown }).chat_id;
  return typeof chat === 'number' ? `pachca:chat:${chat}` : `pachca:${event.type}`;
}

/**
 * Your code for events that went through a durable hand-off: give it to a worker
 * (`queue.work({ handle: handlePachcaEvents({ message: … }) })`). It checks each event's shape again, since the
 * queue is outside this process, and calls the handler for its kind.
 */
export function handlePachcaEvents(on: PachcaEventHandlers): (event: unknown) => Promise<void> {
  return (event) => dispatchPachcaEvent(parsePachcaEvent(event), on);
}

/**
 * Creates the handler of a bot's outgoing webhook, in a Fetch form and a Node form. See
 * src/core/webhooks/webhook-handler.ts for what it answers when.
 */
export function createPachcaWebhookHandler(options: PachcaWebhookHandlerOptions): WebhookHandler {
  checkVerifyOptions(options);
  checkEventDestination(options, PACHCA_HANDLER_NAMES, 'in the handler');
  const keyPromise = hmacKey(requireSecret(options.signingSecret, 'signingSecret'));
  return createWebhookHandler<PachcaWebhookEvent>(
    {
      verify: (delivery) => verifyWithKey(delivery.body, delivery.headers.get(PACHCA_SIGNATURE_HEADER), options, keyPromise),
      dedupeKey: pachcaEventKey,
      dispatch: (event) => dispatchPachcaEvent(event, options.on ?? {}),
      source: 'pachca',
      orderKey: pachcaOrderKey,
    },
    options,
    2000,
  );
}

/** Options of {@link signPachcaWebhook}. */
export interface SignPachcaWebhookOptions {
  /**
   * The delivery time in UNIX seconds, written into `webhook_timestamp` when the body is an object.
   * @default now
   */
  readonly timestamp?: number;
}

/** A signed delivery: the exact body and the headers to send it with. */
export interface SignedPachcaDelivery {
  readonly body: string;
  readonly headers: Readonly<Record<string, string>>;
}

/**
 * Signs a delivery as Pachca would, for a bot's tests: an object body gets `webhook_timestamp` (from
 * `options.timestamp`, or now) and is serialised; a string body is signed as it is.
 */
export async function signPachcaWebhook(
  body: string | object,
  signingSecret: string,
  options: SignPachcaWebhookOptions = {},
): Promise<SignedPachcaDelivery> {
  requireObject(options, 'options');
  optionalNumber(options.timestamp, 'timestamp', { min: 0 });
  if (typeof body !== 'string') checkJsonValue(requireObject(body, 'body'), 'body');
  const text =
    typeof body === 'string' ? body : JSON.stringify({ ...body, webhook_timestamp: options.timestamp ?? Math.floor(Date.now() / 1000) });
  const signature = await hmacSha256Hex(await hmacKey(requireSecret(signingSecret, 'signingSecret')), new TextEncoder().encode(text));
  return { body: text, headers: { 'content-type': 'application/json', 'pachca-signature': signature } };
}
