/**
 * An in-process fake of one API for a bot's tests: no process, no port, no Prism. Its `fetch` checks each request
 * against the spec (with checks compiled when the package was generated), answers from memory for what a bot does
 * most (messages, reactions, threads, chats and members) and from the spec's examples for the rest, records every
 * call, plays faults on demand, and refuses any URL that is not the API's, so nothing ever leaves the process.
 */
import type { OperationEntry } from '../../core/client/operation.js';
import type { FetchFunction } from '../../core/client/types.js';
import { Redactor, type CredentialLocations } from '../../core/errors/redact.js';
import { requestMethod, requestUrl, serverPattern, UnmockedRequestError } from '../guard.js';
import { deliverEvent, type ExampleDelivery } from '../webhooks.js';
import { FakeAssertionError, findSent, redactBody, type FakeCall } from './calls.js';
import { connectionReset, describeFault, FaultQueue, stall, type FakeFault, type FakeFaultOptions } from './faults.js';
import { readIncoming, urlReader } from './incoming.js';
import { copyJson, stringifyExactJson } from './json.js';
import type { FakeModule, FakeResponse } from './model.js';
import { checkBody, checkParameters, compileRoutes, findRoute, type Violation } from './request.js';
import { textResponse } from './response.js';
import type { ErrorShape, FakeAnswer, FakeExchange, FakeHandlers } from './state.js';
import { okErrorShape, okHandlers } from './state-ok.js';
import { pachcaErrorShape, pachcaHandlers, type PachcaEventQueue } from './state-pachca.js';
import { unetErrorShape, unetHandlers } from './state-unet.js';

/** The APIs a fake can stand in for. */
export type FakeApiName = 'pachca' | 'ok' | 'unet';

/** Options of {@link createFakeApi}. */
export interface FakeApiOptions {
  /**
   * Keep state: a message created can be fetched, listed, edited and deleted. Off, every call is answered from
   * the spec's examples, as the Prism mock does (the project's contract tests run the fake that way).
   * @default true
   */
  readonly stateful?: boolean;
}

/** What a fake gives a client: spread it into the client's options. */
export interface FakeClientOptions {
  /** The fake's base URL, on a reserved name (`.invalid`) that no network resolves. */
  readonly baseUrl: string;
  /** Answers in process; refuses any URL but the fake's own and the servers the spec names. */
  readonly fetch: FetchFunction;
}

/** Options of {@link FakeApi.deliverEvent}. */
export interface FakeDeliveryOptions {
  /** For Pachca: the signing secret the handler was given. */
  readonly signingSecret?: string;
  /**
   * The URL the request is addressed to.
   * @default http://localhost/webhook
   */
  readonly url?: string;
  /**
   * Fields to change in the event before it is sent (a shallow merge), such as `{ content: '/report' }`.
   * @default no change
   */
  readonly overrides?: object;
}

/** An in-process fake of one API. */
export interface FakeApi {
  readonly api: FakeApiName;
  /** The fake's base URL. */
  readonly url: string;
  /**
   * The options to give a client: `createPachcaClient({ token: 'test', ...fake.clientOptions })`. Nothing sent
   * with them leaves the process.
   */
  readonly clientOptions: FakeClientOptions;
  /** The fake's `fetch` (the one in {@link clientOptions}); it takes what the platform's `fetch` takes. */
  readonly fetch: typeof fetch;
  /** Every call so far, oldest first (retries included), with credentials redacted. */
  readonly calls: readonly FakeCall[];
  /**
   * Checks that a call of `operationId` was made whose body includes `partialBody` (objects by the keys given,
   * arrays item by item); returns it, or throws an assertion error listing the calls that were made.
   */
  expectSent(operationId: string, partialBody?: unknown): FakeCall;
  /** Checks that no call of `operationId` was made; throws an assertion error listing them otherwise. */
  expectNotSent(operationId: string): void;
  /**
   * Makes the next call of `operationId` (`*`: of any operation), or the next `times` calls, fail with `fault`:
   * a status (with `Retry-After`), a connection reset, a stall or a wrong-shaped success.
   */
  failNext(operationId: string, fault: FakeFault, options?: FakeFaultOptions): void;
  /**
   * Sends one webhook event to a handler's Fetch form, as the vendor would (Pachca's signed with
   * `signingSecret` and stamped with the current time): an example's name from the spec (`newMessage`), or an
   * event of your own.
   */
  deliverEvent(handler: { fetch(request: Request): Promise<Response> }, event: string | object, options?: FakeDeliveryOptions): Promise<ExampleDelivery>;
  /**
   * Pachca: stores an event for the events endpoint (`listWebhookEvents`), where a bot polling with
   * `pollWebhookEvents` finds it; returns the stored event's id. The queue starts empty.
   */
  queueEvent(payload: object): string;
  /** Forgets every call, fault, stored event and change: the fake is as new. */
  reset(): void;
}

