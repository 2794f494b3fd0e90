/**
 * An OpenTelemetry SDK for tests: a tracer provider whose spans land in an in-memory exporter and a meter
 * provider read on demand, handed to a client through its `telemetry` option. `collected()` is everything they
 * gathered as text, for the leak search; `spanTree()` renders a call's span with its events.
 */
import { MeterProvider, MetricReader, type ResourceMetrics } from '@opentelemetry/sdk-metrics';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import type { TelemetryOptions } from '../../src/core/client/types.js';

/** A reader that exports nothing by itself: `collect()` reads the metrics when a test asks. */
class OnDemandReader extends MetricReader {
  protected override async onForceFlush(): Promise<void> {}
  protected override async onShutdown(): Promise<void> {}
}

/** A point of a metric, flattened for assertions. */
export interface MetricPoint {
  readonly name: string;
  readonly unit: string;
  readonly attributes: Readonly<Record<string, unknown>>;
  /** A counter's sum, or a histogram's `{ count, sum }`. */
  readonly value: unknown;
}

export interface TestTelemetry {
  /** What to pass as a client's `telemetry` option. */
  readonly options: TelemetryOptions;
  readonly tracerProvider: BasicTracerProvider;
  readonly meterProvider: MeterProvider;
  /** The spans ended so far. */
  spans(): ReadableSpan[];
  /** Every metric point recorded so far. */
  metrics(): Promise<MetricPoint[]>;
  /** Everything collected (spans with attributes, events, status; metric points), as text for the leak search. */
  collected(): Promise<string>;
  /** Drops the spans collected so far (metrics are cumulative and stay). */
  reset(): void;
}

/** Creates an SDK that records everything. */
export function testTelemetry(): TestTelemetry {
  const exporter = new InMemorySpanExporter();
  const tracerProvider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
  const reader = new OnDemandReader();
  const meterProvider = new MeterProvider({ readers: [reader] });
  const metrics = async (): Promise<MetricPoint[]> => {
    const { resourceMetrics } = await reader.collect();
    return flatten(resourceMetrics);
  };
  return {
    options: { tracerProvider, meterProvider },
    tracerProvider,
    meterProvider,
    spans: () => exporter.getFinishedSpans(),
    metrics,
    async collected() {
      const spans = exporter.getFinishedSpans().map((span) => ({
        name: span.name,
        attributes: span.attributes,
        status: span.status,
        events: span.events.map((event) => ({ name: event.name, attributes: event.attributes })),
        links: span.links,
      }));
      return JSON.stringify({ spans, metrics: await metrics() });
    },
    reset: () => exporter.reset(),
  };
}

function flatten(resourceMetrics: ResourceMetrics): MetricPoint[] {
  return resourceMetrics.scopeMetrics.flatMap((scope) =>
    scope.metrics.flatMap((metric) =>
      (metric.dataPoints as { attributes: Record<string, unknown>; value: unknown }[]).map((point) => ({
        name: metric.descriptor.name,
        unit: metric.descriptor.unit,
        attributes: point.attributes,
        value:
          typeof point.value === 'object' && point.value !== null
            ? { count: (point.value as { count: number }).count, sum: (point.value as { sum: number }).sum }
            : point.value,
      })),
    ),
  );
}

/** A span and its events as an indented tree, one line each (attributes sorted by name). */
export function spanTree(span: ReadableSpan): string {
  const attributes = (values: Readonly<Record<string, unknown>> | undefined): string =>
    Object.entries(values ?? {})
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([key, value]) => `${key}=${JSON.stringify(value)}`)
      .join(' ');
  const status = span.status.code === 2 ? ` status=ERROR(${span.status.message ?? ''})` : '';
  return [`${span.name} [${attributes(span.attributes)}]${status}`, ...span.events.map((event) => `  └ ${event.name} [${attributes(event.attributes)}]`)].join('\n');
}
