/**
 * Service messages: OK reports some chat events (a user leaving, for one) as a message whose text is a small
 * JSON document, `{"ui":1234567890123,"ty":"EXIT"}`: `ui` is the user, `ty` the action.
 */
import type { components } from '../../generated/ok.js';
import { compileInt64Paths, parseJson } from '../core/exchange/json.js';

/** A message envelope as `listMessages` returns it. */
export type OkMessageEnvelope = components['schemas']['MessageEnvelope'];
/** The `message` part of an envelope. */
export type OkIncomingMessage = components['schemas']['IncomingMessage'];

/** The event a service message stands for. */
export type OkServiceEvent =
  | {
      /** A user left the chat (`ty` `EXIT`). */
      readonly kind: 'userLeft';
      readonly action: 'EXIT';
      /** The user, as `user:<id>`. */
      readonly userId: string;
    }
  | {
      /** An action this library does not know; `action` is the raw `ty`. */
      readonly kind: 'other';
      readonly action: string;
      readonly userId: string;
    };

/** `ui` may be a long user id: read it exactly. */
const UI_PATH = compileInt64Paths(['ui']);

/**
 * Turns a service message into a typed event, or returns `undefined` for an ordinary message.
 * Accepts an envelope from `listMessages` or just its `message`.
 */
export function parseServiceMessage(message: OkMessageEnvelope | OkIncomingMessage): OkServiceEvent | undefined {
  const text = 'mid' in message ? message.text : message.message.text;
  if (text === undefined || !text.startsWith('{')) return undefined;
  let document: unknown;
  try {
    document = parseJson(text, UI_PATH);
  } catch {
    return undefined;
  }
  const { ui, ty } = (document ?? {}) as { ui?: unknown; ty?: unknown };
  if (typeof ty !== 'string' || typeof ui !== 'string' || !/^\d+$/.test(ui)) return undefined;
  const userId = `user:${ui}`;
  return ty === 'EXIT' ? { kind: 'userLeft', action: 'EXIT', userId } : { kind: 'other', action: ty, userId };
}
