/**
 * One webhook handler, two framework forms: a Fetch API form `(request) => Promise<Response>` (Hono, Next.js route
 * handlers, Bun, Deno, Workers) and a Node form `(req, res)` (node:http, Express, Fastify) that reads the raw body
 * itself. An API supplies how a delivery is checked and parsed, how duplicates are recognised and how events are
 * dispatched; this file decides what is answered:
 *
 * - a failed check: 4xx (400 malformed, 401 signature, 403 source, 413 too large), and the event is not run;
 * - a duplicate (at-least-once delivery): 200, and the event is not run again;
 * - the user's code finishes within `ackAfterMs`: 200, or 500 when it threw, so that the vendor delivers again;
 * - the user's code is still running at `ackAfterMs`: 200 at once, so the vendor's deadline is not missed, and the
 *   code goes on; if it then fails, `onError` hears of it and the claim is released, so a redelivery would run.
 *
 * With a `handoff` (a durable queue, e.g. `createRedisEventQueue(...).handoff` from the node entry) the user's code
 * does not run here at all: the event is written to the queue, which also drops duplicates, and the answer is 200
 * as soon as it is stored (503 when the queue is full, 500 when it cannot be reached: the vendor delivers again).
 * Workers run the code and acknowledge it only once it finished, so an event answered 200 is never lost.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createMemoryDeliveryStore, type DeliveryStore, DEFAULT_REMEMBER_MS } from './deliveries.js';
import { WebhookVerificationError, type WebhookRejection } from '../errors/errors.js';
import { HandoffFullError, type EventHandoff } from './handoff.js';
import { optionalFunction, optionalMethods, optionalNumber, requireObject } from '../request/arguments.js';

/** Checks the options every handler takes, when the handler is made rather than at the first delivery. */
function checkHandlerOptions(options: unknown): void {
  const fields = requireObject(options, 'options');
  optionalMethods(fields.store, 'store', ['claim', 'release']);
  optionalNumber(fields.rememberMs, 'rememberMs', { min: 1, integer: true });
  // setTimeout's longest delay: a longer one would fire at once.
  optionalNumber(fields.ackAfterMs, 'ackAfterMs', { min: 0, max: 2_147_483_647 });
  optionalNumber(fields.maxBodyBytes, 'maxBodyBytes', { min: 0, integer: true });
  optionalFunction(fields.onError, 'onError');
}

/** What a delivery brought, as a check sees it. */
export interface IncomingDelivery {
  /** The raw bytes of the body, exactly as they arrived. */
  readonly body: Uint8Array;
  readonly headers: Headers;
  /** The peer's address (the socket's, in the Node form), when known. */
  readonly remoteAddress: string | undefined;
}

/** What an API gives the handler. */
export interface WebhookReceiver<Event> {
  /** Checks a delivery and parses its event; throws `WebhookVerificationError`. */
  verify(delivery: IncomingDelivery): Promise<Event>;
  /** The key two copies of one event share. */
  dedupeKey(event: Event): string | Promise<string>;
  /** Runs the user's code for one event. */
  dispatch(event: Event): Promise<void>;
  /** The API's name, written with a handed-off event. */
  readonly source: string;
  /** The key events that must run in order share (their chat). */
  orderKey(event: Event): string;
}

