/** What each dashboard view will show and which telemetry fills it, for its empty state. */
export interface ViewInfo {
  title: string;
  /** One sentence for the page header. */
  summary: string;
  /** What the view shows once data arrives. */
  willShow: string[];
  /** Which signals fill it, and through which endpoint. */
  fedBy: string[];
}

export const VIEWS = {
  topology: {
    title: 'Topology',
    summary: 'The service graph of your mesh, as Kiali draws it.',
    willShow: [
      'Workloads, services and external hosts as nodes, grouped by namespace and cluster',
      'Request rate, error ratio and p95 latency on every edge, with the signal it came from',
      'A lock on edges whose traffic is mutual TLS',
    ],
    fedBy: [
      'Istio metrics (Prometheus remote_write or scraped sidecars)',
      'Envoy access logs (ALS or OTLP logs)',
      'Spans (OTLP or Zipkin), when nothing else covers an edge',
    ],
  },
  services: {
    title: 'Services',
    summary: 'Rate, errors and duration for every service in the mesh.',
    willShow: [
      'Requests per second, error ratio and p50/p95/p99 latency per service and version',
      'Inbound and outbound traffic, each request counted once',
      'Charts of any Istio or Envoy metric over time',
    ],
    fedBy: [
      'Istio metrics (istio_requests_total, istio_request_duration_milliseconds)',
      'Envoy access logs',
    ],
  },
  traces: {
    title: 'Traces',
    summary: 'Find traces and read them as a waterfall, as in Jaeger.',
    willShow: [
      'Search by service, operation, duration, status and tags over a time window',
      'A span waterfall with timings, attributes and events',
      'Links from a trace to the access logs of the same request',
    ],
    fedBy: [
      'Spans over OTLP (gRPC 4317 or HTTP /v1/traces)',
      'Zipkin v2 spans (/api/v2/spans)',
    ],
  },
  logs: {
    title: 'Logs',
    summary: 'Envoy access logs, one line per proxied request.',
    willShow: [
      'Method, path, response code, response flags and duration per request',
      'Source and destination workloads, upstream cluster and host',
      'Filters on any field, and a link to the trace when there is one',
    ],
    fedBy: [
      'OTLP logs from the envoyOtelAls provider',
      'Access-log lines pushed to /v1/envoy/logs',
    ],
  },
  mtls: {
    title: 'mTLS',
    summary:
      'Which traffic is mutual TLS, which is plaintext, and which is unknown.',
    willShow: [
      'The share of mutual-TLS traffic per edge, namespace and workload',
      'Plaintext edges first, with the workloads that send them',
      'Unknown where no destination reported, never guessed',
    ],
    fedBy: [
      'Destination-reported Istio metrics (connection_security_policy)',
      'Inbound access logs (peer identity, TLS version)',
    ],
  },
  alerts: {
    title: 'Alerts',
    summary: 'Rules on error rate, latency and mTLS, and where they notify.',
    willShow: [
      'Alert rules with their current state: ok, pending or firing',
      'The history of state changes',
      'Webhook and Alertmanager deliveries, with failures',
    ],
    fedBy: ['The same metrics, logs and spans as the other views'],
  },
} as const satisfies Record<string, ViewInfo>;

export type ViewName = keyof typeof VIEWS;
