/**
 * The one request path behind every client. It speaks openapi-fetch's language (its types for parameters,
 * bodies and results, its query serialization, its `{ data, error, response }` calling style) and adds what
 * openapi-fetch leaves to the caller: credentials, retries, a timeout, lossless int64 decoding, typed errors and
 * redaction. Each operation of the generated table becomes a typed method.
 *
 * Requests are built once per call, straight into `fetch(url, init)` form (request.ts): openapi-fetch's own
 * `createClient` builds a `Request` and two `Headers` per call that `fetch` then copies again, which made it cost
 * about 1.3× a raw `fetch`.
 */
import type { Client, FetchResponse } from 'openapi-fetch';
import { systemClock } from './clock.js';
import type { Credentials } from './credentials.js';
import {
  AbortError,
  ClientError,
  createHttpError,
  TimeoutError,
  UnexpectedResponseError,
  type HttpError,
  type HttpErrorInit,
} from './errors.js';
import { startDeadline } from './deadline.js';
import { compileInt64Paths, parseJson } from './json.js';
import type { Redactor } from './redact.js';
import { requestBuilder, type HeadersInput, type RequestBuilder, type RequestInput } from './request.js';
import { parseRetryAfter } from './retry-after.js';
import { IDEMPOTENT_METHODS, resolveRetryPolicy, type RetryPolicy } from './retry.js';
import { createTransport, type CallContext, type RequestLogEntry } from './transport.js';

/**
 * One row of a generated operation table (`generated/<api>.ts`): the contract between the generator
 * (scripts/lib/operations.ts writes it) and this client (which reads it).
 */
export interface OperationEntry {
  /** The HTTP method, upper case. */
  readonly method: string;
  /** The path template, such as `/messages/{id}`. */
  readonly path: string;
  /** The lowest success status the spec declares. */
  readonly success: number;
  /** Safe to repeat: an idempotent method, or an operation the spec marks `x-idempotent`. */
  readonly idempotent: boolean;
  /** Whether the operation carries credentials (`false` for `security: []`). */
  readonly auth: boolean;
  /** A server the spec gives this path instead of the API's own (e.g. an upload host). */
  readonly server?: string;
  /** How the request body is encoded, when it is not JSON: a form, or the raw bytes of a file. */
  readonly body?: 'multipart' | 'form' | 'binary';
  /** The request's content type, when the spec gives JSON one with parameters (`application/json;charset=utf-8`). */
  readonly contentType?: string;
  /** Query parameters whose value is a JSON document (OpenAPI `content` instead of `schema`), such as uNet's `q`. */
  readonly jsonQuery?: readonly string[];
  /** Set when the success response declares no JSON body: the client then ignores whatever body arrives. */
  readonly noContent?: true;
  /** Dotted paths of the int64 fields in the success body; `[]` is every array item, `{}` every map value. */
  readonly int64?: readonly string[];
}

/** A generated operation table: operationId → entry. */
export type OperationTable = Readonly<Record<string, OperationEntry>>;

/** The options every client accepts, whatever the API. */
export interface CommonClientOptions {
  /**
   * The API's base URL, for a mock server or a proxy.
   * @default the first server of the API's spec
   */
  readonly baseUrl?: string;
  /**
   * The `fetch` to send requests with, for tests or a custom agent.
   * @default globalThis.fetch
   */
  readonly fetch?: typeof fetch;
  /**
   * How failed requests are retried; any field left out keeps its default (see {@link RetryPolicy}).
   * @default defaultRetryPolicy
   */
  readonly retry?: Partial<RetryPolicy>;
  /**
   * The longest a call may take, in milliseconds, counting every attempt and every wait between attempts.
   * `0` means no limit. A call can also be given its own `timeoutMs`.
   * @default 30000
   */
  readonly timeoutMs?: number;
  /**
   * Receives one entry per attempt (method, redacted URL, status, duration, planned retry). Nothing in an entry
   * is a credential, so entries can be logged as they are.
   * @default no logging
   */
  readonly onLog?: (entry: RequestLogEntry) => void;
}