interface Loaded {
  readonly module: FakeModule;
  readonly operations: Readonly<Record<string, OperationEntry>>;
  readonly credentialLocations: CredentialLocations;
}

// Each API's generated tables load only when a fake of it is made.
const LOADERS: Record<FakeApiName, () => Promise<Loaded>> = {
  pachca: async () => {
    const [module, api] = await Promise.all([import('../../../generated/pachca-fake.js'), import('../../../generated/pachca.js')]);
    return { module, operations: api.operationTable, credentialLocations: api.credentialLocations };
  },
  ok: async () => {
    const [module, api] = await Promise.all([import('../../../generated/ok-fake.js'), import('../../../generated/ok.js')]);
    return { module, operations: api.operationTable, credentialLocations: api.credentialLocations };
  },
  unet: async () => {
    const [module, api] = await Promise.all([import('../../../generated/unet-fake.js'), import('../../../generated/unet.js')]);
    return { module, operations: api.operationTable, credentialLocations: api.credentialLocations };
  },
};

interface ApiBehaviour {
  readonly errorShape: ErrorShape;
  readonly handlers: (events: PachcaEventQueue) => FakeHandlers;
}

const BEHAVIOURS: Record<FakeApiName, ApiBehaviour> = {
  pachca: { errorShape: pachcaErrorShape, handlers: pachcaHandlers },
  ok: { errorShape: okErrorShape, handlers: () => okHandlers() },
  unet: { errorShape: unetErrorShape, handlers: () => unetHandlers() },
};

/** A deep copy of an example, so that a handler may change what it answers. */
function copy<T>(value: T): T {
  return value === undefined ? value : copyJson(value);
}

/** What {@link declared} found, per operation's answers and status: each call of an operation looks it up again. */
const declaredByStatus = new WeakMap<readonly FakeResponse[], Map<number, FakeResponse | undefined>>();

/** The declared answer for a status: the exact one, then its range (`4XX`), then `default`. */
function declared(responses: readonly FakeResponse[], status: number): FakeResponse | undefined {
  let found = declaredByStatus.get(responses);
  if (!found) declaredByStatus.set(responses, (found = new Map()));
  if (found.has(status)) return found.get(status);
  const response =
    responses.find((candidate) => candidate.status === String(status)) ??
    responses.find((candidate) => candidate.status === `${String(status)[0]}XX`) ??
    responses.find((candidate) => candidate.status === 'default');
  found.set(status, response);
  return response;
}

/** The headers of each declared answer, lower-case, with their example values, made once per answer. */
const headersOfAnswer = new WeakMap<FakeResponse, Readonly<Record<string, string>>>();

/** The headers a declared answer gives (those with an example value), lower-case. */
function declaredHeaders(response: FakeResponse | undefined): Readonly<Record<string, string>> {
  if (!response?.headers) return {};
  let headers = headersOfAnswer.get(response);
  if (!headers) {
    const made: Record<string, string> = {};
    for (const [name, value] of Object.entries(response.headers)) if (value !== null && value !== undefined) made[name.toLowerCase()] = String(value);
    headersOfAnswer.set(response, (headers = made));
  }
  return headers;
}

