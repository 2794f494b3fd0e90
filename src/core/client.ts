/**
 * The one request path behind every client. It wraps openapi-fetch (which builds URLs, query strings and
 * bodies from the generated types) and adds what openapi-fetch leaves to the caller: credentials, retries,
 * a timeout, lossless int64 decoding, typed errors and redaction. Each operation of the generated table becomes
 * a typed method; the same calls are also available in openapi-fetch's own `{ data, error, response }` style.
 */
import createClient, { type Client, type FetchResponse } from 'openapi-fetch';
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
import { toFormData } from './form-data.js';
import { compileInt64Paths, parseJson } from './json.js';
import { serializePath } from './path.js';
import { jsonQuerySerializer } from './query.js';
import { CALL_CONTEXT, PlainRequest } from './plain-request.js';
import type { Redactor } from './redact.js';
import { parseRetryAfter } from './retry-after.js';
import { resolveRetryPolicy, type RetryPolicy } from './retry.js';
import { createTransport, type CallContext, type RequestLogEntry } from './transport.js';

/** One row of a generated operation table (see `generated/<api>.ts`). */
export interface OperationEntry {
  readonly method: string;
  readonly path: string;
  readonly success: number;
  readonly idempotent: boolean;
  readonly auth: boolean;
  readonly server?: string;
  readonly body?: 'multipart' | 'form' | 'binary';
  readonly contentType?: string;
  readonly jsonQuery?: readonly string[];
  readonly noContent?: true;
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
  /** Extra request headers (for example Prism's `Prefer`). */
  readonly headers?: Record<string, string>;
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

/** Timers for one call: the caller's signal and the timeout, merged. */
interface Deadline {
  readonly signal: AbortSignal | undefined;
  readonly at: number | undefined;
  timedOut: boolean;
  clear(): void;
}

const DEFAULT_TIMEOUT_MS = 30_000;

/** openapi-fetch sends JSON unless told otherwise; these serialize the other encodings a spec may declare. */
const BODY_SERIALIZERS = {
  multipart: toFormData,
  form: (body: unknown) => new URLSearchParams(body as Record<string, string>).toString(),
  // A file's bytes go as they are; the caller gives their content type.
  binary: (body: unknown) => body,
} as const;

/** What a call must add to openapi-fetch's options for its operation's encodings. */
interface EncodingOptions {
  readonly bodySerializer?: (body: unknown) => unknown;
  readonly querySerializer?: (query: Record<string, unknown>) => string;
  readonly contentType?: string;
}

function encodingOptions(entry: OperationEntry): EncodingOptions | undefined {
  const options: { -readonly [K in keyof EncodingOptions]: EncodingOptions[K] } = {};
  if (entry.body) options.bodySerializer = BODY_SERIALIZERS[entry.body];
  if (entry.body === 'form') options.contentType = 'application/x-www-form-urlencoded';
  if (entry.contentType) options.contentType = entry.contentType;
  if (entry.jsonQuery) options.querySerializer = jsonQuerySerializer(entry.jsonQuery);
  return Object.keys(options).length > 0 ? options : undefined;
}
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
  const openapi = createClient<Paths>({
    baseUrl,
    fetch: transport as unknown as (input: Request) => Promise<Response>,
    Request: PlainRequest as unknown as typeof Request,
    pathSerializer: serializePath,
  });

  /** Precomputed per operation: its entry, int64 paths and body encoding. */
  const byId = new Map<
    string,
    { entry: OperationEntry; int64: ReturnType<typeof compileInt64Paths>; encoding: EncodingOptions | undefined }
  >();
  const byRoute = new Map<string, string>();
  for (const [id, entry] of Object.entries(config.operations)) {
    byId.set(id, { entry, int64: compileInt64Paths(entry.int64), encoding: encodingOptions(entry) });
    byRoute.set(`${entry.method} ${entry.path}`, id);
  }

  function startDeadline(callerSignal: AbortSignal | undefined, timeoutMs: number): Deadline {
    if (timeoutMs <= 0 && !callerSignal) return { signal: undefined, at: undefined, timedOut: false, clear() {} };
    const controller = new AbortController();
    const onCallerAbort = (): void => controller.abort(callerSignal?.reason);
    if (callerSignal?.aborted) onCallerAbort();
    else callerSignal?.addEventListener('abort', onCallerAbort, { once: true });
    const deadline: Deadline = {
      signal: controller.signal,
      at: timeoutMs > 0 ? clock.now() + timeoutMs : undefined,
      timedOut: false,
      clear() {
        clearTimeout(timer);
        callerSignal?.removeEventListener('abort', onCallerAbort);
      },
    };
    const timer =
      timeoutMs > 0
        ? setTimeout(() => {
            deadline.timedOut = true;
            controller.abort(new DOMException(`Timed out after ${timeoutMs} ms`, 'TimeoutError'));
          }, timeoutMs)
        : undefined;
    return deadline;
  }

