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

/**
 * `{ data, response, requestId }` of an outcome, or its error thrown. The request id is read from the headers the
 * first time it is asked for, so a helper or an iterator that reads a call with its response for the data alone
 * (a send that is remembered, every page of a walk) does not build them. It is an own, enumerable property, so a
 * spread or `JSON.stringify` of the result holds it as before.
 */
function withResponseOf(outcome: Outcome): WithResponse<unknown> {
  if (outcome.kind !== 'data') throw outcome.failure;
  const { data, response } = outcome;
  let requestId: string | undefined | null = null;
  return {
    data,
    response,
    get requestId() {
      if (requestId === null) requestId = findRequestId((name) => response.headers.get(name));
      return requestId;
    },
  };
}

/**
 * An {@link ApiPromise} over a source that is read on demand: `data` makes the awaited result of it and `full`
 * what `.withResponse()` gives.
 */
class ReadOnDemand<T, Source> extends Promise<T> implements ApiPromise<T> {
  readonly #source: Promise<Source>;
  readonly #toData: (source: Source) => T;
  readonly #toFull: (source: Source) => WithResponse<T>;
  #data: Promise<T> | undefined;

  constructor(source: Promise<Source>, toData: (source: Source) => T, toFull: (source: Source) => WithResponse<T>) {
    // The promise itself resolves to nothing and is never read: `then` below reads the source instead.
    super((resolve) => resolve(undefined as T));
    this.#source = source;
    this.#toData = toData;
    this.#toFull = toFull;
  }

  /** `.then` of a derived promise makes a plain Promise, not another ApiPromise. */
  static override get [Symbol.species](): PromiseConstructor {
    return Promise;
  }

  #result(): Promise<T> {
    return (this.#data ??= this.#source.then(this.#toData));
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
    return this.#source.then(this.#toFull);
  }
}

/** An {@link ApiPromise} over a call's outcome. */
export class OutcomePromise<T> extends ReadOnDemand<T, Outcome> {
  constructor(outcome: Promise<Outcome>) {
    super(outcome, dataOf as (outcome: Outcome) => T, withResponseOf as (outcome: Outcome) => WithResponse<T>);
  }
}

/** An {@link ApiPromise} over a result already read with its response (a helper's result made of calls). */
export function apiPromiseOf<T>(result: Promise<WithResponse<T>>): ApiPromise<T> {
  return new ReadOnDemand(
    result,
    (read) => read.data,
    (read) => read,
  );
}

/**
 * The same call, with `effect` run on its result once it succeeds, whether it is awaited, read with
 * `.withResponse()`, or both (a client remembering the messages it posted).
 */
export function afterSuccess<T>(call: ApiPromise<T>, effect: (data: T) => void): ApiPromise<T> {
  return apiPromiseOf(
    call.withResponse().then((read) => {
      effect(read.data);
      return read;
    }),
  );
}
