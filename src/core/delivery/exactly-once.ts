/**
 * An exactly-once send. A send that succeeds, or fails in a way that says whether it was posted, ends as a plain
 * send does, and costs nothing more. One that fails after its request may have reached the server (a
 * `NetworkError` or `TimeoutError` with `reached: 'possibly'`, or a 5xx, which a proxy may send after the
 * server committed) is resolved by looking: after a settle time the
 * client reads the chat and looks for its message. Found: the call resolves to it, marked `recovered`. Certainly
 * absent: it sends once more (once per call, whatever that send's outcome). Undecidable: it throws the original
 * error, with `undecided` saying why.
 *
 * The guarantee is only as good as the look: a server that commits the message later than the settle time after
 * the failure can still end up with two. See the README's section on unclear sends.
 */
import { apiPromiseOf } from '../client/api-promise.js';
import type { ApiPromise, CallOptions, RequestLogEntry, WithResponse } from '../client/types.js';
import type { Clock } from '../exchange/clock.js';
import { AbortError, ClientError, NetworkError, RequestValidationError, ServerError, TimeoutError } from '../errors/errors.js';
import type { CallObserver } from '../telemetry/observer.js';
import type { LazyTelemetry } from '../telemetry/lazy.js';

/** How an exactly-once send looks for a message whose send had an unclear outcome. */
export interface ExactlyOnceOptions {
  /**
   * How long to wait, after a send failed with an unclear outcome, before looking for the message: time for the
   * server to finish committing a message it received. A message committed later than this may be sent twice.
   * @default 3000
   */
  readonly settleMs?: number;
  /**
   * How far the server's clock may lag behind this machine's, in milliseconds: a message created earlier than
   * the send's start minus this is never taken for it. Larger values tolerate worse clocks but widen the window
   * in which an identical message sent elsewhere makes the look-up undecidable.
   * @default 10000
   */
  readonly clockSkewMs?: number;
  /**
   * How many of the chat's newest messages to read at most. When more than this arrived since the send began,
   * the look-up cannot be sure and the call throws the original error.
   * @default 50
   */
  readonly lookback?: number;
}

/** The options of `sendExactlyOnce`: a call's options and how to look for the message. */
export type ExactlyOnceCallOptions = CallOptions & ExactlyOnceOptions;

/** What `sendExactlyOnce` resolves to: the send's answer, and whether it was found by looking instead. */
export type Recovered<Result> = Result & {
  /**
   * `true` when the send's outcome was unclear and its message was found in the chat: the answer is built from
   * the message found, not from the server's answer to the send.
   */
  readonly recovered: boolean;
};

/** The bounds of a look-up. */
export interface LookupWindow {
  /** A message created (by the server's clock, in epoch milliseconds) before this is not the send's. */
  readonly since: number;
  /** How many of the chat's newest messages to read at most. */
  readonly lookback: number;
  /** The options every look-up request is made with: the caller's headers, and the look-up's own time limit. */
  readonly options: CallOptions;
}

/**
 * What a look-up concluded. A message found comes with the response of the read that found it, which is what
 * `.withResponse()` of a recovered send gives.
 */
export type Verdict<Result> = { readonly found: WithResponse<Result> } | { readonly absent: true } | { readonly undecided: string };

/** How one API sends a message and looks for it. */
export interface UnclearSend<Result> {
  /** Sends the message once; resolves to the answer with its response. */
  send(options: CallOptions): Promise<WithResponse<Result>>;
  /** Where the message went (a chat, a thread, a user): look-ups for one target take turns. */
  target(): string;
  /** Looks for the message in its chat. */
  look(window: LookupWindow): Promise<Verdict<Result>>;
}

/** What the procedure needs of the client. */
export interface ExactlyOnceEnvironment {
  /** The client's look-ups still running, by target: the next for a target waits for the one before it. */
  readonly lookups: Map<string, Promise<unknown>>;
  readonly clock: Clock;
  /** The client's `timeoutMs`, which bounds the whole look-up when the call gives none. */
  readonly timeoutMs: number;
  readonly onLog: ((entry: RequestLogEntry) => void) | undefined;
  /** The client's telemetry: an exactly-once send is a span around its calls, and its look-up an event on it. */
  readonly telemetry?: LazyTelemetry | undefined;
}

