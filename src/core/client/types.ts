/**
 * The public option and result types every client shares. Each option here is honoured by the one request path
 * (client.ts); an option the path does not honour is not in these types, so it does not compile.
 */
import type { MeterProvider, TracerProvider } from '@opentelemetry/api';
import type { LookupOutcome } from '../telemetry/observer.js';
import type { FetchResponse, ParamsOption, RequestBodyOption } from 'openapi-fetch';
import type { Clock } from '../exchange/clock.js';

/** Headers as a caller may give them; `null` or `undefined` leaves a header out. */
export type HeadersInput = Headers | Readonly<Record<string, string | number | boolean | null | undefined>>;

/** The `fetch` a client sends with: the platform's, the undici transport, or a test double. */
export type FetchFunction = (input: string, init: RequestInit) => Promise<Response>;

/** The options every client accepts, whatever the API. */
export interface CommonClientOptions {
  /**
   * The API's base URL, for a mock server or a proxy. Credentials are sent only to this origin and path.
   * Operations whose spec names a server of their own (an upload host) keep that server.
   * @default the first server of the API's spec
   */
  readonly baseUrl?: string;
  /**
   * The `fetch` to send requests with: `createUndiciFetch()` from `/node`, a test double, or a platform's own.
   * @default globalThis.fetch
   */
  readonly fetch?: FetchFunction;
  /**
   * How failed requests are retried; any field left out keeps its default (see {@link RetryPolicy}).
   * @default defaultRetryPolicy
   */
  readonly retry?: Partial<RetryPolicy>;
  /**
   * The longest a call may take, in milliseconds, counting every attempt, every wait between attempts and the
   * reading of the answer. `0` means no limit. A call can also be given its own `timeoutMs`.
   * @default 30000
   */
  readonly timeoutMs?: number;
  /**
   * Receives one entry per attempt (method, redacted URL, status, duration, planned retry). Nothing in an entry
   * is a credential, so entries can be logged as they are.
   * @default no logging
   */
  readonly onLog?: (entry: RequestLogEntry) => void;
  /**
   * Check every request against what the spec states (required fields, types, enums, lengths, patterns, counts,
   * ranges) and the API's documented rules across fields, before anything is sent. Turn it off for the day the API
   * accepts more than the spec says; the server then judges every request.
   * @default true
   */
  readonly checkRequests?: boolean;
  /**
   * Where the client's OpenTelemetry spans and metrics go. Left out, they go to the providers registered
   * globally (an OpenTelemetry SDK's `register()`, or `trace.setGlobalTracerProvider`); with none registered the
   * client records nothing and costs nothing.
   * @default the global providers
   */
  readonly telemetry?: TelemetryOptions;
}

/** Where a client's spans and metrics go. */
export interface TelemetryOptions {
  /**
   * The provider of the client's tracer: one span per call, named after the operation.
   * @default the global tracer provider
   */
  readonly tracerProvider?: TracerProvider;
  /**
   * The provider of the client's meter: call duration, retries and throttle queue time.
   * @default the global meter provider
   */
  readonly meterProvider?: MeterProvider;
}

/** What `.withResponse()` resolves to: the result, the response it came from, and the server's request id. */
export interface WithResponse<T> {
  /** What the call itself resolves to. */
  readonly data: T;
  /** The final response (after any retries): its status and headers. Its body has been read already. */
  readonly response: Response;
  /** The server's identifier for the request, from the first of the usual request id headers it sent. */
  readonly requestId: string | undefined;
}

/**
 * What every typed method returns: a promise of the result that also offers `.withResponse()`, which resolves
 * to the result together with the response's status, headers and request id. Awaiting either runs one call.
 */
export interface ApiPromise<T> extends Promise<T> {
  /** The result, the final response and the server's request id; rejects with the same error the call would. */
  withResponse(): Promise<WithResponse<T>>;
}

/**
 * What a paged list's iterator returns: an async generator of the items that also tells the last page it
 * fetched, with that page's response.
 */
export interface PageIterator<Item, Page> extends AsyncGenerator<Item, void, undefined> {
  /** The last page fetched so far, with its response and request id; `undefined` before the first arrives. */
  readonly lastPage: WithResponse<Page> | undefined;
}

