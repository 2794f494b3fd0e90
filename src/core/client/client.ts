/**
 * The one request path behind every calling style. A typed method (`getMessage(input, options)`), the raw style
 * (`raw.GET(path, init)`) and the helpers all come here; this file wires the pieces together and holds no logic
 * of its own beyond the order of the hops:
 *
 * input → splitInput (input.ts) → the spec's checks (checks/check.ts) and the API's cross-field rules → requestBuilder (request.ts) → credentials, if the parsed URL lies
 * under the API's base (url.ts) → startDeadline (deadline.ts) → transport (transport.ts: fetch, retries) →
 * response reader (response.ts: status, body, int64, shape) → result, or an error from failures.ts.
 */
import { systemClock } from '../exchange/clock.js';
import type { Credentials } from '../exchange/credentials.js';
import { RequestValidationError } from '../errors/errors.js';
import { createDeadlines } from '../exchange/deadline.js';
import { createFailures, type ErrorBodyHandling, type FailedRequest, type Interruption } from '../errors/failures.js';
import { checkCallOptions, checkPresence, splitInput } from '../request/input.js';
import { checkValues } from '../request/values.js';
import { compileInt64Paths } from '../exchange/json.js';
import type { OperationEntry } from './operation.js';
import type { ApiSpec } from './spec.js';
import { checkRequest, refusalError, type RefusalError, type RequestCheck } from '../checks/check.js';
import { pageCheck, walkList, type PagedList } from '../pagination/paged-list.js';
import { Redactor, type CredentialLocations } from '../errors/redact.js';
import { requestBuilder, type RequestBuilder, type RequestInput } from '../request/request.js';
import { createResponseReader, type Outcome, type ReadPlan } from '../exchange/response.js';
import { IDEMPOTENT_METHODS, resolveRetryPolicy } from '../exchange/retry.js';
import { createThrottle, type ThrottleOptions, type ThrottleSlot } from '../limits/throttle.js';
import type { RateWindow } from '../limits/throttle-store.js';
import { createTransport } from '../exchange/transport.js';
import type { CallTelemetry, Telemetry } from '../telemetry/telemetry.js';
import { lazyTelemetry } from '../telemetry/lazy.js';
import { OutcomePromise } from './api-promise.js';
import type { ExactlyOnceEnvironment } from '../delivery/exactly-once.js';
import type { ApiPromise, CallOptions, CommonClientOptions, RawClient } from './types.js';
import { isUnder, parseBaseUrl, type BaseUrl } from '../request/url.js';
import { describeType } from '../errors/shape.js';

/** What an API gives the core: only what is specific to the API (its generated parts come per operation). */
export interface CoreConfig<Operations> extends CommonClientOptions {
  /** The API's short name (`pachca`, `ok`, `unet`): the first part of each span's name. */
  readonly api: string;
  /** The API's own server, used when the caller gives no `baseUrl`; operations on it follow the caller's. */
  readonly defaultBaseUrl: string;
  /** Where the spec's security schemes carry credentials, redacted by name everywhere. */
  readonly credentialLocations: CredentialLocations;
  /** Makes the API's credentials, registering their secrets with the client's redactor. */
  readonly authenticate?: (redactor: Redactor) => Credentials;
  /** A redactor to share with another client of the same API (uNet's OAuth client and messages client). */
  readonly redactor?: Redactor;
  /** Secrets that are not credentials of requests but must never be printed (an OAuth client secret). */
  readonly secrets?: readonly (string | undefined)[];
  readonly errors?: ErrorBodyHandling;
  /**
   * Rules no schema keyword can state (a limit across fields), run after the spec's own checks; they throw
   * `RequestValidationError`.
   */
  readonly rules?: { readonly [Id in keyof Operations]?: (input: RequestInput) => void };
  /** How a broken rule of the spec is thrown; the API may name its own error for some fields. */
  readonly refusal?: RefusalError;
  /** Checks of success bodies that helpers rely on; each returns what is missing, or `undefined`. */
  readonly checks?: { readonly [Id in keyof Operations]?: (data: unknown) => string | undefined };
  /** The user's `throttle` option: `true` for the API's table in memory. */
  readonly throttle?: true | ThrottleOptions | undefined;
  /** The API's rate budgets, and which budget and key each request draws from (used when `throttle` is on). */
  readonly rateLimits?: {
    readonly budgets: Readonly<Record<string, readonly RateWindow[]>>;
    readonly classify: (operationId: string | undefined, entry: OperationEntry, input: RequestInput) => ThrottleSlot | undefined;
  };
}

