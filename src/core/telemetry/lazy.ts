/**
 * Loading the telemetry only when something could record it. A program with no OpenTelemetry SDK and no
 * `telemetry` option never loads `@opentelemetry/api` or telemetry.ts: bundlers split them into a chunk of their
 * own that a call fetches the first time a tracer or a meter is registered, so a one-call program does not ship them.
 *
 * Whether anything is registered is read from the global that `@opentelemetry/api` 1.x itself keeps its providers
 * in (`Symbol.for('opentelemetry.js.api.1')`), one property read per call; the peer dependency is `^1.9.0`, so a
 * second major version, with a key of its own, would come with a new peer range.
 */
import type { Clock } from '../exchange/clock.js';
import { RequestValidationError } from '../errors/errors.js';
import type { TelemetryOptions } from '../client/types.js';
import type { Telemetry } from './telemetry.js';

/** Where `@opentelemetry/api` 1.x registers its global tracer and meter providers. */
const OPENTELEMETRY_GLOBAL = Symbol.for('opentelemetry.js.api.1');

/** Whether an application has registered a global tracer or meter provider. */
function providerRegistered(): boolean {
  const registered = (globalThis as Record<symbol, { trace?: unknown; metrics?: unknown } | undefined>)[OPENTELEMETRY_GLOBAL];
  return registered !== undefined && (registered.trace !== undefined || registered.metrics !== undefined);
}

/** A client's telemetry, loaded on demand. */
export interface LazyTelemetry {
  /**
   * The telemetry when it is loaded; a promise of it while it loads (the first call after a provider appears);
   * `undefined` when nothing is registered and no provider was given, so nothing could record a call.
   */
  ready(): Telemetry | Promise<Telemetry | undefined> | undefined;
}

/** Checks the `telemetry` option: an object with, at most, a tracer provider and a meter provider. */
function checkOptions(options: unknown): TelemetryOptions | undefined {
  if (options === undefined) return undefined;
  if (options === null || typeof options !== 'object') throw new RequestValidationError('telemetry', 'must be an object');
  for (const key of Object.keys(options)) {
    if (key !== 'tracerProvider' && key !== 'meterProvider') throw new RequestValidationError(`telemetry.${key}`, 'is not an option (tracerProvider and meterProvider are)');
  }
  const { tracerProvider, meterProvider } = options as Record<string, unknown>;
  if (tracerProvider !== undefined && typeof (tracerProvider as { getTracer?: unknown } | null)?.getTracer !== 'function') {
    throw new RequestValidationError('telemetry.tracerProvider', 'must be an OpenTelemetry TracerProvider (an object with getTracer)');
  }
  if (meterProvider !== undefined && typeof (meterProvider as { getMeter?: unknown } | null)?.getMeter !== 'function') {
    throw new RequestValidationError('telemetry.meterProvider', 'must be an OpenTelemetry MeterProvider (an object with getMeter)');
  }
  return options as TelemetryOptions;
}

/**
 * The telemetry of one client of `api` (`pachca`, `ok`, `unet`), loaded the first time it could record something;
 * refuses a `telemetry` option it cannot use at once, when the client is made.
 */
export function lazyTelemetry(api: string, given: TelemetryOptions | undefined, clock: Clock): LazyTelemetry {
  const options = checkOptions(given);
  const providerGiven = options?.tracerProvider !== undefined || options?.meterProvider !== undefined;
  let loaded: Telemetry | undefined;
  let loading: Promise<Telemetry | undefined> | undefined;
  let unavailable = false;
  return {
    ready() {
      if (loaded) return loaded;
      if (unavailable || (!providerGiven && !providerRegistered())) return undefined;
      // A module that cannot be loaded (a bundle that left the chunk out) leaves calls untraced rather than failing them.
      return (loading ??= import('./telemetry.js').then(
        ({ createTelemetry }) => (loaded = createTelemetry(api, options, clock)),
        () => {
          unavailable = true;
          return undefined;
        },
      ));
    },
  };
}