  function failureDetails(method: string, url: string, operationId: string | undefined) {
    return { method, url: redactor.url(url), operationId };
  }

  function toHttpError(
    body: unknown,
    response: Response,
    method: string,
    url: string,
    operationId: string | undefined,
  ): HttpError {
    const safeBody = redactor.value(body);
    const init = {
      status: response.status,
      statusText: response.statusText,
      method,
      url: redactor.url(url),
      operationId,
      body: safeBody,
      headers: redactor.headers(response.headers),
      detail: errors.describe ? redactor.text(errors.describe(safeBody) ?? '') || undefined : undefined,
      retryAfterMs: response.status === 429 ? parseRetryAfter(response.headers.get('retry-after'), clock.now()) : undefined,
    };
    return (errors.create ?? createHttpError)(init);
  }

  async function execute(
    method: (typeof HTTP_METHODS)[number],
    path: string,
    operationId: string | undefined,
    init: (CallOptions & Record<string, unknown>) | undefined,
    absoluteUrl?: string,
  ): Promise<Outcome> {
    const operation = operationId === undefined ? undefined : byId.get(operationId);
    if (operationId !== undefined) validate[operationId]?.(init);
    const timeoutMs = init?.timeoutMs ?? clientTimeoutMs;
    const deadline = startDeadline(init?.signal, timeoutMs);
    const context: CallContext = {
      operationId,
      idempotent: operation?.entry.idempotent ?? (method !== 'POST' && method !== 'PATCH'),
      auth: operation?.entry.auth ?? true,
      absoluteUrl,
      deadline: deadline.at,
    };
    try {
      const send = openapi[method] as (url: string, init: object) => Promise<{ data?: unknown; error?: unknown; response: Response }>;
      const encoding = operation?.encoding;
      const result = await send(path, {
        ...init,
        ...(encoding && {
          bodySerializer: encoding.bodySerializer,
          querySerializer: encoding.querySerializer,
          headers: encoding.contentType ? { 'content-type': encoding.contentType, ...init?.headers } : init?.headers,
        }),
        signal: deadline.signal,
        parseAs: 'text',
        [CALL_CONTEXT]: context,
      });
      const response = result.response;
      const url = context.sentUrl ?? `${baseUrl}${path}`;
      if (result.error !== undefined || !response.ok) {
        const body = result.error === '' ? undefined : result.error;
        return { error: body, response, failure: toHttpError(body, response, method, url, operationId) };
      }
      // A declared empty success (204, or an upload answered by a storage server) is not parsed.
      if (operation?.entry.noContent || response.status === 204) return { data: undefined, response };
      const text = (result.data as string | undefined) ?? '';
      let data: unknown;
      try {
        data = parseJson(text, operation?.int64);
      } catch {
        // An empty or non-JSON success body (a proxy's HTML page, a 201 with no body) is a typed error.
        throw unexpected(response, method, url, operationId, text);
      }
      if (errors.isError?.(data)) {
        return { error: data, response, failure: toHttpError(data, response, method, url, operationId) };
      }
      return { data, response };
    } catch (error) {
      if (error instanceof ClientError) throw error;
      const details = failureDetails(method, context.sentUrl ?? absoluteUrl ?? `${baseUrl}${path}`, operationId);
      if (deadline.timedOut) throw new TimeoutError({ ...details, timeoutMs }, { cause: error });
      if (init?.signal?.aborted) throw new AbortError(details, { cause: init.signal.reason });
      throw error;
    } finally {
      deadline.clear();
    }
  }

  function unexpected(
    response: Response,
    method: string,
    url: string,
    operationId: string | undefined,
    text: string,
  ): UnexpectedResponseError {
    return new UnexpectedResponseError({
      status: response.status,
      method,
      url: redactor.url(url),
      operationId,
      headers: redactor.headers(response.headers),
      bodyText: redactor.text(text),
    });
  }

  const raw = {} as Record<string, unknown>;
  for (const method of HTTP_METHODS) {
    raw[method] = async (path: string, init?: CallOptions & Record<string, unknown>) => {
      const outcome = await execute(method, path, byRoute.get(`${method} ${path}`), init);
      return outcome.error !== undefined || 'failure' in outcome
        ? { error: outcome.error, response: outcome.response }
        : { data: outcome.data, response: outcome.response };
    };
  }
  raw.request = (method: string, path: string, init?: CallOptions & Record<string, unknown>) =>
    (raw[method.toUpperCase()] as (p: string, i: unknown) => Promise<unknown>)(path, init);

  async function call(operationId: string, init?: unknown, absoluteUrl?: string): Promise<unknown> {
    const operation = byId.get(operationId);
    if (!operation) throw new ClientError(`Unknown operation ${operationId}`);
    const method = operation.entry.method as (typeof HTTP_METHODS)[number];
    const callInit = init as (CallOptions & Record<string, unknown>) | undefined;
    const outcome = await execute(method, operation.entry.path, operationId, callInit, absoluteUrl);
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
