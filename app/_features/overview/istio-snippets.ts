/**
 * The Istio configuration that points a mesh at Meshlens, as text for copy buttons.
 * Provider names are shared by the two snippets: meshConfig declares them, Telemetry uses them.
 * References: istio.io "Telemetry API" (telemetry.istio.io/v1) and MeshConfig.ExtensionProvider.
 */

export const PROVIDERS = {
  otel: 'meshlens-otel',
  zipkin: 'meshlens-zipkin',
  accessLog: 'meshlens-als',
} as const;

/** Address used in the snippets when the listeners are on loopback (unreachable from pods). */
export const IN_CLUSTER_HOST = 'meshlens.meshlens.svc.cluster.local';

const LOOPBACK = /^(127\.|localhost$|::1$|0\.0\.0\.0$|::$)/;

/** The host the mesh should send to: the listeners' own host unless it is loopback/wildcard. */
export function suggestMeshHost(listenerHost: string | undefined): string {
  if (!listenerHost || LOOPBACK.test(listenerHost)) return IN_CLUSTER_HOST;
  return listenerHost;
}

export interface MeshTarget {
  /** DNS name or IP of Meshlens as seen from the Envoy sidecars. */
  host: string;
  otlpGrpcPort: number;
  zipkinPort: number;
}

/** meshConfig.extensionProviders for IstioOperator / the istiod Helm chart's `meshConfig`. */
export function meshConfigSnippet(t: MeshTarget): string {
  return `# IstioOperator spec (or the istiod Helm values under "meshConfig:")
meshConfig:
  extensionProviders:
    # Spans over OTLP gRPC
    - name: ${PROVIDERS.otel}
      opentelemetry:
        service: ${t.host}
        port: ${t.otlpGrpcPort}
    # Or spans as Zipkin v2 (use this provider name in Telemetry instead)
    - name: ${PROVIDERS.zipkin}
      zipkin:
        service: ${t.host}
        port: ${t.zipkinPort}
    # Envoy access logs as OTLP logs over gRPC
    - name: ${PROVIDERS.accessLog}
      envoyOtelAls:
        service: ${t.host}
        port: ${t.otlpGrpcPort}
`;
}

/** A mesh-wide Telemetry resource enabling tracing and access logging to those providers. */
export function telemetrySnippet(samplingPercent = 10): string {
  return `apiVersion: telemetry.istio.io/v1
kind: Telemetry
metadata:
  name: mesh-default
  namespace: istio-system  # root namespace: the whole mesh
spec:
  tracing:
    - providers:
        - name: ${PROVIDERS.otel}
      # Meshlens scales span-derived rates by this sampling
      randomSamplingPercentage: ${samplingPercent}
  accessLogging:
    - providers:
        - name: ${PROVIDERS.accessLog}
`;
}

/** Environment for any OpenTelemetry SDK, plus a request that checks the endpoint answers. */
export function otelSdkSnippet(otlpHttpUrl: string): string {
  return `export OTEL_EXPORTER_OTLP_ENDPOINT=${otlpHttpUrl}
export OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf

# Check that Meshlens answers (an empty batch is accepted):
curl -sS -X POST ${otlpHttpUrl}/v1/traces \\
  -H 'Content-Type: application/json' -d '{"resourceSpans":[]}'
`;
}
