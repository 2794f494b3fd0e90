/**
 * OpenTelemetry for the calls of one client, through `@opentelemetry/api` alone, loaded by lazy.ts once a provider
 * is registered or given. When the providers in force record nothing (the SDK was disabled again, or it samples a
 * span out and no meter is registered) a call gets no observer, so nothing else runs: no span, no attribute object,
 * no clock reading.
 *
 * A call's span is named `<api>.<operationId>` (`pachca.createMessage`) and carries the stable HTTP client
 * attributes of its last request; its waits are span events. The metrics are the call's duration, its retries
 * and the time it queued in the throttle. Every value here is a redacted URL, a number, a status, an operation
 * or budget name, or an error's name or (already redacted) message; none is a credential.
 */
import {
  context,
  createNoopMeter,
  metrics,
  ProxyTracerProvider,
  SpanKind,
  SpanStatusCode,
  trace,
  type Attributes,
  type Counter,
  type Histogram,
  type Meter,
  type MeterProvider,
  type Span,
  type Tracer,
  type TracerProvider,
} from '@opentelemetry/api';
import type { Clock } from '../exchange/clock.js';
import { HttpError } from '../errors/errors.js';
import type { TelemetryOptions } from '../client/types.js';
import type { CallObserver, LookupOutcome, RenewalOutcome, RetryReason } from './observer.js';
import { ATTRIBUTES, INSTRUMENTATION_SCOPE, METRICS } from './names.js';

/** Bucket bounds in seconds: those of `http.client.request.duration`, and longer ones, since a call includes its waits. */
const DURATION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10, 30, 60];

interface Instruments {
  readonly duration: Histogram;
  readonly retries: Counter;
  readonly queueTime: Histogram;
}

function createInstruments(meter: Meter): Instruments {
  return {
    duration: meter.createHistogram(METRICS.duration, {
      description: 'How long an operation call took, its attempts, retry waits and throttle queue included',
      unit: 's',
      advice: { explicitBucketBoundaries: DURATION_BUCKETS },
    }),
    retries: meter.createCounter(METRICS.retries, { description: 'Requests repeated by the retry policy, by reason', unit: '{retry}' }),
    queueTime: meter.createHistogram(METRICS.queueTime, {
      description: 'How long a request waited in the outgoing throttle for room in its budget',
      unit: 's',
      advice: { explicitBucketBoundaries: DURATION_BUCKETS },
    }),
  };
}

/** What a call ended with: the status of its last response, or what it threw. */
export type CallEnd = { readonly status: number } | { readonly error: unknown };

/** The telemetry of one call, which is also the observer its transport reports to. */
export interface CallTelemetry extends CallObserver {
  /** Runs the exchange with the call's span active, so the spans of a fetch instrumentation nest under it. */
  within<T>(run: () => Promise<T>): Promise<T>;
  /** The request was built: its method and its URL, already redacted. */
  request(method: string, redactedUrl: string): void;
  /** The call ended; records its span's last attributes and its duration. Call once. */
  end(result: CallEnd): void;
}

/** The telemetry of one client. */
export interface Telemetry {
  /** The telemetry of a call about to start, or `undefined` when nothing would record it. */
  start(operationId: string | undefined, method: string): CallTelemetry | undefined;
  /**
   * The telemetry of a helper made of several calls (`sendExactlyOnce`): a span named `<api>.<name>` whose
   * calls' spans nest under it, for the events that belong to none of them (a look-up). It records no metric: its
   * calls do. `undefined` when no tracer would record it.
   */
  startProcedure(name: string, operationId: string): CallTelemetry | undefined;
}

/**
 * `error.type` as the HTTP conventions want it: the status of an error response, otherwise the error's name
 * (also for an error body under a success status, such as OK's, where the status says nothing).
 */
export function errorType(error: unknown): string {
  if (error instanceof HttpError && error.status >= 400) return String(error.status);
  return error instanceof Error ? error.name : '_OTHER';
}