/** The options every webhook handler takes. */
export interface WebhookHandlerOptions {
  /**
   * Remembers handled events so that a second delivery is dropped. Not with `handoff`, which drops duplicates
   * itself.
   * @default an in-memory store of the last 10,000 events
   */
  readonly store?: DeliveryStore;
  /**
   * A durable queue (`createRedisEventQueue(...).handoff` from the node entry): the handler only verifies and
   * stores each event and answers at once; workers run your code (`on` is then not called here) and acknowledge
   * an event only after it finished. Refused together with `store` or `ackAfterMs`, which it makes meaningless.
   * @default none: your code runs in the handler
   */
  readonly handoff?: EventHandoff;
  /**
   * How long an event is remembered as handled (or queued, with `handoff`), in milliseconds.
   * @default 3600000 (one hour)
   */
  readonly rememberMs?: number;
  /**
   * How long to wait for your code before answering 200 anyway, in milliseconds.
   * @default the API's: 2000 for Pachca (a button's trigger_id lives 3 s), 4000 for OK (its 5 s deadline)
   */
  readonly ackAfterMs?: number;
  /**
   * The largest body accepted, in bytes; a larger one is refused with 413.
   * @default 1048576 (1 MiB)
   */
  readonly maxBodyBytes?: number;
  /**
   * Hears of refused deliveries and of failures of your code (also those after the answer was sent).
   * @default nothing
   */
  readonly onError?: (error: unknown) => void;
}

/** A webhook handler in both forms. */
export interface WebhookHandler {
  /** The Fetch API form, for Hono, Next.js route handlers, Bun, Deno and Workers. */
  fetch(request: Request): Promise<Response>;
  /** The Node form, for node:http, Express and Fastify; it reads the raw body itself. */
  node(req: IncomingMessage, res: ServerResponse): void;
}

/** What the handler answers. */
interface Answer {
  readonly status: number;
  readonly body: Record<string, unknown>;
  readonly headers?: Readonly<Record<string, string>>;
}

const STATUS_FOR: Readonly<Record<WebhookRejection, number>> = {
  'missing-signature': 401,
  'bad-signature': 401,
  'stale-timestamp': 401,
  'raw-body-unavailable': 400,
  'malformed-body': 400,
  'untrusted-source': 403,
  'too-large': 413,
};

const PARSED_BODY =
  'the body was already parsed (by a JSON body parser, say); re-serialising it does not give back the bytes that ' +
  'were signed. Mount the handler before the parser, or use a raw body parser (express.raw()).';

/** Reads a Node request's raw body, or the raw body a framework kept; refuses a parsed one. */
async function nodeBody(req: IncomingMessage & { body?: unknown; rawBody?: unknown }, maxBytes: number): Promise<Uint8Array> {
  const kept = req.rawBody ?? req.body;
  if (kept instanceof Uint8Array) return new Uint8Array(kept);
  if (typeof kept === 'string') return new TextEncoder().encode(kept);
  if (kept !== undefined && kept !== null) throw new WebhookVerificationError('raw-body-unavailable', PARSED_BODY);
  if (req.readableEnded) throw new WebhookVerificationError('raw-body-unavailable', 'the request body was already read by someone else');
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > maxBytes) throw new WebhookVerificationError('too-large', `the body is larger than ${maxBytes} bytes`);
    chunks.push(chunk as Buffer);
  }
  return new Uint8Array(Buffer.concat(chunks));
}

/** Reads a Fetch request's raw body. */
async function fetchBody(request: Request, maxBytes: number): Promise<Uint8Array> {
  if (request.bodyUsed) throw new WebhookVerificationError('raw-body-unavailable', 'the request body was already read');
  const declared = Number(request.headers.get('content-length') ?? '0');
  if (declared > maxBytes) throw new WebhookVerificationError('too-large', `the body is larger than ${maxBytes} bytes`);
  const bytes = new Uint8Array(await request.arrayBuffer());
  if (bytes.byteLength > maxBytes) throw new WebhookVerificationError('too-large', `the body is larger than ${maxBytes} bytes`);
  return bytes;
}

/** Turns a Node request's headers into `Headers`. */
function nodeHeaders(req: IncomingMessage): Headers {
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (Array.isArray(value)) for (const item of value) headers.append(name, item);
    else if (value !== undefined) headers.set(name, value);
  }
  return headers;
}

