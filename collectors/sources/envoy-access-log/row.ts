/** The storage row of `mesh_requests` (migrations/0002_mesh_requests.sql): one per sidecar line. */
export interface MeshRequestRow {
  /** ISO-8601 UTC with milliseconds. */
  Timestamp: string;
  Kind: 'http' | 'tcp';
  Reporter: 'inbound' | 'outbound' | 'gateway' | 'unknown';
  Signal: 'file' | 'http_push' | 'als' | 'otlp_logs';
  SourceWorkload: string;
  SourceNamespace: string;
  SourceService: string;
  SourceVersion: string;
  SourcePrincipal: string;
  SourceCluster: string;
  SourceAddress: string;
  DestinationWorkload: string;
  DestinationNamespace: string;
  DestinationService: string;
  DestinationVersion: string;
  DestinationPrincipal: string;
  DestinationCluster: string;
  DestinationAddress: string;
  Protocol: 'http' | 'grpc' | 'tcp';
  Method: string;
  Path: string;
  Authority: string;
  Route: string;
  ResponseCode: number;
  GrpcStatus: string;
  ResponseFlags: string[];
  DurationMs: number;
  BytesReceived: number;
  BytesSent: number;
  RequestId: string;
  TraceId: string;
  UpstreamCluster: string;
  UpstreamHost: string;
  UpstreamTransportFailureReason: string;
  Mtls: 'yes' | 'no' | 'unknown';
  TlsVersion: string;
  NodeId: string;
  Extra: Record<string, string>;
}

/** What is known about the proxy that wrote the line (pod of a log file, ALS node, shipper metadata). */
export interface ProxyContext {
  proxyType?: 'sidecar' | 'gateway' | 'waypoint' | undefined;
  workload?: string | undefined;
  namespace?: string | undefined;
  /** Canonical service (service.istio.io/canonical-name, else app label). */
  service?: string | undefined;
  version?: string | undefined;
  cluster?: string | undefined;
  nodeId?: string | undefined;
}