/** Builds the telemetry of one client of `api` (`pachca`, `ok`, `unet`), with options already checked (lazy.ts). */
export function createTelemetry(api: string, options: TelemetryOptions | undefined, clock: Clock): Telemetry {
  let tracerSource: TracerProvider | undefined;
  let tracer: Tracer | undefined;
  let meterSource: MeterProvider | undefined;
  let instruments: Instruments | undefined;

  /**
   * The tracer of the provider in force now; `undefined` while the global one is the API's empty proxy. The
   * global provider stays that same proxy object when an SDK registers (it becomes the proxy's delegate), so
   * only a tracer found is kept; until then each call asks the proxy, which costs one property read.
   */
  function currentTracer(): Tracer | undefined {
    const provider = options?.tracerProvider ?? trace.getTracerProvider();
    if (provider === tracerSource && tracer) return tracer;
    tracerSource = provider;
    tracer = provider instanceof ProxyTracerProvider ? provider.getDelegateTracer(INSTRUMENTATION_SCOPE) : provider.getTracer(INSTRUMENTATION_SCOPE);
    return tracer;
  }

  /** The instruments of the meter provider in force now; `undefined` while it is the API's no-op one. */
  function currentInstruments(): Instruments | undefined {
    const provider = options?.meterProvider ?? metrics.getMeterProvider();
    if (provider !== meterSource) {
      meterSource = provider;
      const meter = provider.getMeter(INSTRUMENTATION_SCOPE);
      instruments = meter === createNoopMeter() ? undefined : createInstruments(meter);
    }
    return instruments;
  }

  return {
    start(operationId, method) {
      const activeTracer = currentTracer();
      const activeInstruments = currentInstruments();
      if (!activeTracer && !activeInstruments) return undefined;
      const base: Attributes = { [ATTRIBUTES.api]: api };
      if (operationId !== undefined) base[ATTRIBUTES.operation] = operationId;
      let span: Span | undefined;
      if (activeTracer) {
        span = activeTracer.startSpan(`${api}.${operationId ?? method}`, { kind: SpanKind.CLIENT, attributes: base });
        if (!span.isRecording()) span = undefined;
      }
      if (!span && !activeInstruments) return undefined;
      return new CallRecorder(span, activeInstruments, base, clock, true);
    },
    startProcedure(name, operationId) {
      const activeTracer = currentTracer();
      if (!activeTracer) return undefined;
      const base: Attributes = { [ATTRIBUTES.api]: api, [ATTRIBUTES.operation]: operationId };
      const span = activeTracer.startSpan(`${api}.${name}`, { kind: SpanKind.INTERNAL, attributes: base });
      return span.isRecording() ? new CallRecorder(span, undefined, base, clock, false) : undefined;
    },
  };
}

/** Records one call into its span (when sampled) and the client's instruments (when a meter is registered). */
class CallRecorder implements CallTelemetry {
  private readonly started: number;
  private attempts = 0;
  private attemptStart = 0;
  private lastStatus: number | undefined;

  constructor(
    private readonly span: Span | undefined,
    private readonly instruments: Instruments | undefined,
    /** The api and operation attributes every metric of the call carries. */
    private readonly base: Attributes,
    private readonly clock: Clock,
    /** Whether the recorder's own transport reports attempts (a call), or its calls have their own spans (a helper). */
    private readonly sends: boolean,
  ) {
    this.started = clock.now();
  }

  within<T>(run: () => Promise<T>): Promise<T> {
    return this.span ? context.with(trace.setSpan(context.active(), this.span), run) : run();
  }

  request(method: string, redactedUrl: string): void {
    if (!this.span) return;
    const attributes: Attributes = { 'http.request.method': method, 'url.full': redactedUrl };
    try {
      const url = new URL(redactedUrl);
      attributes['server.address'] = url.hostname.replace(/^\[|\]$/g, '');
      attributes['server.port'] = url.port ? Number(url.port) : url.protocol === 'https:' ? 443 : 80;
    } catch {
      // A URL the client built always parses; nothing to add if it somehow does not.
    }
    this.span.setAttributes(attributes);
  }