/** What an API's client gives the core: its generated parts, and only what is specific to the API. */
export interface ApiClientConfig<Operations, Iterators, Paths> extends Omit<CoreConfig<Operations>, 'credentialLocations'> {
  /** The generated parts: operations, request checks, paged lists, where credentials travel. */
  readonly spec: ApiSpec<Operations, Iterators, Paths>;
}

/** One operation as a standalone call carries it: its id, its table row and what the spec states about it. */
export interface OperationDefinition {
  readonly id: string;
  readonly entry: OperationEntry;
  /** The spec's check of the request. */
  readonly check?: RequestCheck | undefined;
  /** A check of the answer that the client's helpers rely on (a page's shape, for the walker of a paged list). */
  readonly answerCheck?: ((data: unknown) => string | undefined) | undefined;
}

/**
 * The small core object of one API: the request path with the API's credentials, errors and rules, and no
 * operation of its own. A standalone operation (`createMessage(core, input)`) and every bound method call it.
 */
export interface ApiCore {
  /** The core's redactor, to register secrets learned later (tokens from a refresh). */
  readonly redactor: Redactor;
  /** What an exactly-once send needs of the client: its clock, its time limit, its log and its telemetry. */
  readonly delivery: ExactlyOnceEnvironment;
  /** Calls an operation with the flat input a typed method takes; resolves to the success body (or, through `.withResponse()`, to it with its response). */
  call(definition: OperationDefinition, input: unknown, options?: CallOptions): ApiPromise<unknown>;
  /** Calls an operation at an exact URL an earlier answer gave (a signed upload URL). */
  sendTo(definition: OperationDefinition, url: string, input: RequestInput, options?: CallOptions): Promise<unknown>;
  /** The raw style: `{ data }` or `{ error }` with the response; `definition` is the spec's operation of the route, if any. */
  raw(method: string, path: unknown, init: (RequestInput & CallOptions) | undefined, definition: OperationDefinition | undefined): Promise<unknown>;
}

/** What the core hands an API's client, typed by the generated parts it was built from. */
export interface ApiClient<Operations, Iterators, Paths> {
  /** One method per operationId, taking the flat input and the call options; resolves to the success body. */
  readonly operations: Operations;
  /** One lazy iterator per paged list of the spec. */
  readonly iterators: Iterators;
  /** The raw style over the same path. */
  readonly raw: RawClient<Paths>;
  /** The client's redactor, to register secrets learned later (tokens from a refresh). */
  readonly redactor: Redactor;
  /**
   * Calls an operation at an exact URL an earlier answer gave (a signed upload URL), for helpers. Credentials go
   * along only when that URL lies under the API's base.
   */
  sendTo(operationId: keyof Operations & string, url: string, input: RequestInput, options?: CallOptions): Promise<unknown>;
  /** What an exactly-once send needs of the client: its clock, its time limit and its log. */
  readonly delivery: ExactlyOnceEnvironment;
}

