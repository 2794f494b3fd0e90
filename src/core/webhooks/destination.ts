/**
 * Where received events go, for a webhook handler and a poller alike: the user's code in this process (`on`,
 * one handler per kind of event), or a durable hand-off whose workers run it (`handoff`); exactly one of the two.
 */
import { requireHandlers } from '../request/arguments.js';
import type { EventHandoff } from './handoff.js';

/** Your code (`on`) runs here, or a `handoff` queues each event for workers; never both. */
export type EventDestination<Handlers> =
  | {
      /** Your code, per kind of event. */
      readonly on: Handlers;
      readonly handoff?: never;
    }
  | {
      readonly on?: never;
      /**
       * A durable queue (`createRedisEventQueue(...).handoff`): each event is queued; workers run your code
       * (`handle<Api>Events(on)`).
       */
      readonly handoff: EventHandoff;
    };

/**
 * Checks that exactly one of `on` and `handoff` was given, and the handlers' names against `handlerNames`.
 *
 * @param runs - where `on` runs, for the message: `here` (a poller) or `in the handler`
 */
export function checkEventDestination(options: { readonly on?: unknown; readonly handoff?: unknown }, handlerNames: readonly string[], runs: string): void {
  if ((options.on === undefined) === (options.handoff === undefined)) {
    throw new TypeError(`give either on (your code runs ${runs}) or handoff (workers run it), not both`);
  }
  if (options.on !== undefined) requireHandlers(options.on, 'on', handlerNames);
}
