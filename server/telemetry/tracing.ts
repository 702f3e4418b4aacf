/**
 * Traces Meshlens itself with @opentelemetry/sdk-node when MESHLENS_SELF_TRACING=true, exporting
 * over OTLP/HTTP to OTEL_EXPORTER_OTLP_ENDPOINT. Started only from server/main.ts.
 */
import { NodeSDK } from '@opentelemetry/sdk-node';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import type { Config } from '../config';

export function startSelfTracing(config: Config): () => Promise<void> {
  const base =
    config.env.OTEL_EXPORTER_OTLP_ENDPOINT ?? 'http://127.0.0.1:4318';
  const sdk = new NodeSDK({
    resource: resourceFromAttributes({ 'service.name': 'meshlens' }),
    traceExporter: new OTLPTraceExporter({
      url: `${base.replace(/\/$/, '')}/v1/traces`,
    }),
    instrumentations: [],
  });
  sdk.start();
  return () => sdk.shutdown();
}
