/**
 * Receiving OK's webhook events. OK signs nothing, so the handler offers instead a check of the sender against
 * OK's documented source networks (off by default, since a proxy in front changes the peer; name trusted proxies
 * to read `X-Forwarded-For` behind them) and a typed parse of the event.
 */
import { checkOkEventType, webhookInt64, type components } from '../../generated/ok.js';
import { RequestValidationError, WebhookVerificationError } from '../core/errors/errors.js';
import { describeType } from '../core/errors/shape.js';
import { optionalFunction, requireHandlers, requireObject, requireString } from '../core/request/arguments.js';
import { compileInt64Paths, parseJson } from '../core/exchange/json.js';
import { clientAddress, inNetworks, parseNetwork, type Network } from '../core/webhooks/networks.js';
import { checkEventDestination, type EventDestination } from '../core/webhooks/destination.js';
import { OK_EVENT_TYPES } from './event-types.js';
import { createWebhookHandler, type WebhookHandler, type WebhookHandlerOptions } from '../core/webhooks/webhook-handler.js';

type Schemas = components['schemas'];
/** A new message (a delivery without `webhookType` is one, and is given it). */
export type OkMessageCreatedEvent = Schemas['OkMessageCreatedEvent'] & { readonly webhookType: 'MESSAGE_CREATED' };
/** A callback button pressed; answer it with `answerCallback`. */
export type OkMessageCallbackEvent = Schemas['OkMessageCallbackEvent'];
/** A system event in a chat. */
export type OkChatSystemEvent = Schemas['OkChatSystemEvent'];
/** Any delivered event, narrowed on `webhookType`. */
export type OkWebhookEvent = OkMessageCreatedEvent | OkMessageCallbackEvent | OkChatSystemEvent;

/** The networks OK documents as the source of webhook deliveries (FACTS §7). */
export const OK_SOURCE_NETWORKS: readonly string[] = ['217.20.145.192/28', '217.20.151.160/28', '217.20.153.48/28'];

/** One handler per kind of event. */
export interface OkEventHandlers {
  readonly message?: (event: OkMessageCreatedEvent) => unknown;
  readonly callback?: (event: OkMessageCallbackEvent) => unknown;
  readonly chatSystem?: (event: OkChatSystemEvent) => unknown;
  /** Every event, after its own handler. */
  readonly any?: (event: OkWebhookEvent) => unknown;
}

/** The names {@link OkEventHandlers} knows, for checking handlers given at run time. */
export const OK_HANDLER_NAMES: readonly (keyof OkEventHandlers)[] = ['message', 'callback', 'chatSystem', 'any'];

/** Parses the networks a caller gave, naming the one that is not a network. */
function networksOption(value: unknown, field: string): Network[] {
  if (!Array.isArray(value)) throw new RequestValidationError(field, `must be an array of networks in CIDR form, not ${describeType(value)}`);
  return value.map((cidr: unknown, index) => {
    try {
      return parseNetwork(requireString(cidr, `${field}[${index}]`));
    } catch (error) {
      if (error instanceof RequestValidationError) throw error;
      throw new RequestValidationError(`${field}[${index}]`, 'is not an IP network in CIDR form, such as 217.20.145.192/28');
    }
  });
}

/** Options of {@link createOkWebhookHandler}: your code (`on`) runs in the handler, or a `handoff` queues it for workers. */
export type OkWebhookHandlerOptions = OkWebhookHandlerSettings & EventDestination<OkEventHandlers>;

/** The settings of an OK webhook handler, whatever runs the code. */
export interface OkWebhookHandlerSettings extends WebhookHandlerOptions {
  /**
   * Refuse deliveries from outside these networks (CIDRs): `true` for OK's documented ones.
   * @default false (no check)
   */
  readonly sourceNetworks?: boolean | readonly string[];
  /**
   * Proxies in front of the handler (CIDRs), whose `X-Forwarded-For` is believed when checking the source.
   * @default none: the peer's own address is checked
   */
  readonly trustedProxies?: readonly string[];
  /**
   * The Fetch form has no socket; give the peer's address (Deno's `info.remoteAddr.hostname`, Bun's
   * `server.requestIP(request)`) when the source is checked.
   * @default none
   */
  readonly peerAddress?: (request: Request) => string | undefined;
}

/** The int64 fields of an event, returned as exact decimal strings as everywhere else in the client. */
export const EVENT_INT64 = compileInt64Paths(webhookInt64.event);

/** The `webhookType`s a delivery may name: the spec's event types. */
const TYPES: ReadonlySet<string> = new Set(OK_EVENT_TYPES);

