/**
 * The one request path behind every calling style. A typed method (`getMessage(input, options)`), the raw style
 * (`raw.GET(path, init)`) and the helpers all come here; this file wires the pieces together and holds no logic
 * of its own beyond the order of the hops:
 *
 * input → splitInput (input.ts) → API checks → requestBuilder (request.ts) → credentials, if the parsed URL lies
 * under the API's base (url.ts) → startDeadline (deadline.ts) → transport (transport.ts: fetch, retries) →
 * response reader (response.ts: status, body, int64, shape) → result, or an error from failures.ts.
 */
import { systemClock } from '../exchange/clock.js';
import type { Credentials } from '../exchange/credentials.js';
import { RequestValidationError } from '../errors/errors.js';
import { createDeadlines } from '../exchange/deadline.js';
import { createFailures, type ErrorBodyHandling, type Interruption } from '../errors/failures.js';
import { splitInput } from '../request/input.js';
import { compileInt64Paths } from '../exchange/json.js';
import type { OperationEntry, OperationTable } from './operation.js';
import { Redactor, type CredentialLocations } from '../errors/redact.js';
import { requestBuilder, type RequestBuilder, type RequestInput } from '../request/request.js';
import { createResponseReader, type Outcome, type ReadPlan } from '../exchange/response.js';
import { IDEMPOTENT_METHODS, resolveRetryPolicy } from '../exchange/retry.js';
import { createThrottle, type ThrottleOptions, type ThrottleSlot } from '../limits/throttle.js';
import type { RateWindow } from '../limits/throttle-store.js';
import { createTransport } from '../exchange/transport.js';
import type { CallOptions, CommonClientOptions, RawClient } from './types.js';
import { isUnder, parseBaseUrl, type BaseUrl } from '../request/url.js';

/** What an API's client gives the core. */
export interface ApiClientConfig<Table extends OperationTable> extends CommonClientOptions {
  /** The API's own server, used when the caller gives no `baseUrl`; operations on it follow the caller's. */
  readonly defaultBaseUrl: string;
  readonly operations: Table;
  /** Where the spec's security schemes carry credentials, redacted by name everywhere. */
  readonly credentialLocations: CredentialLocations;
  /** Makes the API's credentials, registering their secrets with the client's redactor. */
  readonly authenticate?: (redactor: Redactor) => Credentials;
  /** A redactor to share with another client of the same API (uNet's OAuth client and messages client). */
  readonly redactor?: Redactor;
  /** Secrets that are not credentials of requests but must never be printed (an OAuth client secret). */
  readonly secrets?: readonly (string | undefined)[];
  readonly errors?: ErrorBodyHandling;
  /** Input checks run before an operation is sent; they throw `RequestValidationError`. */
  readonly validate?: { readonly [Id in keyof Table]?: (input: RequestInput) => void };
  /** Checks of success bodies that helpers rely on; each returns what is missing, or `undefined`. */
  readonly checks?: { readonly [Id in keyof Table]?: (data: unknown) => string | undefined };
  /** The user's `throttle` option: `true` for the API's table in memory. */
  readonly throttle?: true | ThrottleOptions | undefined;
  /** The API's rate budgets, and which budget and key each request draws from (used when `throttle` is on). */
  readonly rateLimits?: {
    readonly budgets: Readonly<Record<string, readonly RateWindow[]>>;
    readonly classify: (operationId: string | undefined, entry: OperationEntry, input: RequestInput) => ThrottleSlot | undefined;
  };
}

/** What the core hands an API's client. */
export interface ApiClient<Table extends OperationTable> {
  /** One method per operationId, taking the flat input and the call options; resolves to the success body. */
  readonly operations: { readonly [Id in keyof Table]: (input?: unknown, options?: CallOptions) => Promise<unknown> };
  /** The raw style over the same path; typed by the API's client with its `paths`. */
  readonly raw: RawClient<never>;
  /** The client's redactor, to register secrets learned later (tokens from a refresh). */
  readonly redactor: Redactor;
  /**
   * Calls an operation at an exact URL an earlier answer gave (a signed upload URL), for helpers. Credentials go
   * along only when that URL lies under the API's base.
   */
  sendTo(operationId: keyof Table & string, url: string, input: RequestInput, options?: CallOptions): Promise<unknown>;
}

