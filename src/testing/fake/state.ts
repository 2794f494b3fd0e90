/**
 * What an API's stateful handlers see and give back. A handler answers one operation from the fake's memory (a
 * message created can be fetched, listed, edited and deleted); an operation without a handler is answered from
 * the spec's example.
 */

/** One checked request, as a handler reads it. */
export interface FakeExchange {
  readonly operationId: string;
  /** Path parameters, typed as the spec says (a number too long for a `number` is a `bigint`). */
  readonly path: Readonly<Record<string, unknown>>;
  /** Query parameters, typed as the spec says (a JSON parameter parsed, its long integers as `bigint`). */
  readonly query: Readonly<Record<string, unknown>>;
  /** The parsed body (JSON with long integers as `bigint`, or a form's fields). */
  readonly body: unknown;
  /** A fresh copy of the spec's example answer of the operation's success status (or of `status`). */
  example(status?: number): unknown;
  /** A fresh copy of the spec's example success answer of another operation. */
  exampleOf(operationId: string): unknown;
  /** An error answer in the API's own error shape, naming the field. */
  error(status: number, field: string, message: string, value?: unknown): FakeAnswer;
}

/** What the fake answers. */
export interface FakeAnswer {
  readonly status: number;
  readonly body?: unknown;
  readonly headers?: Readonly<Record<string, string>>;
}

/** An API's stateful handlers, by operationId; each returns the answer. */
export type FakeHandlers = Readonly<Record<string, (exchange: FakeExchange) => FakeAnswer>>;

/**
 * An API's handlers with its memory filled from the spec's examples before the first of them answers: `seed` runs
 * once, with the first exchange that reaches any handler.
 */
export function seededHandlers(handlers: FakeHandlers, seed: (exchange: FakeExchange) => void): FakeHandlers {
  let seeded = false;
  const seedOnce = (exchange: FakeExchange): void => {
    if (seeded) return;
    seeded = true;
    seed(exchange);
  };
  return Object.fromEntries(
    Object.entries(handlers).map(([id, handler]) => [
      id,
      (exchange: FakeExchange) => {
        seedOnce(exchange);
        return handler(exchange);
      },
    ]),
  );
}

/** The error body of an API for a refused field. */
export type ErrorShape = (status: number, field: string, message: string, value: unknown) => unknown;

/** Ids handed out once each, above every id the examples use. */
export class IdSequence {
  #next: number;
  constructor(start: number) {
    this.#next = start;
  }
  /** Raises the sequence above an id already in use. */
  seen(id: unknown): void {
    const value = Number(id);
    if (Number.isFinite(value) && value >= this.#next) this.#next = Math.floor(value) + 1;
  }
  next(): number {
    return this.#next++;
  }
}

/** The key a resource is stored under: its id's decimal digits, whatever type carried them. */
export function key(id: unknown): string {
  return String(id);
}

/** One page of a list, with an opaque cursor that is the offset of the next page. */
export function page<T>(items: readonly T[], limit: unknown, cursor: unknown, fallbackLimit = 50): { items: T[]; next: string | undefined } {
  const start = typeof cursor === 'string' && /^o\d+$/.test(cursor) ? Number(cursor.slice(1)) : 0;
  const size = typeof limit === 'number' && limit > 0 ? limit : fallbackLimit;
  const slice = items.slice(start, start + size);
  return { items: slice, next: start + size < items.length ? `o${start + size}` : undefined };
}

/** The last second {@link now} wrote, and how: a burst of calls in one second writes it once. */
let lastSecond: { readonly at: number; readonly text: string } | undefined;

/** The current time as the APIs write it: whole seconds, `.000Z`. */
export function now(): string {
  const at = Math.floor(Date.now() / 1000) * 1000;
  if (lastSecond?.at !== at) lastSecond = { at, text: new Date(at).toISOString() };
  return lastSecond.text;
}