/** Parses a delivered event; a delivery without `webhookType` but with a message is a new message. */
export function parseOkEvent(value: unknown): OkWebhookEvent {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new WebhookVerificationError('malformed-body', 'the body is not a JSON object');
  }
  const event = value as { webhookType?: unknown; message?: { mid?: unknown }; callbackId?: unknown };
  if (event.webhookType === undefined) {
    if (typeof event.message?.mid !== 'string') throw new WebhookVerificationError('malformed-body', 'the body is neither a typed event nor a message');
    return { ...(value as object), webhookType: 'MESSAGE_CREATED' } as OkMessageCreatedEvent;
  }
  if (typeof event.webhookType !== 'string' || !TYPES.has(event.webhookType)) {
    throw new WebhookVerificationError('malformed-body', 'the body has an unknown webhookType');
  }
  if (event.webhookType === 'MESSAGE_CALLBACK' && typeof event.callbackId !== 'string') {
    throw new WebhookVerificationError('malformed-body', 'a MESSAGE_CALLBACK event has no callbackId');
  }
  return value as OkWebhookEvent;
}

/** Calls the handler for an event's kind, then `any`. */
export async function dispatchOkEvent(event: OkWebhookEvent, on: OkEventHandlers): Promise<void> {
  requireHandlers(on, 'on', OK_HANDLER_NAMES);
  requireObject(event, 'event');
  if (event.webhookType === 'MESSAGE_CALLBACK') await on.callback?.(event);
  else if (event.webhookType === 'CHAT_SYSTEM') await on.chatSystem?.(event);
  else await on.message?.(event as OkMessageCreatedEvent);
  await on.any?.(event);
}

/** The key two deliveries of one event share (by webhook or by long polling). */
export function okEventKey(event: OkWebhookEvent): string {
  if (event.webhookType === 'MESSAGE_CALLBACK') return `ok:callback:${event.callbackId}`;
  const mid = (event as { message?: { mid?: string } }).message?.mid;
  return mid ? `ok:${event.webhookType}:${mid}` : `ok:${event.webhookType}:${JSON.stringify(event)}`;
}

/** The key of the order an event must be run in: its chat, or its kind when it names none. */
export function okOrderKey(event: OkWebhookEvent): string {
  const chat = (event as { recipient?: { chat_id?: unknown } }).recipient?.chat_id;
  return typeof chat === 'string' ? `ok:${chat}` : `ok:${event.webhookType}`;
}

/**
 * Your code for events that went through a durable hand-off: give it to a worker
 * (`queue.work({ handle: handleOkEvents({ message: … }) })`). It checks each event's shape again and calls the
 * handler for its kind.
 */
export function handleOkEvents(on: OkEventHandlers): (event: unknown) => Promise<void> {
  return (event) => dispatchOkEvent(parseOkEvent(event), on);
}

/** Creates the handler of an OK group's webhook, in a Fetch form and a Node form. */
export function createOkWebhookHandler(options: OkWebhookHandlerOptions): WebhookHandler {
  requireObject(options, 'options');
  checkEventDestination(options, OK_HANDLER_NAMES, 'in the handler');
  optionalFunction(options.peerAddress, 'peerAddress');
  const { sourceNetworks } = options;
  if (sourceNetworks !== undefined && typeof sourceNetworks !== 'boolean' && !Array.isArray(sourceNetworks)) {
    throw new RequestValidationError('sourceNetworks', 'must be true (OK\'s networks), false, or an array of networks in CIDR form');
  }
  const sources: readonly Network[] | undefined =
    sourceNetworks === true ? OK_SOURCE_NETWORKS.map(parseNetwork) : Array.isArray(sourceNetworks) ? networksOption(sourceNetworks, 'sourceNetworks') : undefined;
  const proxies = options.trustedProxies === undefined ? [] : networksOption(options.trustedProxies, 'trustedProxies');
  return createWebhookHandler<OkWebhookEvent>(
    {
      async verify(delivery) {
        if (sources) {
          const address = clientAddress(delivery.remoteAddress, delivery.headers.get('x-forwarded-for'), proxies);
          if (address === undefined) throw new WebhookVerificationError('untrusted-source', 'the sender address is unknown (give peerAddress in the Fetch form)');
          if (!inNetworks(address, sources)) throw new WebhookVerificationError('untrusted-source', `${address} is not in the trusted source networks`);
        }
        let parsed: unknown;
        try {
          parsed = parseJson(new TextDecoder().decode(delivery.body), EVENT_INT64);
        } catch {
          throw new WebhookVerificationError('malformed-body', 'the body is not JSON');
        }
        return parseOkEvent(parsed);
      },
      dedupeKey: okEventKey,
      dispatch: (event) => dispatchOkEvent(event, options.on ?? {}),
      source: 'ok',
      orderKey: okOrderKey,
    },
    options,
    // OK waits 5 s for the answer.
    4000,
    options.peerAddress,
  );
}