/** What the client keeps per operation. */
interface PreparedOperation extends ReadPlan {
  readonly id: string | undefined;
  readonly entry: OperationEntry;
  readonly base: BaseUrl;
  readonly builder: RequestBuilder;
  readonly validate: ((input: RequestInput) => void) | undefined;
}

const DEFAULT_TIMEOUT_MS = 30_000;
/** The longest timer a runtime can set (2^31 - 1 ms, about 24.8 days). */
const MAX_TIMEOUT_MS = 2_147_483_647;
const RAW_METHODS = ['GET', 'PUT', 'POST', 'DELETE', 'PATCH', 'HEAD', 'OPTIONS'] as const;

/** Parses a base URL the caller gave, as a validation error naming the option when it is not one. */
function callerBaseUrl(raw: unknown, field: string): BaseUrl {
  try {
    if (typeof raw !== 'string') throw new TypeError('not a string');
    return parseBaseUrl(raw);
  } catch {
    throw new RequestValidationError(field, 'must be an absolute http(s) URL');
  }
}

/** Checks a timeout the caller gave; returns it as a whole number of milliseconds. */
function checkTimeout(value: unknown, field: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || value > MAX_TIMEOUT_MS) {
    throw new RequestValidationError(field, `must be a number of milliseconds from 0 (no limit) to ${MAX_TIMEOUT_MS}`);
  }
  return Math.ceil(value);
}

/** Checks the per-call options a caller gave, before anything is built. */
function checkOptions(options: CallOptions | undefined): void {
  if (options === undefined) return;
  if (options === null || typeof options !== 'object') throw new RequestValidationError('options', 'must be an object');
  if (options.signal !== undefined && !(options.signal instanceof AbortSignal)) {
    throw new RequestValidationError('options.signal', 'must be an AbortSignal');
  }
}

