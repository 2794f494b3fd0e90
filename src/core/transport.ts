/**
 * The `fetch` that openapi-fetch calls. It adds the credential, sends the request, and repeats it when the retry
 * policy allows: a 429 for any method, 408/5xx and network failures for idempotent requests only, and one replay
 * after a 401 when the credentials could be renewed. Everything else is the caller's to see.
 */
import type { Clock } from './clock.js';
import type { Credentials, OutgoingRequest } from './credentials.js';
import { NetworkError } from './errors.js';
import type { PlainRequest } from './plain-request.js';
import type { Redactor } from './redact.js';
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
  /** Send to this exact URL instead of the one built from the base URL and path (e.g. a signed upload URL). */
  readonly absoluteUrl?: string | undefined;
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

const IDEMPOTENT_METHODS = new Set(['GET', 'HEAD', 'PUT', 'DELETE', 'OPTIONS', 'TRACE']);

/** Reads and drops a body so its connection can be reused. */
async function discard(response: Response): Promise<void> {
  await response.arrayBuffer().catch(() => undefined);
}

/** Builds the transport function for one client. */
export function createTransport(config: TransportConfig): (request: PlainRequest) => Promise<Response> {
  const { baseUrl, credentials, redactor, retry, clock, onLog } = config;
  const send = config.fetch;

  return async function transport(request: PlainRequest): Promise<Response> {
    const context = request.context as CallContext | undefined;
    const { method, body, signal } = request;
    const targetUrl = context?.absoluteUrl ?? request.url;
    const idempotent = context?.idempotent ?? IDEMPOTENT_METHODS.has(method);
    // Credentials go only to the client's own API, never to another host the spec points at.
    const authorized = credentials !== undefined && (context?.auth ?? true) && targetUrl.startsWith(baseUrl);
    let outgoing: OutgoingRequest = { url: targetUrl, headers: request.headers };
    if (authorized) credentials.apply(outgoing);
    const init: RequestInit = { method, headers: outgoing.headers, body: body ?? null, signal: signal ?? null };
    if (request.redirect) init.redirect = request.redirect;

    let retries = 0;
    let renewed = false;
    for (;;) {
      const started = onLog ? clock.now() : 0;
      const log = (fields: Partial<RequestLogEntry>): void =>
        onLog?.({
          operationId: context?.operationId,
          method,
          url: redactor.url(outgoing.url),
          attempt: retries + 1,
          durationMs: clock.now() - started,
          ...fields,
        });
      const fitsDeadline = (wait: number): boolean =>
        context?.deadline === undefined || clock.now() + wait < context.deadline;

      if (context) context.sentUrl = outgoing.url;
      let response: Response;
      try {
        response = await send(outgoing.url, init);
      } catch (error) {
        // An abort (the caller's, or the timeout's) is not a network failure; the client reports it.
        if (signal?.aborted) throw error;
        const wait = retryDelay(retry, 'network', idempotent, retries);
        const willRetry = wait !== undefined && fitsDeadline(wait);
        log({ error: error instanceof Error ? error.name : 'Error', retryInMs: willRetry ? wait : undefined });
        if (!willRetry) {
          const details = { method, url: redactor.url(outgoing.url), operationId: context?.operationId };
          throw new NetworkError(details, { cause: redactor.error(error) });
        }
        await clock.sleep(wait, signal ?? undefined);
        retries++;
        continue;
      }

      const status = response.status;
      if (status < 400) {
        if (onLog) log({ status });
        return response;
      }

      if (status === 401 && authorized && credentials.renew && !renewed) {
        renewed = true;
        if (await credentials.renew(outgoing)) {
          log({ status, retryInMs: 0 });
          await discard(response);
          outgoing = { url: targetUrl, headers: new Headers(request.headers) };
          credentials.apply(outgoing);
          init.headers = outgoing.headers;
          continue;
        }
      }

      if (status === 429 || retry.retryStatuses.includes(status)) {
        const retryAfterMs = parseRetryAfter(response.headers.get('retry-after'), clock.now());
        const wait = retryDelay(retry, { status, retryAfterMs }, idempotent, retries);
        if (wait !== undefined && fitsDeadline(wait)) {
          log({ status, retryInMs: wait });
          await discard(response);
          await clock.sleep(wait, signal ?? undefined);
          retries++;
          continue;
        }
      }
      if (onLog) log({ status });
      return response;
    }
  };
}
