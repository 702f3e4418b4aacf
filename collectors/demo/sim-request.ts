/**
 * One simulated hop: an HTTP/gRPC request or a TCP connection from one workload to another,
 * with everything each proxy on the path would report. Emitters turn it into access-log lines,
 * metric increments and spans; the truth ledger counts it once.
 */
import type { Pod, Service, Workload } from './mesh';

export type Protocol = 'http' | 'grpc' | 'tcp';
/** What the destination proxy reports as connection_security_policy ("unknown": no report). */
export type MtlsState = 'mutual_tls' | 'none' | 'unknown';

/** The destination sidecar's view of the hop (null when the request never reached it). */
export interface ServerSide {
  /** Epoch ms when the server sidecar received the request. */
  startMs: number;
  durationMs: number;
  /** Time spent in the app (the server line's x-envoy-upstream-service-time), ms. */
  appMs: number;
  /** SERVER span id (16 hex), null for TCP. */
  spanId: string | null;
}

/** Addresses as the two access-log lines show them (`ip:port`). */
export interface HopAddresses {
  /** Client line %DOWNSTREAM_REMOTE_ADDRESS% (the app, or the gateway's downstream peer). */
  downstreamRemote: string;
  /** Client line %DOWNSTREAM_LOCAL_ADDRESS% (Service ClusterIP:port, or the gateway listener). */
  downstreamLocal: string;
  /** Client line %UPSTREAM_LOCAL_ADDRESS% = server line %DOWNSTREAM_REMOTE_ADDRESS%; null if never connected. */
  upstreamLocal: string | null;
  /** %UPSTREAM_HOST%: the chosen endpoint; null if none was chosen. */
  upstreamHost: string | null;
  /** Server line %UPSTREAM_LOCAL_ADDRESS% (127.0.0.6:port). */
  inboundUpstreamLocal: string;
  /** Client line %REQUESTED_SERVER_NAME% (gateways only; sidecars see plaintext from the app). */
  requestedServerName: string | null;
}

export interface SimRequest {
  /** Scenario edge id. */
  edgeId: string;
  /** `direct`, or the two hops of a call through an egress gateway. */
  hop: 'direct' | 'to-gateway' | 'from-gateway';
  protocol: Protocol;
  /** Epoch ms when the source proxy (or the app, without one) started the request / connection. */
  startMs: number;
  /** Duration seen by the source side, ms (TCP: connection lifetime). */
  durationMs: number;
  /** Client line x-envoy-upstream-service-time, ms; null for local replies. */
  upstreamServiceTimeMs: number | null;
  sourcePod: Pod;
  /** null: unknown to the proxies (external host, or aborted before an endpoint was picked). */
  destWorkload: Workload | null;
  destPod: Pod | null;
  service: Service;
  server: ServerSide | null;
  method: string | null;
  path: string | null;
  authority: string | null;
  userAgent: string | null;
  httpVersion: string | null;
  xForwardedFor: string | null;
  /** HTTP status; 0 for TCP. */
  responseCode: number;
  /** gRPC status for gRPC (0 = OK), null otherwise. */
  grpcStatus: number | null;
  /** Envoy short flags as the source side reports them, "-" when none. */
  responseFlags: string;
  responseCodeDetails: string | null;
  transportFailureReason: string | null;
  /** Request body bytes (TCP: bytes from client to server). */
  requestBytes: number;
  /** Response body bytes (TCP: bytes from server to client). */
  responseBytes: number;
  /** Istio mTLS on the connection to the destination. */
  mtls: boolean;
  /** Retries the client sidecar made. */
  retries: number;
  addr: HopAddresses;
  requestId: string | null;
  /** 32 hex; null for TCP. */
  traceId: string | null;
  /** CLIENT span id of the source proxy (16 hex); null without a proxy or for TCP. */
  clientSpanId: string | null;
  parentSpanId: string | null;
  /** The trace this hop belongs to is sampled (spans are emitted). */
  sampled: boolean;
  /** First hop of a trace (one per ingress / legacy request). */
  isRoot: boolean;
  /** Span operation name (`<host>:<port><route>`); null for TCP. */
  spanName: string | null;
  /** Client line %ROUTE_NAME%. */
  routeName: string;
}

/** The source proxy reports the hop (reporter="source", outbound log line, CLIENT span). */
export function sourceReports(r: SimRequest): boolean {
  return r.sourcePod.proxied;
}

/** The destination sidecar reports the hop (reporter="destination", inbound line, SERVER span). */
export function destinationReports(r: SimRequest): boolean {
  return r.server !== null;
}

export function mtlsState(r: SimRequest): MtlsState {
  if (!r.server) return 'unknown';
  return r.mtls ? 'mutual_tls' : 'none';
}

/** An error: HTTP 5xx, or a gRPC status other than OK. TCP connections never count as errors. */
export function isError(r: SimRequest): boolean {
  if (r.protocol === 'tcp') return false;
  return r.responseCode >= 500 || (r.protocol === 'grpc' && r.grpcStatus !== 0);
}

/** Duration of the report that counts (source preferred, destination when the source has no proxy), ms. */
export function countedDurationMs(r: SimRequest): number {
  if (sourceReports(r) || !r.server) return r.durationMs;
  return r.server.durationMs;
}