/** Builds the core client of one API. */
export function createApiClient<Table extends OperationTable>(config: ApiClientConfig<Table>): ApiClient<Table> {
  const apiBase = callerBaseUrl(config.baseUrl ?? config.defaultBaseUrl, 'baseUrl');
  const ownServer = config.defaultBaseUrl.replace(/\/+$/, '');
  const retry = resolveRetryPolicy(config.retry);
  const clock = retry.clock ?? systemClock;
  const clientTimeoutMs = checkTimeout(config.timeoutMs ?? DEFAULT_TIMEOUT_MS, 'timeoutMs');
  const send = config.fetch ?? globalThis.fetch;
  if (typeof send !== 'function') throw new RequestValidationError('fetch', 'must be a function (no global fetch was found)');
  const redactor = config.redactor ?? new Redactor(config.credentialLocations);
  for (const secret of config.secrets ?? []) redactor.addSecret(secret);
  const credentials = config.authenticate?.(redactor);
  const failures = createFailures(redactor, config.errors);
  const startDeadline = createDeadlines(clock);
  const read = createResponseReader(failures, config.errors ?? {});
  const transport = createTransport({ fetch: send, retry, clock, credentials, redactor, failures, onLog: config.onLog });
  const throttle =
    config.throttle && config.rateLimits ? createThrottle(config.rateLimits.budgets, config.throttle === true ? {} : config.throttle, clock) : undefined;

  function prepare(id: string | undefined, entry: OperationEntry): PreparedOperation {
    const server = entry.server?.replace(/\/+$/, '');
    return {
      id,
      entry,
      base: server && server !== ownServer ? parseBaseUrl(server) : apiBase,
      builder: requestBuilder(entry.method, entry.path, entry),
      int64: compileInt64Paths(entry.int64),
      declared: id !== undefined && !entry.noContent,
      check: id === undefined ? undefined : config.checks?.[id],
      validate: id === undefined ? undefined : config.validate?.[id],
    };
  }

  const byId = new Map<string, PreparedOperation>();
  const byRoute = new Map<string, PreparedOperation>();
  for (const [id, entry] of Object.entries(config.operations)) {
    const prepared = prepare(id, entry);
    byId.set(id, prepared);
    byRoute.set(`${entry.method} ${entry.path}`, prepared);
  }

  async function execute(operation: PreparedOperation, input: RequestInput, options: CallOptions | undefined, exactUrl?: string): Promise<Outcome> {
    checkOptions(options);
    const timeoutMs = options?.timeoutMs === undefined ? clientTimeoutMs : checkTimeout(options.timeoutMs, 'options.timeoutMs');
    operation.validate?.(input);
    const { entry } = operation;
    const base =
      exactUrl !== undefined ? callerBaseUrl(exactUrl, 'url') : options?.baseUrl !== undefined ? callerBaseUrl(options.baseUrl, 'options.baseUrl') : operation.base;
    const request = (exactUrl === undefined ? operation.builder : requestBuilder(entry.method, '', entry)).build(base, input, options?.headers);
    // A URL built on the API's own base needs no second parse; any other is compared on its parsed origin and path.
    const authorized = credentials !== undefined && entry.auth && (base === apiBase || isUnder(request.url, apiBase));
    const deadline = startDeadline(options?.signal, timeoutMs);
    const slot = throttle && config.rateLimits?.classify(operation.id, entry, input);
    const throttled = throttle && slot ? { acquire: (signal: AbortSignal | undefined) => throttle.acquire(slot, signal), pause: (ms: number) => throttle.pause(slot, ms) } : undefined;
    const interruption: Interruption = { timedOut: deadline.timedOut, timeoutMs, callerSignal: options?.signal };
    try {
      return await transport(
        request,
        { operationId: operation.id, idempotent: entry.idempotent, authorized, deadline: deadline.at, signal: deadline.signal, interruption, throttle: throttled },
        (response, attempt, retryAfterMs) => read(response, attempt, operation, interruption, retryAfterMs),
      );
    } catch (error) {
      // A wait cut short (a retry's, the throttle's) or a renewal that failed: classified like a failed fetch.
      throw failures.thrown({ method: entry.method, url: request.url, operationId: operation.id }, error, 'request', interruption);
    } finally {
      deadline.end();
    }
  }

  function operationFor(id: string): PreparedOperation {
    const operation = byId.get(id);
    if (!operation) throw new RequestValidationError('operationId', `${id} is not an operation of this API`);
    return operation;
  }

  const operations: Record<string, (input?: unknown, options?: CallOptions) => Promise<unknown>> = {};
  for (const [id, operation] of byId) {
    operations[id] = async (input, options) => {
      const outcome = await execute(operation, splitInput(id, operation.entry, input), options);
      if (outcome.kind !== 'data') throw outcome.failure;
      return outcome.data;
    };
  }

  const raw: Record<string, unknown> = {};
  for (const method of RAW_METHODS) {
    raw[method] = async (path: string, init: (RequestInput & CallOptions) | undefined = {}) => {
      const { params, body, ...options } = init;
      // A path must start at the base URL's end: `1/messages` after `http://host:3001` would name port 30011.
      if (typeof path !== 'string' || !path.startsWith('/')) throw new RequestValidationError('path', 'must start with /');
      // `.` and `..` segments are folded away by URL parsers, so they could step outside the base path.
      if (/\/\.{1,2}(\/|$)/.test(path)) throw new RequestValidationError('path', 'may not hold . or .. segments');
      const operation =
        byRoute.get(`${method} ${path}`) ??
        prepare(undefined, { method, path, success: 200, idempotent: IDEMPOTENT_METHODS.has(method), auth: true });
      const outcome = await execute(operation, { params, body } as RequestInput, options);
      if (outcome.kind === 'answer') return { error: outcome.error, response: outcome.response };
      if (outcome.kind !== 'data') throw outcome.failure;
      return { data: outcome.data, response: outcome.response };
    };
  }

  return {
    operations: operations as ApiClient<Table>['operations'],
    raw: raw as unknown as RawClient<never>,
    redactor,
    async sendTo(id, url, input, options) {
      const outcome = await execute(operationFor(id), input, options, url);
      if (outcome.kind !== 'data') throw outcome.failure;
      return outcome.data;
    },
  };
}