/** Builds the handler of one API. */
export function createWebhookHandler<Event>(
  receiver: WebhookReceiver<Event>,
  options: WebhookHandlerOptions,
  defaultAckAfterMs: number,
  clientAddress?: (request: Request) => string | undefined,
): WebhookHandler {
  checkHandlerOptions(options);
  const { handoff } = options;
  if (handoff && options.store !== undefined) throw new TypeError('store has no effect with handoff: the queue drops duplicates itself; give one or the other');
  if (handoff && options.ackAfterMs !== undefined) throw new TypeError('ackAfterMs has no effect with handoff: the handler answers as soon as the event is queued');
  const ackAfterMs = options.ackAfterMs ?? defaultAckAfterMs;
  const store = options.store ?? createMemoryDeliveryStore();
  const rememberMs = options.rememberMs ?? DEFAULT_REMEMBER_MS;
  if (!(Number.isInteger(rememberMs) && rememberMs > 0)) throw new RangeError(`rememberMs must be a positive whole number of milliseconds, got ${rememberMs}`);
  const maxBodyBytes = options.maxBodyBytes ?? 1_048_576;
  const report = (error: unknown): void => {
    try {
      options.onError?.(error);
    } catch {
      // A failing error hook must not turn into an unhandled rejection.
    }
  };

  async function handle(read: () => Promise<IncomingDelivery>): Promise<Answer> {
    let event: Event;
    try {
      event = await receiver.verify(await read());
    } catch (error) {
      if (!(error instanceof WebhookVerificationError)) throw error;
      report(error);
      return { status: STATUS_FOR[error.reason], body: { error: error.reason } };
    }
    const key = await receiver.dedupeKey(event);
    if (handoff) {
      const outcome = await handoff.enqueue({ key, orderKey: receiver.orderKey(event), source: receiver.source, event, rememberMs });
      if (outcome === 'duplicate') return { status: 200, body: { ok: true, duplicate: true } };
      if (outcome === 'full') {
        report(new HandoffFullError());
        return { status: 503, body: { error: 'queue-full' }, headers: { 'retry-after': '5' } };
      }
      return { status: 200, body: { ok: true, queued: true } };
    }
    if (!(await store.claim(key, rememberMs))) return { status: 200, body: { ok: true, duplicate: true } };
    const running = receiver.dispatch(event);
    let timer: ReturnType<typeof setTimeout> | undefined;
    const budget = new Promise<'late'>((resolve) => {
      timer = setTimeout(() => resolve('late'), ackAfterMs);
    });
    try {
      const outcome = await Promise.race([running.then(() => 'done' as const), budget]);
      if (outcome === 'late') {
        running.catch(async (error: unknown) => {
          await store.release(key);
          report(error);
        });
        return { status: 200, body: { ok: true, pending: true } };
      }
      return { status: 200, body: { ok: true } };
    } catch (error) {
      // The vendor delivers again after a 5xx; the claim is released so that the redelivery runs.
      await store.release(key);
      report(error);
      return { status: 500, body: { error: 'handler-failed' } };
    } finally {
      clearTimeout(timer);
    }
  }

  return {
    async fetch(request) {
      const answer = await handle(async () => ({
        body: await fetchBody(request, maxBodyBytes),
        headers: request.headers,
        remoteAddress: clientAddress?.(request),
      })).catch((error: unknown): Answer => {
        report(error);
        return { status: 500, body: { error: 'internal' } };
      });
      return new Response(JSON.stringify(answer.body), { status: answer.status, headers: { 'content-type': 'application/json', ...answer.headers } });
    },
    node(req, res) {
      handle(async () => ({ body: await nodeBody(req, maxBodyBytes), headers: nodeHeaders(req), remoteAddress: req.socket?.remoteAddress }))
        .catch((error: unknown): Answer => {
          report(error);
          return { status: 500, body: { error: 'internal' } };
        })
        .then((answer) => {
          if (!res.headersSent) res.writeHead(answer.status, { 'content-type': 'application/json', ...answer.headers });
          res.end(JSON.stringify(answer.body));
        });
    },
  };
}