/** Options that every call accepts besides its parameters and body. */
export interface CallOptions {
  /** Aborts the call, including a wait between retries. */
  readonly signal?: AbortSignal;
  /** Extra request headers (for example Prism's `Prefer`); `null` removes a header. */
  readonly headers?: HeadersInput;
  /** Overrides the client's `timeoutMs` for this call. */
  readonly timeoutMs?: number;
}

/** How an API's error bodies are recognised, described and turned into errors. */
export interface ErrorBodyHandling {
  /** Tells whether a successful response's body is in fact an error (some APIs answer errors with 200). */
  readonly isError?: (body: unknown) => boolean;
  /** A one-line explanation of an error body, used in the error's message. */
  readonly describe?: (body: unknown) => string | undefined;
  /** Builds the error; defaults to the status-based classes of errors.ts. */
  readonly create?: (init: HttpErrorInit<unknown> & { readonly retryAfterMs?: number | undefined }) => HttpError;
}

/** What an API's client gives the core. */
export interface ApiClientConfig<Table extends OperationTable> extends CommonClientOptions {
  readonly baseUrl: string;
  readonly operations: Table;
  readonly credentials?: Credentials | undefined;
  readonly redactor: Redactor;
  readonly errors?: ErrorBodyHandling;
  /** Input checks run before an operation is sent; they throw `RequestValidationError`. */
  readonly validate?: { readonly [Id in keyof Table]?: (init: unknown) => void };
}

type Method = 'get' | 'put' | 'post' | 'delete' | 'options' | 'head' | 'patch' | 'trace';
type MethodOf<Entry extends OperationEntry> = Lowercase<Entry['method']> & Method;
type OperationOf<Paths, Entry extends OperationEntry> = Entry['path'] extends keyof Paths
  ? Paths[Entry['path']] extends Record<MethodOf<Entry>, infer Operation>
    ? Operation
    : never
  : never;

/** The keys of `T` that must be given. */
type RequiredKeys<T> = { [K in keyof T]-?: object extends Pick<T, K> ? never : K }[keyof T];

/** `params`, required when any parameter of the operation is. */
type ParamsPart<Operation> = Operation extends { parameters: infer Params }
  ? [RequiredKeys<Params>] extends [never]
    ? { params?: Params }
    : { params: Params }
  : { params?: never };

/** `body`, as required as the spec's `requestBody` says; absent when the operation takes none. */
type BodyPart<Operation> = Operation extends { requestBody?: never }
  ? { body?: never }
  : Operation extends { requestBody: { content: infer Content } }
    ? { body: Content[keyof Content] }
    : Operation extends { requestBody?: { content: infer Content } }
      ? { body?: Content[keyof Content] }
      : { body?: never };

// These types are conditional on the operation itself (not a `Pick` of it) so that TypeScript waits for the
// concrete operation before deciding which fields are required.

/** The parameters and body an operation takes, plus the per-call options. */
export type OperationInit<Paths, Entry extends OperationEntry> = ParamsPart<OperationOf<Paths, Entry>> &
  BodyPart<OperationOf<Paths, Entry>> &
  CallOptions;

/** An operation's argument list: optional when none of its parameters and no body is required. */
type InitArgs<Operation, Init> = Operation extends unknown
  ? [RequiredKeys<ParamsPart<Operation> & BodyPart<Operation>>] extends [never]
    ? [init?: Init]
    : [init: Init]
  : never;

type NeverToUndefined<T> = [T] extends [never] ? undefined : T;

/** What an operation resolves to: the parsed body of its success response (`undefined` when it has none). */
export type OperationData<Paths, Entry extends OperationEntry> = NeverToUndefined<
  Extract<
    FetchResponse<OperationOf<Paths, Entry> & Record<string | number, unknown>, object, `${string}/${string}`>,
    { error?: never }
  >['data']