/** What the core keeps per operation. */
interface PreparedOperation extends ReadPlan {
  readonly id: string | undefined;
  readonly entry: OperationEntry;
  readonly base: BaseUrl;
  readonly builder: RequestBuilder;
  /** What the spec states about the request, when checks are on. */
  readonly requestCheck: RequestCheck | undefined;
  /** The API's cross-field rules, when checks are on. */
  readonly rules: ((input: RequestInput) => void) | undefined;
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

/** Every common option, by key: a record, so that an option added to CommonClientOptions and left out here does not compile. */
const COMMON_OPTION_KEYS: Readonly<Record<keyof CommonClientOptions, true>> = { baseUrl: true, fetch: true, retry: true, timeoutMs: true, onLog: true, checkRequests: true, telemetry: true };
const COMMON_OPTIONS = Object.keys(COMMON_OPTION_KEYS);

/**
 * Checks the options a client is made with: an object, and no key the client does not know (`timeoutMS` would
 * otherwise leave every call with the default limit without a word). `own` names the API's own options.
 */
export function checkClientOptions(options: unknown, own: readonly string[]): void {
  if (options === null || typeof options !== 'object' || Array.isArray(options)) {
    throw new RequestValidationError('options', `must be an object of client options, not ${describeType(options)}`);
  }
  for (const key of Object.keys(options)) {
    if (own.includes(key) || (COMMON_OPTIONS as readonly string[]).includes(key) || (options as Record<string, unknown>)[key] === undefined) continue;
    throw new RequestValidationError(key, `is not an option of this client (${[...own, ...COMMON_OPTIONS].join(', ')})`);
  }
  const { onLog } = options as CommonClientOptions;
  if (onLog !== undefined && typeof onLog !== 'function') throw new RequestValidationError('onLog', `must be a function, not ${describeType(onLog)}`);
}

/** Two checks of an answer as one: the first problem either finds. */
function bothChecks(
  first: ((data: unknown) => string | undefined) | undefined,
  second: ((data: unknown) => string | undefined) | undefined,
): ((data: unknown) => string | undefined) | undefined {
  if (!first || !second) return first ?? second;
  return (data) => first(data) ?? second(data);
}

/** Builds the core object of one API. */
export function createCore<Operations>(config: CoreConfig<Operations>): ApiCore {
  const checking = config.checkRequests ?? true;
  if (typeof checking !== 'boolean') throw new RequestValidationError('checkRequests', 'must be true or false');
  const refuse = config.refusal ?? refusalError;
  const resultChecks = config.checks as Readonly<Record<string, ((data: unknown) => string | undefined) | undefined>> | undefined;
  const rules = config.rules as Readonly<Record<string, ((input: RequestInput) => void) | undefined>> | undefined;
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
  const read = createResponseReader(failures, config.errors ?? {}, redactor);
  const transport = createTransport({ fetch: send, retry, clock, credentials, redactor, failures, onLog: config.onLog });
  const telemetry = lazyTelemetry(config.api, config.telemetry, clock);
  const throttle =
    config.throttle && config.rateLimits ? createThrottle(config.rateLimits.budgets, config.throttle === true ? {} : config.throttle, clock) : undefined;

  function build(definition: OperationDefinition | undefined, entry: OperationEntry): PreparedOperation {
    const server = entry.server?.replace(/\/+$/, '');
    const id = definition?.id;
    return {
      id,
      entry,
      base: server && server !== ownServer ? parseBaseUrl(server) : apiBase,
      builder: requestBuilder(entry.method, entry.path, entry),
      int64: compileInt64Paths(entry.int64),
      declared: id !== undefined && !entry.noContent,
      // The definition's own check (a page's shape) and the API's check of the answer, if any, both run.
      check: id === undefined ? undefined : bothChecks(definition?.answerCheck, resultChecks?.[id]),
      requestCheck: checking ? definition?.check : undefined,
      rules: id === undefined || !checking ? undefined : rules?.[id],
    };
  }

  /** Each operation is prepared once, on its first call. */
  const prepared = new WeakMap<OperationDefinition, PreparedOperation>();
  function prepare(definition: OperationDefinition): PreparedOperation {
    let operation = prepared.get(definition);
    if (!operation) prepared.set(definition, (operation = build(definition, definition.entry)));
    return operation;
  }

  /**
   * Runs a call, inside its telemetry when a tracer or a meter would record it. `flat` says that `input` is a
   * typed method's flat input, split inside the call so that a wrong one rejects instead of throwing.
   */
  function execute(operation: PreparedOperation, input: unknown, flat: boolean, options: CallOptions | undefined, exactUrl?: string, raw = false): Promise<Outcome> {
    const ready = telemetry.ready();
    if (ready === undefined) return exchange(operation, input, flat, options, exactUrl, raw, undefined);
    // Only a client whose calls could be recorded gets here, and pays for this closure.
    const start = (loaded: Telemetry | undefined): Promise<Outcome> => {
      const observer = loaded?.start(operation.id, operation.entry.method);
      return observer ? observed(observer, operation, input, flat, options, exactUrl, raw) : exchange(operation, input, flat, options, exactUrl, raw, undefined);
    };
    return ready instanceof Promise ? ready.then(start) : start(ready);
  }

  async function observed(
    observer: CallTelemetry,
    operation: PreparedOperation,
    input: unknown,
    flat: boolean,
    options: CallOptions | undefined,
    exactUrl: string | undefined,
    raw: boolean,
  ): Promise<Outcome> {
    try {
      const outcome = await exchange(operation, input, flat, options, exactUrl, raw, observer);
      observer.end(outcome.kind === 'data' ? { status: outcome.response.status } : { error: outcome.failure });
      return outcome;
    } catch (error) {
      observer.end({ error });
      throw error;
    }
  }

  async function exchange(
    operation: PreparedOperation,
    given: unknown,
    flat: boolean,
    options: CallOptions | undefined,
    exactUrl: string | undefined,
    raw: boolean,
    observer: CallTelemetry | undefined,
  ): Promise<Outcome> {
    const input = flat ? splitInput(operation.id as string, operation.entry, given) : (given as RequestInput);
    checkCallOptions(options, operation, raw);
    // A path the spec does not have (raw style) may take anything; a spec operation takes what its spec says.
    if (operation.id !== undefined) checkPresence(operation.id, operation.entry, input, checking);
    // What no serializer can carry (NaN, a BigInt or a cycle in JSON, an object where text goes) is refused first.
    checkValues(operation.entry, input);
    const timeoutMs = options?.timeoutMs === undefined ? clientTimeoutMs : checkTimeout(options.timeoutMs, 'options.timeoutMs');
    const refusal = operation.requestCheck && checkRequest(operation.requestCheck, input);
    if (refusal) throw refuse(refusal);
    operation.rules?.(input);
    const { entry } = operation;
    const base =
      exactUrl !== undefined ? callerBaseUrl(exactUrl, 'url') : options?.baseUrl !== undefined ? callerBaseUrl(options.baseUrl, 'options.baseUrl') : operation.base;
    const request = (exactUrl === undefined ? operation.builder : requestBuilder(entry.method, '', entry)).build(base, input, options?.headers);
    observer?.request(entry.method, redactor.url(request.url));
    // A URL built on the API's own base needs no second parse; any other is compared on its parsed origin and path.
    const authorized = credentials !== undefined && entry.auth && (base === apiBase || isUnder(request.url, apiBase));
    const deadline = startDeadline(options?.signal, timeoutMs);
    const slot = throttle && config.rateLimits?.classify(operation.id, entry, input);
    const throttled =
      throttle && slot
        ? {
            acquire: observer
              ? async (signal: AbortSignal | undefined) => {
                  const queued = clock.now();
                  await throttle.acquire(slot, signal);
                  observer.throttled(slot.budget, clock.now() - queued);
                }
              : (signal: AbortSignal | undefined) => throttle.acquire(slot, signal),
            pause: (ms: number) => {
              observer?.paused(slot.budget, ms);
              return throttle.pause(slot, ms);
            },
          }
        : undefined;
    const interruption: Interruption = { timedOut: deadline.timedOut, timeoutMs, callerSignal: options?.signal };
    try {
      const context = { operationId: operation.id, idempotent: entry.idempotent, authorized, deadline: deadline.at, signal: deadline.signal, interruption, throttle: throttled, observer };
      const readAnswer = (response: Response, attempt: FailedRequest, retryAfterMs: number | undefined) => read(response, attempt, operation, interruption, retryAfterMs);
      return await (observer ? observer.within(() => transport(request, context, readAnswer)) : transport(request, context, readAnswer));
    } catch (error) {
      // A wait cut short (a retry's, the throttle's) or a renewal that failed: classified like a failed fetch.
      throw failures.thrown({ method: entry.method, url: request.url, operationId: operation.id }, error, 'request', interruption);
    } finally {
      deadline.end();
    }
  }

  return {
    redactor,
    delivery: { clock, timeoutMs: clientTimeoutMs, onLog: config.onLog, lookups: new Map(), telemetry },
    call(definition, input, options) {
      return new OutcomePromise(execute(prepare(definition), input, true, options));
    },
    async sendTo(definition, url, input, options) {
      const outcome = await execute(prepare(definition), input, false, options, url);
      if (outcome.kind !== 'data') throw outcome.failure;
      return outcome.data;
    },
    async raw(method, path, init = {}, definition) {
      if (init === null || typeof init !== 'object') throw new RequestValidationError('init', `must be an object of params, body and call options, not ${describeType(init)}`);
      const { params, body, ...options } = init;
      if (params !== undefined && (params === null || typeof params !== 'object')) throw new RequestValidationError('params', `must be an object, not ${describeType(params)}`);
      // A path must start at the base URL's end: `1/messages` after `http://host:3001` would name port 30011.
      if (typeof path !== 'string' || !path.startsWith('/')) throw new RequestValidationError('path', 'must start with /');
      // `.` and `..` segments are folded away by URL parsers, so they could step outside the base path.
      if (/\/\.{1,2}(\/|$)/.test(path)) throw new RequestValidationError('path', 'may not hold . or .. segments');
      const operation = definition ? prepare(definition) : build(undefined, { method, path, success: 200, idempotent: IDEMPOTENT_METHODS.has(method), auth: true });
      const outcome = await execute(operation, { params, body } as RequestInput, false, options, undefined, true);
      if (outcome.kind === 'answer') return { error: outcome.error, response: outcome.response };
      if (outcome.kind !== 'data') throw outcome.failure;
      return { data: outcome.data, response: outcome.response };
    },
  };
}

/** Builds the client of one API: its core, with every operation of the spec bound, every paged list's iterator and the raw style. */
export function createApiClient<Operations, Iterators, Paths>(config: ApiClientConfig<Operations, Iterators, Paths>): ApiClient<Operations, Iterators, Paths> {
  const { spec } = config;
  const core = createCore<Operations>({ ...config, credentialLocations: spec.credentialLocations });
  const checks = spec.checks as Readonly<Record<string, RequestCheck | undefined>>;
  const lists = new Map(Object.values<PagedList>(spec.lists).map((list) => [list.list, list]));

  const definitions = new Map<string, OperationDefinition>();
  const byRoute = new Map<string, OperationDefinition>();
  const operations: Record<string, (input?: unknown, options?: CallOptions) => ApiPromise<unknown>> = {};
  for (const [id, entry] of Object.entries(spec.operations)) {
    const list = lists.get(id);
    // A list's page check guards what the walker reads.
    const definition: OperationDefinition = { id, entry, check: checks[id], answerCheck: list && pageCheck(list) };
    definitions.set(id, definition);
    byRoute.set(`${entry.method} ${entry.path}`, definition);
    operations[id] = (input, options) => core.call(definition, input, options);
  }

  const raw: Record<string, unknown> = {};
  for (const method of RAW_METHODS) {
    raw[method] = (path: unknown, init: (RequestInput & CallOptions) | undefined) => core.raw(method, path, init, byRoute.get(`${method} ${String(path)}`));
  }

  const iterators: Record<string, (input?: unknown, options?: CallOptions) => AsyncGenerator<unknown, void, undefined>> = {};
  for (const [name, list] of Object.entries<PagedList>(spec.lists)) {
    const fetchPage = operations[list.list];
    if (!fetchPage) throw new Error(`the paged list ${name} walks ${list.list}, which is not an operation of this API`);
    iterators[name] = (input, options) => walkList(list, (pageInput) => fetchPage(pageInput, options), input);
  }

  // The one place the runtime records meet the generated types they were built from.
  return {
    operations: operations as Operations,
    iterators: iterators as Iterators,
    raw: raw as unknown as RawClient<Paths>,
    redactor: core.redactor,
    delivery: core.delivery,
    sendTo(id, url, input, options) {
      const definition = definitions.get(id);
      if (!definition) throw new RequestValidationError('operationId', `${id} is not an operation of this API`);
      return core.sendTo(definition, url, input, options);
    },
  };
}

/**
 * An operation as a standalone function of a core object, typed as the generated method it is: a program that
 * imports one operation carries that operation's row and checks and no other.
 */
export function standaloneOperation<Method extends (...args: never[]) => Promise<unknown>>(
  definition: OperationDefinition,
): (core: ApiCore, ...args: Parameters<Method>) => ReturnType<Method> {
  const call = (core: ApiCore, input?: unknown, options?: CallOptions): Promise<unknown> => core.call(definition, input, options);
  // The definition's row and checks are the generated ones of the operation `Method` types.
  return call as unknown as (core: ApiCore, ...args: Parameters<Method>) => ReturnType<Method>;
}
