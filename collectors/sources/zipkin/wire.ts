/** Zipkin v2 JSON span (openzipkin/zipkin-api zipkin2-api.yaml). Loosely typed: it comes from the network. */

export interface ZipkinEndpoint {
  serviceName?: string | null;
  ipv4?: string | null;
  ipv6?: string | null;
  port?: number | null;
}

export interface ZipkinAnnotation {
  /** Epoch microseconds. */
  timestamp?: number | null;
  value?: string | null;
}

export interface ZipkinSpan {
  /** 16 or 32 lowercase hex (64 or 128 bit). */
  traceId?: string | null;
  id?: string | null;
  parentId?: string | null;
  name?: string | null;
  kind?: 'CLIENT' | 'SERVER' | 'PRODUCER' | 'CONSUMER' | null;
  /** Epoch microseconds. */
  timestamp?: number | null;
  /** Microseconds. */
  duration?: number | null;
  debug?: boolean | null;
  /** The server half of a span whose id the client started (B3 shared span context). */
  shared?: boolean | null;
  localEndpoint?: ZipkinEndpoint | null;
  remoteEndpoint?: ZipkinEndpoint | null;
  annotations?: ZipkinAnnotation[] | null;
  tags?: Record<string, unknown> | null;
}
