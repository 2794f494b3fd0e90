/**
 * Sends one call's request and reads its answer, repeating the exchange when the retry policy allows: a 429 for
 * any method, 408/5xx and network failures (also a body that breaks off) for idempotent requests only, and one
 * replay after a 401 when the credentials could be renewed. It returns what it learned (the outcome, the URL
 * last sent, the Retry-After it saw) and writes into nothing of its caller's.
 */
import type { Clock } from './clock.js';
import type { Credentials } from './credentials.js';
import { NetworkError, networkFailureCause } from '../errors/errors.js';
import type { FailedRequest, Failures } from '../errors/failures.js';
import type { Redactor } from '../errors/redact.js';
import type { OutgoingRequest } from '../request/request.js';
import { parseRetryAfter } from './retry-after.js';
import { retryDelay, whyNotRetried, type RetryPolicy } from './retry.js';
import type { FetchFunction, RequestLogEntry } from '../client/types.js';

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
  /** The throttle slot of the request, when the client throttles: taken before every attempt. */
  readonly throttle: { acquire(signal: AbortSignal | undefined): Promise<void>; pause(ms: number): Promise<void> } | undefined;
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

/** What the transport learned from a call. */
export interface Exchange<Result> {
  /** What `read` made of the last response. */
  readonly result: Result;
  /** The URL last sent, credentials included: redact before showing it. */
  readonly url: string;
}

/** Reads a response; may throw a body-phase `NetworkError`, which the transport retries when it may. */
export type Read<Result> = (response: Response, request: FailedRequest, retryAfterMs: number | undefined) => Promise<Result>;

/** Sends a request with retries and reads the final answer. */
export type Transport = <Result>(request: OutgoingRequest, context: CallContext, read: Read<Result>) => Promise<Exchange<Result>>;

/** Reads and drops a body so its connection can be reused. */
async function discard(response: Response): Promise<void> {
  await response.arrayBuffer().catch(() => undefined);
}

/** Builds the transport of one client. */
export function createTransport(config: TransportConfig): Transport {
  const { credentials, redactor, retry, clock, onLog, failures } = config;
  const send = config.fetch;

  return async function transport<Result>(request: OutgoingRequest, context: CallContext, read: Read<Result>) {
    const { method, body } = request;
    const { signal } = context;
    const pristine = context.authorized && credentials?.renew ? { url: request.url, headers: { ...request.headers } } : undefined;
    if (context.authorized) credentials?.apply(request);
    // Redirects are never followed: see RedirectError.
    const init: RequestInit = { method, headers: request.headers, body: body ?? null, signal: signal ?? null, redirect: 'manual' };
    const failed: FailedRequest = { method, url: request.url, operationId: context.operationId };

    let retries = 0;
    let renewed = false;
    const retryAfter = async (wait: number): Promise<void> => {
      await clock.sleep(wait, signal);
      retries++;
    };
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
      let response: Response;
      try {
        response = await send(request.url, init);
      } catch (error) {
        // An abort (the caller's, or the timeout's) is not a network failure; the client reports it.
        if (signal?.aborted) throw error;
        // A port fetch refuses, an invalid URL or an untrusted certificate fails the same way every time.
        const permanent = networkFailureCause(error).permanent !== undefined;
        const wait = permanent ? undefined : retryDelay(retry, 'network', context.idempotent, retries);
        const willRetry = wait !== undefined && fitsDeadline(clock, context, wait);
        log?.({ error: error instanceof Error ? error.name : 'Error', retryInMs: willRetry ? wait : undefined });
        if (!willRetry) {
          // A permanent failure's message says why already.
          const notRetried = permanent ? undefined : whyNotRetried(retry, 'network', context.idempotent, retries, wait !== undefined);
          throw failures.network(notRetried ? { ...attempt, notRetried } : attempt, error, 'request');
        }
        await retryAfter(wait);
        continue;
      }

      const status = response.status;
      if (status === 401 && pristine && credentials?.renew && !renewed) {
        renewed = true;
        if (await credentials.renew(request, signal)) {
          log?.({ status, retryInMs: 0 });
          await discard(response);
          request.url = pristine.url;
          request.headers = { ...pristine.headers };
          credentials.apply(request);
          init.headers = request.headers;
          continue;
        }
      }

      const retryAfterMs = status === 429 || status === 503 ? parseRetryAfter(response.headers.get('retry-after'), clock.now()) : undefined;
      // A 429 wins over the budget: its Retry-After holds back every request of that key, in every worker.
      if (status === 429 && context.throttle) await context.throttle.pause(retryAfterMs ?? 1000);
      let notRetried: string | undefined;
      if (status === 429 || retry.retryStatuses.includes(status)) {
        const wait = retryDelay(retry, { status, retryAfterMs }, context.idempotent, retries);
        if (wait !== undefined && fitsDeadline(clock, context, wait)) {
          log?.({ status, retryInMs: wait });
          await discard(response);
          await retryAfter(wait);
          continue;
        }
        notRetried = whyNotRetried(retry, { status, retryAfterMs }, context.idempotent, retries, wait !== undefined);
      }

      try {
        const result = await read(response, notRetried ? { ...attempt, notRetried } : attempt, retryAfterMs);
        log?.({ status });
        return { result, url: request.url };
      } catch (error) {
        if (!(error instanceof NetworkError) || error.phase !== 'body') throw error;
        const wait = retryDelay(retry, 'network', context.idempotent, retries);
        const willRetry = wait !== undefined && fitsDeadline(clock, context, wait);
        log?.({ status, error: error.name, retryInMs: willRetry ? wait : undefined });
        if (!willRetry) throw error;
        await retryAfter(wait);
      }
    }
  };
}

/** Whether a wait still ends before the call's deadline. */
function fitsDeadline(clock: Clock, context: CallContext, wait: number): boolean {
  return context.deadline === undefined || clock.now() + wait < context.deadline;
}
