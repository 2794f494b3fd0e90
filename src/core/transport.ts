/**
 * Sends one call's request: adds the credential, calls `fetch`, and repeats the request when the retry policy
 * allows: a 429 for any method, 408/5xx and network failures for idempotent requests only, and one replay after a
 * 401 when the credentials could be renewed. Everything else is the caller's to see.
 */
import type { Clock } from './clock.js';
import type { Credentials } from './credentials.js';
import { NetworkError } from './errors.js';
import type { Redactor } from './redact.js';
import type { OutgoingRequest } from './request.js';
import { parseRetryAfter } from './retry-after.js';
import { retryDelay, type RetryPolicy } from './retry.js';

/** What the client tells the transport about one call. */
export interface CallContext {
  /** The operationId, when the call went through a known operation. */
  readonly operationId: string | undefined;
  /** Whether repeating the request is harmless (decides retries after 5xx and network failures). */
  readonly idempotent: boolean;
  /** Whether the operation needs credentials (`false` for operations whose spec says `security: []`). */
  readonly auth: boolean;
  /** The time (from the clock) after which no further attempt starts. */
  readonly deadline?: number | undefined;
  /** Set by the transport: the URL last sent, credentials included, for the client to redact into errors. */
  sentUrl?: string;
}

/** One line of the request log; every field is safe to print. */
export interface RequestLogEntry {
  readonly operationId: string | undefined;
  readonly method: string;
  /** The request URL with credentials replaced by `[REDACTED]`. */
  readonly url: string;
  /** 1 for the first attempt, 2 for the first retry, and so on. */
  readonly attempt: number;
  /** The response status, when a response arrived. */
  readonly status?: number | undefined;
  /** The name of the error when no response arrived. */
  readonly error?: string | undefined;
  /** How long the attempt took. */
  readonly durationMs: number;
  /** The wait before the next attempt, when there will be one. */
  readonly retryInMs?: number | undefined;
}

/** Everything the transport needs, fixed when a client is created. */
export interface TransportConfig {
  readonly baseUrl: string;
  readonly fetch: typeof fetch;
  readonly retry: RetryPolicy;
  readonly clock: Clock;
  readonly credentials: Credentials | undefined;
  readonly redactor: Redactor;
  readonly onLog: ((entry: RequestLogEntry) => void) | undefined;
}

/** Reads and drops a body so its connection can be reused. */
async function discard(response: Response): Promise<void> {
  await response.arrayBuffer().catch(() => undefined);
}

/** Sends a request, with retries; resolves to the final response, whose body the caller reads. */
export type Transport = (request: OutgoingRequest, context: CallContext, signal: AbortSignal | undefined) => Promise<Response>;

/** Builds the transport of one client. */
export function createTransport(config: TransportConfig): Transport {
  const { baseUrl, credentials, redactor, retry, clock, onLog } = config;
  const send = config.fetch;

  return async function transport(request, context, signal) {
    const { method, body } = request;
    const targetUrl = request.url;
    // Credentials go only to the client's own API, never to another host the spec points at.
    const authorized = credentials !== undefined && context.auth && targetUrl.startsWith(baseUrl);
    const pristine = authorized && credentials.renew ? new Headers(request.headers) : undefined;
    if (authorized) credentials.apply(request);
    const init: RequestInit = { method, headers: request.headers, body: body ?? null, signal: signal ?? null };

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

      context.sentUrl = request.url;
      let response: Response;
      try {
        response = await send(request.url, init);
      } catch (error) {
        // An abort (the caller's, or the timeout's) is not a network failure; the client reports it.
        if (signal?.aborted) throw error;
        const wait = retryDelay(retry, 'network', context.idempotent, retries);
        const willRetry = wait !== undefined && fitsDeadline(clock, context, wait);
        log?.({ error: error instanceof Error ? error.name : 'Error', retryInMs: willRetry ? wait : undefined });
        if (!willRetry) {
          const details = { method, url: redactor.url(request.url), operationId: context.operationId };
          throw new NetworkError(details, { cause: redactor.error(error) });
        }
        await clock.sleep(wait, signal);
        retries++;
        continue;
      }

      const status = response.status;
      if (status < 400) {
        log?.({ status });
        return response;
      }

      if (status === 401 && pristine && credentials?.renew && !renewed) {
        renewed = true;
        if (await credentials.renew(request)) {
          log?.({ status, retryInMs: 0 });
          await discard(response);
          request.url = targetUrl;
          request.headers = new Headers(pristine);
          credentials.apply(request);
          init.headers = request.headers;
          continue;
        }
      }

      if (status === 429 || retry.retryStatuses.includes(status)) {
        const retryAfterMs = parseRetryAfter(response.headers.get('retry-after'), clock.now());
        const wait = retryDelay(retry, { status, retryAfterMs }, context.idempotent, retries);
        if (wait !== undefined && fitsDeadline(clock, context, wait)) {
          log?.({ status, retryInMs: wait });
          await discard(response);
          await clock.sleep(wait, signal);
          retries++;
          continue;
        }
      }
      log?.({ status });
      return response;
    }
  };
}

/** Whether a wait still ends before the call's deadline. */
function fitsDeadline(clock: Clock, context: CallContext, wait: number): boolean {
  return context.deadline === undefined || clock.now() + wait < context.deadline;
}
