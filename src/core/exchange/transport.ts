/**
 * Sends one call's request and reads its answer, repeating the exchange when the retry policy allows: a 429 for
 * any method, 408/5xx and network failures (also a body that breaks off) for idempotent requests only, and one
 * replay after a 401 when the credentials could be renewed. Every failed attempt goes through one retry decision.
 * It returns the outcome of the last answer and writes into nothing of its caller's.
 */
import type { Clock } from './clock.js';
import type { Credentials } from './credentials.js';
import { NetworkError, type ClientError } from '../errors/errors.js';
import type { FailedRequest, Failures, Interruption } from '../errors/failures.js';
import { reachOf, unwrapNotSent, type Reach } from '../errors/reach.js';
import type { Redactor } from '../errors/redact.js';
import type { OutgoingRequest } from '../request/request.js';
import type { Outcome } from './response.js';
import { parseRetryAfter } from './retry-after.js';
import { retryDelay, whyNotRetried, type AttemptOutcome, type RetryPolicy } from './retry.js';
import type { FetchFunction, RequestLogEntry } from '../client/types.js';
import type { CallObserver } from '../telemetry/observer.js';

export type { RequestLogEntry };

/** What the client tells the transport about one call. */
export interface CallContext {
  /** The operationId, when the call went through a known operation. */
  readonly operationId: string | undefined;
  /** Whether repeating the request is harmless (decides retries after 5xx and network failures). */
  readonly idempotent: boolean;
  /** Whether the request carries the client's credential (decided by the client on the parsed URL). */
  readonly authorized: boolean;
  /** The time (from the clock) after which no further attempt or wait starts. */
  readonly deadline: number | undefined;
  /** Aborts on the caller's signal or the timeout. */
  readonly signal: AbortSignal | undefined;
  /** What tells an abort or a timeout from a network failure when `fetch` throws. */
  readonly interruption: Interruption | undefined;
  /** The throttle slot of the request, when the client throttles: taken before every attempt. */
  readonly throttle: { acquire(signal: AbortSignal | undefined): Promise<void>; pause(ms: number): Promise<void> } | undefined;
  /** Hears of each attempt and wait, for telemetry; `undefined` when nothing records the call. */
  readonly observer?: CallObserver | undefined;
}

/** Everything the transport needs, fixed when a client is created. */
export interface TransportConfig {
  readonly fetch: FetchFunction;
  readonly retry: RetryPolicy;
  readonly clock: Clock;
  readonly credentials: Credentials | undefined;
  readonly redactor: Redactor;
  readonly failures: Failures;
  readonly onLog: ((entry: RequestLogEntry) => void) | undefined;
}

/** Reads a response into its outcome; a `broken` outcome is retried when the policy allows. */
export type Read = (response: Response, request: FailedRequest, retryAfterMs: number | undefined) => Promise<Outcome>;

/** Sends a request with retries and reads the final answer. */
export type Transport = (request: OutgoingRequest, context: CallContext, read: Read) => Promise<Outcome>;

/** How far a call got: whether any of its attempts can have reached the server. */
interface Progress {
  reached: Reach;
}

/** Reads and drops a body so its connection can be reused. */
async function discard(response: Response): Promise<void> {
  await response.arrayBuffer().catch(() => undefined);
}

