/**
 * Known traffic for the scale-out test, in namespace `scale`, from one caller pod
 * (frontend-v1-6b746f74dc-9stp2):
 *   - access-log lines its sidecar wrote for calls to `payments` (Istio's default text format,
 *     shipped as NDJSON with Kubernetes metadata the way Fluent Bit sends them);
 *   - Istio proxy CLIENT spans of its calls to `backend`, made with the OpenTelemetry JS SDK and
 *     sent with its OTLP/HTTP protobuf exporter.
 * Each call is counted once (one line or one span per request), so the true figures are exact.
 */
import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { ExportResultCode } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { formatIstioTextLine } from '~/collectors/demo/access-log-format';

export const NS = 'scale';
const POD = 'frontend-v1-6b746f74dc-9stp2';
export const CALLER = `wl:${NS}/frontend-v1`;

/** `n` lines frontend -> payments, the first `errors` of them answered 503; ids `scale-log-<i>`. */
export function accessLogNdjson(n: number, errors: number, nowMs: number) {
  const records: string[] = [];
  for (let i = 0; i < n; i++) {
    const failed = i < errors;
    const line = formatIstioTextLine({
      startTimeMs: nowMs - 1000 + i,
      method: 'POST',
      path: `/pay/${i}`,
      protocol: 'HTTP/1.1',
      responseCode: failed ? 503 : 200,
      responseFlags: null,
      responseCodeDetails: 'via_upstream',
      connectionTerminationDetails: null,
      upstreamTransportFailureReason: null,
      bytesReceived: 120,
      bytesSent: 300,
      durationMs: 7,
      upstreamServiceTimeMs: 6,
      xForwardedFor: null,
      userAgent: 'scale-test',
      requestId: `scale-log-${i}`,
      authority: 'payments.scale:8080',
      upstreamHost: '10.1.0.9:8080',
      upstreamCluster: `outbound|8080||payments.${NS}.svc.cluster.local`,
      upstreamLocalAddress: '10.1.0.5:51000',
      downstreamLocalAddress: '10.96.0.20:8080',
      downstreamRemoteAddress: '10.1.0.5:43210',
      requestedServerName: null,
      routeName: 'default',
    });
    records.push(
      JSON.stringify({
        log: `${line}\n`,
        kubernetes: {
          pod_name: POD,
          namespace_name: NS,
          container_name: 'istio-proxy',
          labels: { app: 'frontend', version: 'v1' },
        },
      }),
    );
  }
  return `${records.join('\n')}\n`;
}

/**
 * `n` proxy CLIENT spans frontend -> backend (one trace each), the first `errors` answered 503,
 * exported to `tracesUrl`; resolves once the collector acknowledged them (throws otherwise).
 */
export async function sendProxySpans(
  tracesUrl: string,
  n: number,
  errors: number,
): Promise<void> {
  const memory = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ 'service.name': `frontend.${NS}` }),
    spanProcessors: [new SimpleSpanProcessor(memory)],
  });
  const tracer = provider.getTracer('scale-test');
  for (let i = 0; i < n; i++) {
    const failed = i < errors;
    const span = tracer.startSpan(`backend.${NS}.svc.cluster.local:8080/*`, {
      kind: SpanKind.CLIENT,
      attributes: {
        component: 'proxy',
        node_id: `sidecar~10.1.0.5~${POD}.${NS}~${NS}.svc.cluster.local`,
        upstream_cluster: `outbound|8080||backend.${NS}.svc.cluster.local`,
        'istio.canonical_service': 'frontend',
        'istio.canonical_revision': 'v1',
        'istio.namespace': NS,
        'http.method': 'GET',
        'http.status_code': failed ? '503' : '200',
        'guid:x-request-id': `scale-span-${i}`,
      },
    });
    if (failed) span.setStatus({ code: SpanStatusCode.ERROR });
    span.end();
  }
  await provider.forceFlush();
  const spans = memory.getFinishedSpans();
  await provider.shutdown();
  const exporter = new OTLPTraceExporter({ url: tracesUrl });
  const result = await new Promise<{ code: ExportResultCode; error?: Error }>(
    (resolve) => exporter.export(spans, resolve),
  );
  await exporter.shutdown();
  if (result.code !== ExportResultCode.SUCCESS)
    throw new Error(`span export failed: ${result.error?.message}`);
}