const DEFAULT_SETTLE_MS = 3000;
const DEFAULT_CLOCK_SKEW_MS = 10_000;
const DEFAULT_LOOKBACK = 50;
/** The most newest messages a look-up reads. */
export const MAX_LOOKBACK = 1000;

function milliseconds(value: unknown, field: string, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || value > 2_147_483_647) {
    throw new RequestValidationError(field, 'must be a number of milliseconds from 0 to 2147483647');
  }
  return value;
}

/** Checks the exactly-once options; returns them with their defaults, and the call's own options apart. */
function resolveOptions(options: ExactlyOnceCallOptions | undefined): Required<ExactlyOnceOptions> & { readonly call: CallOptions } {
  if (options !== undefined && (options === null || typeof options !== 'object')) throw new RequestValidationError('options', 'must be an object');
  const { settleMs, clockSkewMs, lookback, ...call } = options ?? {};
  const count = lookback ?? DEFAULT_LOOKBACK;
  if (typeof count !== 'number' || !Number.isInteger(count) || count < 1 || count > MAX_LOOKBACK) {
    throw new RequestValidationError('options.lookback', `must be a whole number from 1 to ${MAX_LOOKBACK}`);
  }
  return {
    settleMs: milliseconds(settleMs, 'options.settleMs', DEFAULT_SETTLE_MS),
    clockSkewMs: milliseconds(clockSkewMs, 'options.clockSkewMs', DEFAULT_CLOCK_SKEW_MS),
    lookback: count,
    call,
  };
}

/** A failure that leaves open whether the message was posted. */
type Unclear = NetworkError | TimeoutError | ServerError;

/**
 * Whether a send's failure leaves open whether its message was posted. A 5xx does: a gateway answers 502 or 504
 * when the server behind it took too long, committed or not. A caller's abort is the caller's choice.
 */
function isUnclear(error: unknown): error is Unclear {
  return ((error instanceof NetworkError || error instanceof TimeoutError) && error.reached === 'possibly') || error instanceof ServerError;
}

/** Adds why the look-up could not decide to the original error, which is then thrown as it is. */
function undecided(error: Unclear, reason: string): Unclear {
  Object.defineProperty(error, 'undecided', { value: reason, enumerable: true });
  error.message = `${error.message}; whether the message was posted is unknown: ${reason}`;
  return error;
}

function mark<Result extends object>(answer: WithResponse<Result>, recovered: boolean): WithResponse<Recovered<Result>> {
  return { ...answer, data: Object.assign(answer.data, { recovered }) };
}

/** Describes a failed look-up for `undecided`; errors of this library are already free of secrets. */
function describe(error: unknown): string {
  if (error instanceof AbortError || error instanceof TimeoutError) return 'the look-up did not finish in time';
  if (error instanceof ClientError) return `the look-up failed: ${error.message}`;
  return `the look-up failed (${error instanceof Error ? error.name : typeof error})`;
}

/**
 * Sends once, and when the outcome is unclear, looks for the message before sending again. Awaited, it gives the
 * answer marked `recovered`; `.withResponse()` gives it with the response it came from: the send's, or, for a
 * message found by looking, that of the read that found it.
 *
 * @param operationId - the send's operation, named in the log entry of the look-up and in its span
 */
export function sendExactlyOnce<Result extends object>(
  steps: UnclearSend<Result>,
  options: ExactlyOnceCallOptions | undefined,
  environment: ExactlyOnceEnvironment,
  operationId: string,
): ApiPromise<Recovered<Result>> {
  return apiPromiseOf(observed(steps, options, environment, operationId));
}

