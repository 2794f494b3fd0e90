/**
 * The README's "In production" examples, compiled: the OpenTelemetry setup against the SDK's 2.x packages, the
 * response beside the data, and the permission check. test/unit/readme.test.ts checks that the README shows each
 * block exactly as it stands here.
 */
import { metrics } from '@opentelemetry/api';
import { ConsoleMetricExporter, MeterProvider, PeriodicExportingMetricReader } from '@opentelemetry/sdk-metrics';
import { BatchSpanProcessor, ConsoleSpanExporter, NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { describe, it } from 'vitest';
import { createPachcaClient, describeAccess } from '../../src/pachca/index.js';

describe('the README in production', () => {
  it('compiles the tracing setup', async () => {
    // --- README: tracing setup ---
    new NodeTracerProvider({ spanProcessors: [new BatchSpanProcessor(new ConsoleSpanExporter())] }).register();
    const reader = new PeriodicExportingMetricReader({ exporter: new ConsoleMetricExporter() });
    metrics.setGlobalMeterProvider(new MeterProvider({ readers: [reader] }));

    const pachca = createPachcaClient({ token: process.env.PACHCA_TOKEN! });
    await pachca.createMessage({ body: { message: { entity_id: 198, content: 'Deployed' } } });
    // --- end ---
  });

  it('compiles the response beside the data', async () => {
    const pachca = createPachcaClient({ token: process.env.PACHCA_TOKEN! });
    // --- README: with response ---
    const { data, response, requestId } = await pachca.getMessage({ id: 1 }).withResponse();
    console.log(data.data.content, response.status, response.headers.get('content-type'), requestId);

    const messages = pachca.iterateChatMessages({ chat_id: 198 });
    for await (const message of messages) console.log(message.id, messages.lastPage?.requestId);
    // --- end ---
  });

  it('compiles the permission check', async () => {
    // --- README: permission check ---
    const pachca = createPachcaClient({ token: process.env.PACHCA_TOKEN! });
    const access = await pachca.checkAccess(['createMessage', 'listChatMessages']);
    if (!access.allGranted) throw new Error(describeAccess(access));
    // --- end ---
  });
});
