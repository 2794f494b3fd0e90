/**
 * The promise every typed method returns. It settles nothing on its own: awaiting it (or `.then`) reads the
 * call's result, `.withResponse()` reads the result with its response, and only what is asked for can reject,
 * so a caller who uses `.withResponse()` alone never leaves an unhandled rejection behind.
 */
import { findRequestId } from '../errors/errors.js';
import type { Outcome } from '../exchange/response.js';
import type { ApiPromise, WithResponse } from './types.js';

/** Awaiting the call's outcome: its data, or its error thrown. */
function dataOf(outcome: Outcome): unknown {
  if (outcome.kind !== 'data') throw outcome.failure;
  return outcome.data;
}

/** `{ data, response, requestId }` of an outcome, or its error thrown. */
function withResponseOf(outcome: Outcome): WithResponse<unknown> {
  if (outcome.kind !== 'data') throw outcome.failure;
  return { data: outcome.data, response: outcome.response, requestId: findRequestId((name) => outcome.response.headers.get(name)) };
}

/** An {@link ApiPromise} over a call's outcome. */
export class OutcomePromise<T> extends Promise<T> implements ApiPromise<T> {
  readonly #outcome: Promise<Outcome>;
  #data: Promise<T> | undefined;

  constructor(outcome: Promise<Outcome>) {
    // The promise itself resolves to nothing and is never read: `then` below reads the outcome instead.
    super((resolve) => resolve(undefined as T));
    this.#outcome = outcome;
  }

  /** `.then` of a derived promise makes a plain Promise, not another OutcomePromise. */
  static override get [Symbol.species](): PromiseConstructor {
    return Promise;
  }

  #result(): Promise<T> {
    return (this.#data ??= this.#outcome.then(dataOf) as Promise<T>);
  }

  override then<A = T, B = never>(onFulfilled?: ((value: T) => A | PromiseLike<A>) | null, onRejected?: ((reason: unknown) => B | PromiseLike<B>) | null): Promise<A | B> {
    return this.#result().then(onFulfilled, onRejected);
  }

  override catch<B = never>(onRejected?: ((reason: unknown) => B | PromiseLike<B>) | null): Promise<T | B> {
    return this.#result().catch(onRejected);
  }

  override finally(onFinally?: (() => void) | null): Promise<T> {
    return this.#result().finally(onFinally);
  }

  withResponse(): Promise<WithResponse<T>> {
    return this.#outcome.then(withResponseOf) as Promise<WithResponse<T>>;
  }
}
