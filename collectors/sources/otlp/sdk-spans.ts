/**
 * Test helper: a small trace made with the real OpenTelemetry JS SDK (root SERVER span, a CLIENT
 * child with an event, a link and an error status), at exact nanosecond times, collected in
 * memory so a test can hand the same ReadableSpans to any real exporter.
 */
import {
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  trace,
  type HrTime,
} from '@opentelemetry/api';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
  type ReadableSpan,
} from '@opentelemetry/sdk-trace-base';

export const SDK_TRACE = {
  service: 'checkout.shop',
  linkTraceId: '0af7651916cd43dd8448eb211c80319c',
  linkSpanId: 'b7ad6b7169203331',
  /** 2026-11-24 10:00:00.123456789 UTC */
  rootStart: [1795514400, 123456789] as HrTime,
  rootEnd: [1795514400, 987654321] as HrTime,
  childStart: [1795514400, 200000001] as HrTime,
  childEnd: [1795514400, 300000002] as HrTime,
  eventTime: [1795514400, 250000003] as HrTime,
};

export async function makeSdkSpans(): Promise<ReadableSpan[]> {
  const memory = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({
      'service.name': SDK_TRACE.service,
      'k8s.namespace.name': 'shop',
      'host.cpus': 4,
    }),
    spanProcessors: [new SimpleSpanProcessor(memory)],
  });
  const tracer = provider.getTracer('meshlens-test', '1.2.3');
  const root = tracer.startSpan('GET /checkout', {
    kind: SpanKind.SERVER,
    startTime: SDK_TRACE.rootStart,
    attributes: {
      'http.status_code': 200,
      'http.method': 'GET',
      'retry.ok': true,
      ratio: 0.25,
      tags: ['a', 'b'],
    },
  });
  const child = tracer.startSpan(
    'charge card',
    {
      kind: SpanKind.CLIENT,
      startTime: SDK_TRACE.childStart,
      links: [
        {
          context: {
            traceId: SDK_TRACE.linkTraceId,
            spanId: SDK_TRACE.linkSpanId,
            traceFlags: 1,
          },
          attributes: { why: 'retry' },
        },
      ],
    },
    trace.setSpan(ROOT_CONTEXT, root),
  );
  child.addEvent(
    'card declined',
    { 'card.brand': 'visa', attempt: 2 },
    SDK_TRACE.eventTime,
  );
  child.setStatus({ code: SpanStatusCode.ERROR, message: 'payment failed' });
  child.end(SDK_TRACE.childEnd);
  root.end(SDK_TRACE.rootEnd);
  await provider.forceFlush();
  const spans = memory.getFinishedSpans();
  await provider.shutdown();
  return spans;
}