/** Builds the transport of one client. */
export function createTransport(config: TransportConfig): Transport {
  const { credentials, redactor, retry, clock, onLog, failures } = config;
  const send = config.fetch;

  async function exchange(request: OutgoingRequest, context: CallContext, read: Read, progress: Progress): Promise<Outcome> {
    const { method, body } = request;
    const { signal, observer } = context;
    const pristine = context.authorized && credentials?.renew ? { url: request.url, headers: { ...request.headers } } : undefined;
    if (context.authorized) credentials?.apply(request);
    // Redirects are never followed: see RedirectError.
    const init: RequestInit = { method, headers: request.headers, body: body ?? null, signal: signal ?? null, redirect: 'manual' };
    const failed: FailedRequest = { method, url: request.url, operationId: context.operationId };

    let retries = 0;
    let renewed = false;
    for (;;) {
      const started = onLog ? clock.now() : 0;
      const log = onLog
        ? (fields: Partial<RequestLogEntry>): void =>
            onLog({
              operationId: context.operationId,
              method,
              url: redactor.url(request.url),
              attempt: retries + 1,
              durationMs: clock.now() - started,
              ...fields,
            })
        : undefined;
      // The URL changes only when renewed credentials are applied, and the count after a retry; the common case
      // (a first attempt) reuses one object.
      const attempt: FailedRequest = failed.url === request.url && retries === 0 ? failed : { ...failed, url: request.url, retries };

      // Each attempt, retries included, waits for room in its budget; a wait the signal cuts short is an abort.
      if (context.throttle) await context.throttle.acquire(signal);
      let response: Response | undefined;
      let failure: ClientError | undefined;
      /** The name logged for a failure: the thrown error's own, not the class the client wraps it in. */
      let errorName: string | undefined;
      /** What `fetch` threw, kept to name in the error why it was not retried. */
      let thrown: unknown;
      observer?.attemptStarted();
      try {
        response = await send(request.url, init);
      } catch (error) {
        thrown = error;
        if (reachOf(error) === 'possibly') progress.reached = 'possibly';
        failure = failures.thrown(attempt, error, 'request', context.interruption, progress.reached);
        observer?.attemptEnded({ error: failure.name, code: failure instanceof NetworkError ? failure.code : undefined });
        // An abort (the caller's, or the timeout's) is not a network failure, and is never retried.
        if (!(failure instanceof NetworkError)) throw failure;
        const cause = unwrapNotSent(error);
        errorName = cause instanceof Error ? cause.name : 'Error';
      }

      const status = response?.status;
      if (status !== undefined) observer?.attemptEnded({ status });
      if (response && status === 401 && pristine && credentials?.renew && !renewed) {
        renewed = true;
        if (await observeRenewal(observer, () => (credentials.renew as NonNullable<Credentials['renew']>)(request, signal))) {
          observer?.retryScheduled('credentials_renewed', 0, status);
          log?.({ status, retryInMs: 0 });
          await discard(response);
          request.url = pristine.url;
          request.headers = { ...pristine.headers };
          credentials.apply(request);
          init.headers = request.headers;
          continue;
        }
      }

      const retryAfterMs = status === 429 || status === 503 ? parseRetryAfter(response?.headers.get('retry-after') ?? null, clock.now()) : undefined;
      // A 429 wins over the budget: its Retry-After holds back every request of that key, in every worker.
      if (status === 429 && context.throttle) await context.throttle.pause(retryAfterMs ?? 1000);

      // A status the policy may retry is weighed before its body is read; any other answer is read first, and
      // weighed only when its body broke off.
      const retryableStatus = status !== undefined && (status === 429 || retry.retryStatuses.includes(status));
      let outcome: Outcome | undefined;
      if (response && !retryableStatus) {
        // An answer that is not refused and retried means the server had the request and may have acted on it.
        progress.reached = 'possibly';
        outcome = await read(response, attempt, retryAfterMs);
        if (outcome.kind !== 'broken') {
          log?.({ status });
          return outcome;
        }
        failure = outcome.failure;
        errorName = failure.name;
      }

      // The one retry decision, for a failed connection, a broken body and a retryable status alike.
      const weighed: AttemptOutcome = failure ? 'network' : { status: status as number, retryAfterMs };
      // A port fetch refuses, an invalid URL or an untrusted certificate fails the same way every time.
      const permanent = failure instanceof NetworkError && failure.permanent !== undefined;
      const wait = permanent ? undefined : retryDelay(retry, weighed, context.idempotent, retries);
      const willRetry = wait !== undefined && (context.deadline === undefined || clock.now() + wait < context.deadline);
      if (!willRetry) {
        // Why a failure the policy covers was not repeated goes into its message (a permanent one says so already).
        const notRetried = permanent ? undefined : whyNotRetried(retry, weighed, context.idempotent, retries, wait !== undefined);
        const explained: FailedRequest = notRetried ? { ...attempt, notRetried } : attempt;
        if (failure) {
          log?.({ ...(status === undefined ? {} : { status }), error: errorName, retryInMs: undefined });
          throw thrown !== undefined && notRetried ? failures.thrown(explained, thrown, 'request', context.interruption, progress.reached) : failure;
        }
        // A retryable status that is not retried is read as the answer it is.
        const answer = await read(response as Response, explained, retryAfterMs);
        log?.({ status, ...(answer.kind === 'broken' ? { error: answer.failure.name } : {}) });
        if (answer.kind === 'broken') throw answer.failure;
        return answer;
      }
      log?.({ ...(status === undefined ? {} : { status }), ...(errorName === undefined ? {} : { error: errorName }), retryInMs: wait });
      observer?.retryScheduled(failure ? (response ? 'body_error' : 'network_error') : status === 429 ? 'rate_limited' : 'status', wait, status);
      if (response && !outcome) await discard(response);
      await clock.sleep(wait, signal);
      retries++;
    }
  }

  return async function transport(request, context, read) {
    const progress: Progress = { reached: 'no' };
    try {
      return await exchange(request, context, read, progress);
    } catch (error) {
      // A wait cut short (the throttle's, a retry's) or a renewal that failed: classified with how far the call got.
      throw failures.thrown({ method: request.method, url: request.url, operationId: context.operationId }, error, 'request', context.interruption, progress.reached);
    }
  };
}

/** Runs a renewal of credentials, telling the observer (when there is one) how it ended and how long it took. */
async function observeRenewal(observer: CallObserver | undefined, renew: () => Promise<boolean>): Promise<boolean> {
  if (!observer) return renew();
  const ended = observer.renewalStarted();
  try {
    const renewedNow = await renew();
    ended(renewedNow ? 'renewed' : 'not_renewed');
    return renewedNow;
  } catch (error) {
    ended('failed');
    throw error;
  }
}