>;

/** One typed, throwing method: takes the operation's parameters and body, resolves to its success body. */
export type OperationMethod<Paths, Entry extends OperationEntry> = (
  ...init: InitArgs<OperationOf<Paths, Entry>, OperationInit<Paths, Entry>>
) => Promise<OperationData<Paths, Entry>>;

/** One typed, throwing method per operationId. */
export type OperationMethods<Paths, Table extends OperationTable> = {
  readonly [Id in keyof Table]: OperationMethod<Paths, Table[Id]>;
};

/** openapi-fetch's own calling style: `{ data, error, response }`, never throwing for an HTTP error status. */
export type RawClient<Paths extends object> = Omit<Client<Paths>, 'use' | 'eject'>;

/** The core of a client: typed methods per operation, the raw style, and the low-level `call`. */
export interface ApiClient<Paths extends object, Table extends OperationTable> {
  readonly operations: OperationMethods<Paths, Table>;
  readonly raw: RawClient<Paths>;
  /** Calls an operation by id and returns its parsed body; `absoluteUrl` sends it to another URL. */
  call(operationId: keyof Table & string, init?: unknown, absoluteUrl?: string): Promise<unknown>;
}

/** The outcome of one call before the calling style is applied. */
type Outcome =
  | { readonly data: unknown; readonly error?: undefined; readonly response: Response }
  | { readonly data?: undefined; readonly error: unknown; readonly response: Response; readonly failure: HttpError };

/** What the client keeps per operation. */
interface PreparedOperation {
  readonly id: string;
  readonly entry: OperationEntry;
  readonly int64: ReturnType<typeof compileInt64Paths>;
  readonly builder: RequestBuilder;
}

const DEFAULT_TIMEOUT_MS = 30_000;
const HTTP_METHODS = ['GET', 'PUT', 'POST', 'DELETE', 'OPTIONS', 'HEAD', 'PATCH', 'TRACE'] as const;