/** The first example of a declared answer. */
function firstExample(response: FakeResponse | undefined): unknown {
  return response ? Object.values(response.examples)[0] : undefined;
}

/** Prism's `Prefer` header, which the fake honours too: `code=404`, `example=serviceMessage`. */
function preference(headers: Headers): { code?: number; example?: string } {
  const prefer = headers.get('prefer');
  if (!prefer) return {};
  const result: { code?: number; example?: string } = {};
  for (const part of prefer.split(',')) {
    const [name, value] = part.split('=').map((text) => text.trim());
    if (name === 'code' && value && /^\d{3}$/.test(value)) result.code = Number(value);
    if (name === 'example' && value) result.example = value;
  }
  return result;
}

/**
 * Creates an in-process fake of one API, ready at once (no process, no port). Give a client its
 * `clientOptions`; check what the bot sent with `calls` and `expectSent`; make calls fail with `failNext`.
 *
 * @example
 * const fake = await createFakeApi('pachca');
 * const pachca = createPachcaClient({ token: 'test', ...fake.clientOptions });
 * await pachca.createMessage({ body: { message: { entity_id: 334, content: 'Hello' } } });
 * fake.expectSent('createMessage', { message: { content: 'Hello' } });
 */
export async function createFakeApi(api: FakeApiName, options: FakeApiOptions = {}): Promise<FakeApi> {
  const loader = LOADERS[api];
  if (!loader) throw new TypeError(`createFakeApi: unknown API ${String(api)}; use 'pachca', 'ok' or 'unet'`);
  if (options === null || typeof options !== 'object') throw new TypeError('createFakeApi: options must be an object');
  if (options.stateful !== undefined && typeof options.stateful !== 'boolean') throw new TypeError('createFakeApi: stateful must be true or false');
  const { module, operations, credentialLocations } = await loader();
  const behaviour = BEHAVIOURS[api];
  const stateful = options.stateful ?? true;
  const url = `https://${api}.fake.invalid`;
  const served = [url, ...module.fakeServers];
  const prefixes = served.map((server) => serverPattern(server)).sort((a, b) => b.source.length - a.source.length);
  /** The served address a URL starts with (the longest pattern first), or `undefined` for a URL the fake refuses. */
  const servedPrefix = (target: string): string | undefined => {
    for (const pattern of prefixes) {
      const match = pattern.exec(target);
      if (match) return match[0];
    }
    return undefined;
  };
  const routes = compileRoutes(Object.entries(operations).map(([id, entry]) => ({ operationId: id, method: entry.method, template: entry.path })));
  const credentialQuery = credentialLocations.query ?? [];
  const readQuery = urlReader();

  const calls: FakeCall[] = [];
  const faults = new FaultQueue();
  const events: PachcaEventQueue = { items: [], nextId: 1 };
  let handlers = stateful ? behaviour.handlers(events) : {};
  // One redactor for the fake's life: it learns each credential a call carries and hides it in every later record.
  const redactor = new Redactor(credentialLocations);
  // The credentials it knows already: a client sends the same one on every call, and learning one costs its encodings.
  const learned = new Set<string>();
  const learn = (secret: string | null | undefined): void => {
    if (typeof secret !== 'string' || learned.has(secret)) return;
    learned.add(secret);
    redactor.addSecret(secret);
  };

  const answer = (status: number, body: unknown, headers: Record<string, string> = {}, statusText?: string): Response => {
    const init = statusText ? { status, statusText } : { status };
    if (body === undefined || status === 204 || status === 304) return new Response(null, { ...init, headers });
    const all = { 'content-type': 'application/json', ...headers };
    if (typeof body === 'string' && all['content-type']?.startsWith('text/')) return textResponse(body, { ...init, headers: all });
    return textResponse(stringifyExactJson(body), { ...init, headers: all }, 'json');
  };

  /**
   * The answer to a refused request: the API's error shape naming the field, and Prism's `sl-violations`; 422, or
   * the 400 the operation declares instead, as Prism chooses.
   */
  const refuse = (responses: readonly FakeResponse[], violation: Violation): Response => {
    const declares = (status: string) => responses.some((response) => response.status === status);
    const status = !declares('422') && declares('400') ? 400 : 422;
    const text = `${violation.field} ${violation.message}`;
    const statusText = `Refused by the fake: ${text}`.replace(/[^\x20-\x7e]/g, '?').slice(0, 500);
    return answer(status, behaviour.errorShape(status, violation.field, violation.message, violation.value), {
      'sl-violations': JSON.stringify([{ location: violation.location, message: text }]).replace(/[^\x20-\x7e]/g, '?'),
    }, statusText);
  };

  /** An answer the spec declares for `status`: its example (or the API's error shape) and its example headers. */
  const declaredAnswer = (responses: readonly FakeResponse[], status: number, exampleName?: string): Response => {
    const response = declared(responses, status);
    const headers: Record<string, string> = { ...declaredHeaders(response) };
    if (response?.contentType && response.contentType !== 'application/json') headers['content-type'] = response.contentType;
    const example = exampleName !== undefined && response && exampleName in response.examples ? response.examples[exampleName] : firstExample(response);
    const body = example !== undefined ? copy(example) : status >= 400 ? behaviour.errorShape(status, 'request', `answered ${status}`, undefined) : undefined;
    return answer(status, body, headers);
  };

  const playFault = (fault: FakeFault, entry: OperationEntry, responses: readonly FakeResponse[], signal: AbortSignal | null | undefined): Promise<Response> => {
    if (!('status' in fault)) {
      if (fault.kind === 'reset') return Promise.reject(connectionReset());
      if (fault.kind === 'stall') return stall(signal);
      return Promise.resolve(answer(entry.success === 204 || entry.success >= 300 ? 200 : entry.success, 'body' in fault ? fault.body : []));
    }
    const base = declaredAnswer(responses, fault.status);
    const headers: Record<string, string> = {};
    base.headers.forEach((value, name) => (headers[name] = value));
    if (fault.retryAfter !== undefined) headers['retry-after'] = String(fault.retryAfter);
    if (fault.body !== undefined) return Promise.resolve(answer(fault.status, fault.body, headers));
    return base.text().then((text) => new Response(fault.status === 204 ? null : text || null, { status: fault.status, headers }));
  };

  const fetch: typeof globalThis.fetch = async (input, init) => {
    const target = requestUrl(input);
    const method = requestMethod(input, init);
    const prefix = servedPrefix(target);
    if (prefix === undefined) throw new UnmockedRequestError(method, target, served);
    const query = readQuery(target, prefix);
    const request = readIncoming(input, init, target, method);
    const path = target.slice(prefix.length).split(/[?#]/)[0] || '/';
    const bearer = /^Bearer\s+(.+)$/i.exec(request.headers.get('authorization') ?? '')?.[1];
    learn(bearer);
    for (const name of credentialQuery) learn(query.get(name));
    const headers = redactor.headers(request.headers);
    const record = (operationId: string | undefined, params: FakeCall['params'], body: unknown, status: number | undefined, fault?: FakeFault): void => {
      const call: FakeCall = { operationId, params, body: redactBody(redactor, body), status, method, url: redactor.url(target), headers };
      calls.push(fault ? { ...call, fault: describeFault(fault) } : call);
    };

    const found = findRoute(routes, method, path);
    if (!found) {
      record(undefined, { path: {}, query: {} }, undefined, 404);
      return answer(404, behaviour.errorShape(404, 'path', `no operation ${method} ${path}`, path));
    }
    const operationId = found.route.operationId;
    const entry = operations[operationId] as OperationEntry;
    const operation = module.fakeOperations[operationId];
    if (!operation) throw new Error(`generated/${api}-fake.ts has no ${operationId}: run npm run generate`);
    const { responses } = operation;
    const params = checkParameters(operation, module.fakeChecks, found.raw, query, request.headers);
    const { body, violation: bodyViolation } = await checkBody(operation, module.fakeChecks, request);
    const typed = { path: params.path, query: params.query };
    const done = (response: Response, fault?: FakeFault): Response => {
      record(operationId, typed, body, response.status, fault);
      return response;
    };

    const fault = faults.take(operationId);
    if (fault) {
      try {
        return done(await playFault(fault, entry, responses, request.signal), fault);
      } catch (error) {
        record(operationId, typed, body, undefined, fault);
        throw error;
      }
    }

    const authorized = !entry.auth || bearer !== undefined || credentialQuery.some((name) => query.get(name));
    if (!authorized) return done(declaredAnswer(responses, 401));
    const prefer = preference(request.headers);
    if (prefer.code !== undefined) return done(declaredAnswer(responses, prefer.code, prefer.example));
    const violation = params.violation ?? bodyViolation;
    if (violation) return done(refuse(responses, violation));
    if (prefer.example !== undefined) {
      const named = responses.find((response) => prefer.example !== undefined && prefer.example in response.examples);
      return done(declaredAnswer(responses, named ? Number(named.status) || entry.success : entry.success, prefer.example));
    }

    const handler = handlers[operationId];
    if (!handler) return done(declaredAnswer(responses, entry.success));
    const exchange: FakeExchange = {
      operationId,
      path: typed.path,
      query: typed.query,
      body,
      example: (status) => copy(firstExample(declared(responses, status ?? entry.success))),
      exampleOf: (id) => copy(firstExample(declared(module.fakeOperations[id]?.responses ?? [], operations[id]?.success ?? 200))),
      error: (status, field, message, value) => ({ status, body: behaviour.errorShape(status, field, message, value) }),
    };
    const result: FakeAnswer = handler(exchange);
    return done(answer(result.status, result.body, { ...declaredHeaders(declared(responses, result.status)), ...result.headers }));
  };

  return {
    api,
    url,
    clientOptions: { baseUrl: url, fetch },
    fetch,
    get calls() {
      return calls;
    },
    expectSent: (operationId, partialBody) => findSent(calls, operationId, partialBody),
    expectNotSent(operationId) {
      const made = calls.filter((call) => call.operationId === operationId);
      if (made.length > 0) throw new FakeAssertionError(`Expected no ${operationId} call, but ${made.length} were made`, made.map((call) => call.body), []);
    },
    failNext: (operationId, fault, faultOptions) => {
      if (operationId !== '*' && !(operationId in operations)) throw new TypeError(`failNext: ${operationId} is not an operation of ${api}`);
      faults.add(operationId, fault, faultOptions);
    },
    deliverEvent: (handler, event, deliveryOptions = {}) => {
      if (api === 'unet') return Promise.reject(new TypeError('uNet sends no webhooks'));
      let payload: unknown = event;
      if (typeof event === 'string') {
        if (!(event in module.fakeWebhookExamples)) {
          return Promise.reject(new TypeError(`deliverEvent: no example event ${event}; the spec has ${Object.keys(module.fakeWebhookExamples).join(', ')}`));
        }
        payload = copy(module.fakeWebhookExamples[event]);
      }
      if (deliveryOptions.overrides !== undefined) payload = { ...(payload as object), ...deliveryOptions.overrides };
      return deliverEvent(api, handler, typeof event === 'string' ? event : 'event', payload as object, deliveryOptions);
    },
    queueEvent(payload) {
      if (api !== 'pachca') throw new TypeError('queueEvent: only Pachca stores events for polling');
      if (payload === null || typeof payload !== 'object' || Array.isArray(payload)) throw new TypeError('queueEvent: the event must be an object');
      const id = `01FAKE${String(events.nextId++).padStart(20, '0')}`;
      const type = (payload as { type?: unknown }).type;
      events.items.push({ id, event_type: typeof type === 'string' ? type : 'message', payload, created_at: new Date().toISOString() });
      return id;
    },
    reset() {
      calls.length = 0;
      faults.clear();
      events.items.length = 0;
      events.nextId = 1;
      handlers = stateful ? behaviour.handlers(events) : {};
    },
  };
}