/** Runs the procedure inside its span when the client's telemetry records one. */
async function observed<Result extends object>(
  steps: UnclearSend<Result>,
  options: ExactlyOnceCallOptions | undefined,
  environment: ExactlyOnceEnvironment,
  operationId: string,
): Promise<WithResponse<Recovered<Result>>> {
  const observer = (await environment.telemetry?.ready())?.startProcedure('sendExactlyOnce', operationId);
  if (!observer) return procedure(steps, options, environment, operationId, undefined);
  try {
    const answer = await observer.within(() => procedure(steps, options, environment, operationId, observer));
    observer.end({ status: answer.response.status });
    return answer;
  } catch (error) {
    observer.end({ error });
    throw error;
  }
}

async function procedure<Result extends object>(
  steps: UnclearSend<Result>,
  options: ExactlyOnceCallOptions | undefined,
  environment: ExactlyOnceEnvironment,
  operationId: string,
  observer: Pick<CallObserver, 'lookedUp'> | undefined,
): Promise<WithResponse<Recovered<Result>>> {
  const { settleMs, clockSkewMs, lookback, call } = resolveOptions(options);
  // The wall clock, which the server's creation times are compared with.
  const startedAt = Date.now();
  let failure: Unclear;
  try {
    return mark(await steps.send(call), false);
  } catch (error) {
    if (!isUnclear(error)) throw error;
    failure = error;
  }

  const { clock, onLog } = environment;
  const lookStarted = clock.now();
  const verdict = await look(steps, call, environment, settleMs, { since: startedAt - clockSkewMs, lookback });
  const outcome = 'found' in verdict ? 'recovered' : 'absent' in verdict ? 'absent' : 'undecided';
  const durationMs = clock.now() - lookStarted;
  // One entry per look-up, so that it can be logged, counted or traced like the requests it made.
  onLog?.({
    operationId,
    method: failure.method,
    url: failure.url,
    attempt: 1,
    durationMs,
    unclearSend: outcome,
  });
  observer?.lookedUp(outcome, durationMs);
  if ('found' in verdict) return mark(verdict.found, true);
  if ('undecided' in verdict) throw undecided(failure, verdict.undecided);
  return mark(await steps.send(call), false);
}

/**
 * Runs a look-up after the client's earlier look-ups for the same target. Two unclear sends of the same text to
 * one chat would otherwise both find the one message that was posted and both claim it; in turn, the first
 * claims it (the client remembers it as its own) and the second looks past it.
 */
async function inTurn<T>(queue: Map<string, Promise<unknown>>, target: string, task: () => Promise<T>): Promise<T> {
  const before = queue.get(target) ?? Promise.resolve();
  const mine = before.then(task, task);
  const settled = mine.then(
    () => undefined,
    () => undefined,
  );
  queue.set(target, settled);
  try {
    return await mine;
  } finally {
    if (queue.get(target) === settled) queue.delete(target);
  }
}

/** Waits the settle time, then looks, all within the call's time limit for the look-up; never throws. */
async function look<Result>(
  steps: UnclearSend<Result>,
  call: CallOptions,
  environment: ExactlyOnceEnvironment,
  settleMs: number,
  bounds: { readonly since: number; readonly lookback: number },
): Promise<Verdict<Result>> {
  const limitMs = call.timeoutMs ?? environment.timeoutMs;
  try {
    await environment.clock.sleep(settleMs, call.signal);
  } catch {
    return { undecided: 'the caller aborted before the look-up' };
  }
  // Every request of the look-up shares one time limit, so that the whole look-up ends within it.
  const timer = limitMs > 0 ? AbortSignal.timeout(limitMs) : undefined;
  const signal = timer && call.signal ? AbortSignal.any([timer, call.signal]) : (timer ?? call.signal);
  const options: CallOptions = { ...call, timeoutMs: 0, ...(signal ? { signal } : {}) };
  try {
    return await inTurn(environment.lookups, steps.target(), () => steps.look({ ...bounds, options }));
  } catch (error) {
    if (call.signal?.aborted) return { undecided: 'the caller aborted the look-up' };
    return { undecided: describe(error) };
  }
}