/** Builds the core client of one API. */
export function createApiClient<Paths extends object, Table extends OperationTable>(
  config: ApiClientConfig<Table>,
): ApiClient<Paths, Table> {
  const baseUrl = config.baseUrl.replace(/\/+$/, '');
  const retry = resolveRetryPolicy(config.retry);
  const clock = retry.clock ?? systemClock;
  const { redactor, errors = {}, validate = {} as NonNullable<ApiClientConfig<Table>['validate']> } = config;
  const clientTimeoutMs = config.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const transport = createTransport({
    baseUrl,
    fetch: config.fetch ?? globalThis.fetch,
    retry,
    clock,
    credentials: config.credentials,
    redactor,
    onLog: config.onLog,
  });

  const byId = new Map<string, PreparedOperation>();
  const byRoute = new Map<string, PreparedOperation>();
  for (const [id, entry] of Object.entries(config.operations)) {
    const prepared = { id, entry, int64: compileInt64Paths(entry.int64), builder: requestBuilder(entry.method, entry.path, entry) };
    byId.set(id, prepared);
    byRoute.set(`${entry.method} ${entry.path}`, prepared);
  }

  function toHttpError(body: unknown, response: Response, method: string, url: string, operationId: string | undefined): HttpError {
    const safeBody = redactor.value(body);
    const detail = errors.describe?.(safeBody);
    return (errors.create ?? createHttpError)({
      status: response.status,
      statusText: response.statusText,
      method,
      url: redactor.url(url),
      operationId,
      body: safeBody,
      headers: redactor.headers(response.headers),
      detail: detail ? redactor.text(detail) : undefined,
      retryAfterMs: response.status === 429 ? parseRetryAfter(response.headers.get('retry-after'), clock.now()) : undefined,
    });
  }

  function unexpected(response: Response, method: string, url: string, operationId: string | undefined, text: string) {
    return new UnexpectedResponseError({
      status: response.status,
      method,
      url: redactor.url(url),
      operationId,
      headers: redactor.headers(response.headers),
      bodyText: redactor.text(text),
    });
  }

  /** Reads a response into an outcome: parsed data, or the error body with its typed error. */
  async function readOutcome(response: Response, method: string, url: string, operation: PreparedOperation | undefined): Promise<Outcome> {
    const operationId = operation?.id;
    if (!response.ok) {
      const text = await response.text();
      let body: unknown = text === '' ? undefined : text;
      try {
        if (text !== '') body = JSON.parse(text);
      } catch {
        // Not JSON (an HTML page from a proxy, say): the error keeps the text.
      }
      return { error: body, response, failure: toHttpError(body, response, method, url, operationId) };
    }
    // A declared empty success (204, or an upload answered by a storage server) is not parsed.
    if (operation?.entry.noContent || response.status === 204 || method === 'HEAD') {
      await response.body?.cancel();
      return { data: undefined, response };
    }
    const text = await response.text();
    let data: unknown;
    try {
      data = parseJson(text, operation?.int64);
    } catch {
      // An empty or non-JSON success body (a proxy's HTML page, a 201 with no body) is a typed error.
      throw unexpected(response, method, url, operationId, text);
    }
    if (errors.isError?.(data)) return { error: data, response, failure: toHttpError(data, response, method, url, operationId) };
    return { data, response };
  }

  async function execute(
    method: string,
    path: string,
    operation: PreparedOperation | undefined,
    init: (CallOptions & RequestInput) | undefined,
    absoluteUrl?: string,
  ): Promise<Outcome> {
    if (operation) validate[operation.id]?.(init);
    const request = (operation?.builder ?? requestBuilder(method, path)).build(baseUrl, init, absoluteUrl);
    const timeoutMs = init?.timeoutMs ?? clientTimeoutMs;
    const deadline = startDeadline(clock, init?.signal, timeoutMs);
    const context: CallContext = {
      operationId: operation?.id,
      idempotent: operation?.entry.idempotent ?? IDEMPOTENT_METHODS.has(method),
      auth: operation?.entry.auth ?? true,
      deadline: deadline.at,
    };
    try {
      const response = await transport(request, context, deadline.signal);
      return await readOutcome(response, method, context.sentUrl ?? request.url, operation);
    } catch (error) {
      if (error instanceof ClientError) throw error;
      const details = { method, url: redactor.url(context.sentUrl ?? request.url), operationId: operation?.id };
      if (deadline.timedOut()) throw new TimeoutError({ ...details, timeoutMs }, { cause: error });
      if (init?.signal?.aborted) throw new AbortError(details, { cause: init.signal.reason });
      throw error;
    }
  }

  const raw = {} as Record<string, unknown>;
  for (const method of HTTP_METHODS) {
    raw[method] = async (path: string, init?: CallOptions & RequestInput) => {
      const outcome = await execute(method, path, byRoute.get(`${method} ${path}`), init);
      return 'failure' in outcome ? { error: outcome.error, response: outcome.response } : { data: outcome.data, response: outcome.response };
    };
  }
  raw.request = (method: string, path: string, init?: CallOptions & RequestInput) =>
    (raw[method.toUpperCase()] as (p: string, i: unknown) => Promise<unknown>)(path, init);

  async function call(operationId: string, init?: unknown, absoluteUrl?: string): Promise<unknown> {
    const operation = byId.get(operationId);
    if (!operation) throw new ClientError(`Unknown operation ${operationId}`);
    const outcome = await execute(operation.entry.method, operation.entry.path, operation, init as CallOptions & RequestInput, absoluteUrl);
    if ('failure' in outcome) throw outcome.failure;
    return outcome.data;
  }

  const operations = {} as Record<string, (init?: unknown) => Promise<unknown>>;
  for (const id of byId.keys()) operations[id] = (init?: unknown) => call(id, init);

  return {
    operations: operations as OperationMethods<Paths, Table>,
    raw: raw as unknown as RawClient<Paths>,
    call,
  };
}