/** Options that every call accepts besides its input. */
export interface CallOptions {
  /**
   * Aborts the call, including a wait between retries and the reading of the answer.
   * @default no signal
   */
  readonly signal?: AbortSignal;
  /**
   * Extra request headers (for example Prism's `Prefer`); `null` leaves a header out.
   * @default no extra headers
   */
  readonly headers?: HeadersInput;
  /**
   * Overrides the client's `timeoutMs` for this call; `0` means no limit.
   * @default the client's `timeoutMs`
   */
  readonly timeoutMs?: number;
  /**
   * Sends this call to another server; the operation's path is appended to it, and a query string in it is
   * kept. Credentials go along only when it lies under the client's own `baseUrl`.
   * @default the operation's server: its own from the spec, otherwise the client's `baseUrl`
   */
  readonly baseUrl?: string;
}

type LowerMethod = 'get' | 'put' | 'post' | 'delete' | 'options' | 'head' | 'patch' | 'trace';

/** The paths of `Paths` that have an operation under `Method`. */
export type PathsWith<Paths, Method extends LowerMethod> = {
  [Path in keyof Paths]: Paths[Path] extends { [M in Method]: object } ? Path : never;
}[keyof Paths] &
  string;

/** The keys of `T` that must be given. */
type RequiredKeys<T> = { [K in keyof T]-?: object extends Pick<T, K> ? never : K }[keyof T];

/** What a raw call takes: openapi-fetch's `params` and `body` for the operation, and the per-call options. */
export type RawInit<Operation> = ParamsOption<Operation> & RequestBodyOption<Operation> & CallOptions;

/** openapi-fetch's result: `data` on success, `error` (the parsed error body) otherwise, and the response. */
export type RawResult<Operation> = FetchResponse<Operation & Record<string | number, unknown>, object, `${string}/${string}`>;

type RawArgs<Operation> = [RequiredKeys<ParamsOption<Operation> & RequestBodyOption<Operation>>] extends [never]
  ? [init?: RawInit<Operation>]
  : [init: RawInit<Operation>];

type RawMethod<Paths, Method extends LowerMethod> = <Path extends PathsWith<Paths, Method>>(
  path: Path,
  ...init: RawArgs<Paths[Path][Method & keyof Paths[Path]]>
) => Promise<RawResult<Paths[Path][Method & keyof Paths[Path]]>>;

/**
 * openapi-fetch's calling style, `{ data, error, response }`, that never throws for an HTTP error status. It goes
 * through the same request path as the typed methods (credentials, retries, timeout, redaction, int64 decoding),
 * and takes exactly the options that path honours: `params`, `body`, and {@link CallOptions}.
 */
export interface RawClient<Paths> {
  readonly GET: RawMethod<Paths, 'get'>;
  readonly PUT: RawMethod<Paths, 'put'>;
  readonly POST: RawMethod<Paths, 'post'>;
  readonly DELETE: RawMethod<Paths, 'delete'>;
  readonly PATCH: RawMethod<Paths, 'patch'>;
  readonly HEAD: RawMethod<Paths, 'head'>;
  readonly OPTIONS: RawMethod<Paths, 'options'>;
}

/** How a client retries. Every field has a default; pass only what you want to change. */
export interface RetryPolicy {
  /**
   * How many times a request may be repeated after its first attempt. `0` turns retries off.
   * @default 3
   */
  readonly maxRetries: number;
  /**
   * The backoff before the first retry, doubled before each further one.
   * @default 500
   */
  readonly baseDelayMs: number;
  /**
   * The longest backoff between two attempts (before jitter).
   * @default 8000
   */
  readonly maxDelayMs: number;
  /**
   * The longest `Retry-After` the client will honour. When the server asks for a longer wait the client stops
   * retrying and throws the `RateLimitError` (with `retryAfterMs`) at once, instead of hanging.
   * @default 60000
   */
  readonly maxRetryAfterMs: number;
  /**
   * Statuses retried for idempotent requests only (GET, HEAD, PUT, DELETE, OPTIONS and operations the spec marks
   * `x-idempotent`). 429 is handled separately and retried for every method.
   * @default [408, 500, 502, 503, 504]
   */
  readonly retryStatuses: readonly number[];
  /**
   * A source of randomness in [0, 1) for the jitter.
   * @default Math.random
   */
  readonly random: () => number;
  /**
   * The clock used for waits and for `Retry-After` dates.
   * @default the system clock
   */
  readonly clock?: Clock;
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
  /**
   * Only on the entry an exactly-once send writes after looking for a message whose send had an unclear outcome
   * (`durationMs` is the look-up's, settle time included): `recovered` when the message was found, `absent` when
   * it was not (and is sent once more), `undecided` when the look-up could not tell.
   */
  readonly unclearSend?: LookupOutcome | undefined;
}