  attemptStarted(): void {
    this.attempts++;
    this.attemptStart = this.clock.now();
  }

  attemptEnded(outcome: { readonly status: number } | { readonly error: string; readonly code?: string | undefined }): void {
    if ('status' in outcome) this.lastStatus = outcome.status;
    if (!this.span) return;
    const attributes: Attributes = { [ATTRIBUTES.attempt]: this.attempts };
    if ('status' in outcome) attributes['http.response.status_code'] = outcome.status;
    else {
      attributes['error.type'] = outcome.error;
      if (outcome.code !== undefined) attributes[ATTRIBUTES.errorCode] = outcome.code;
    }
    attributes[ATTRIBUTES.durationMs] = this.clock.now() - this.attemptStart;
    this.span.addEvent('attempt', attributes);
  }

  retryScheduled(reason: RetryReason, waitMs: number, status?: number): void {
    this.span?.addEvent('retry', {
      [ATTRIBUTES.attempt]: this.attempts,
      [ATTRIBUTES.retryReason]: reason,
      [ATTRIBUTES.retryWaitMs]: waitMs,
      ...(status === undefined ? {} : { 'http.response.status_code': status }),
    });
    this.instruments?.retries.add(1, { ...this.base, [ATTRIBUTES.retryReason]: reason });
  }

  renewalStarted(): (outcome: RenewalOutcome) => void {
    const started = this.clock.now();
    return (outcome) => {
      this.span?.addEvent('credentials.renewal', { [ATTRIBUTES.renewal]: outcome, [ATTRIBUTES.durationMs]: this.clock.now() - started });
    };
  }

  throttled(budget: string, queuedMs: number): void {
    // A request that found room at once is still a sample of the metric, but no event on the span.
    if (queuedMs > 0) this.span?.addEvent('throttle.queued', { [ATTRIBUTES.budget]: budget, [ATTRIBUTES.queuedMs]: queuedMs });
    this.instruments?.queueTime.record(queuedMs / 1000, { ...this.base, [ATTRIBUTES.budget]: budget });
  }

  paused(budget: string, pauseMs: number): void {
    this.span?.addEvent('rate_limit.pause', { [ATTRIBUTES.budget]: budget, [ATTRIBUTES.pauseMs]: pauseMs });
  }

  lookedUp(outcome: LookupOutcome, durationMs: number): void {
    this.span?.addEvent('send.lookup', { [ATTRIBUTES.lookup]: outcome, [ATTRIBUTES.durationMs]: durationMs });
  }

  end(result: CallEnd): void {
    const failed = 'error' in result;
    const type = failed ? errorType(result.error) : undefined;
    const status = failed ? (result.error instanceof HttpError ? result.error.status : this.lastStatus) : result.status;
    if (this.instruments) {
      const attributes: Attributes = { ...this.base, [ATTRIBUTES.outcome]: failed ? 'error' : 'success' };
      if (type !== undefined) attributes['error.type'] = type;
      this.instruments.duration.record((this.clock.now() - this.started) / 1000, attributes);
    }
    const span = this.span;
    if (!span) return;
    if (this.sends) span.setAttribute(ATTRIBUTES.attempts, this.attempts);
    if (status !== undefined) span.setAttribute('http.response.status_code', status);
    if (failed) {
      const error = result.error;
      span.setAttribute('error.type', type as string);
      // The name and the message only: the library's messages are redacted, and a stack says nothing about the API.
      const name = error instanceof Error ? error.name : 'Error';
      const message = error instanceof Error ? error.message : 'a value that is not an Error was thrown';
      span.recordException({ name, message });
      span.setStatus({ code: SpanStatusCode.ERROR, message });
    }
    span.end();
  }
}
