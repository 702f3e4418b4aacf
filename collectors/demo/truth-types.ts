/**
 * The shape of the simulator's truth: exact figures over a window, computed from the generated
 * hops (never from the scenario's nominal rates). See README.md "Truth" for the counting rules.
 */
import type { MtlsState, Protocol } from './sim-request';

/** Exact order statistics of whole-millisecond durations (nearest-rank percentiles). */
export interface Percentiles {
  count: number;
  min: number;
  max: number;
  mean: number;
  p50: number;
  p90: number;
  p95: number;
  p99: number;
}

export interface MtlsTruth {
  /** HTTP/gRPC requests by what the destination proxy reported (unknown: no destination report). */
  mutualTlsRequests: number;
  plaintextRequests: number;
  unknownRequests: number;
  /** mutual_tls / (mutual_tls + none) requests, % ; null when none is known. */
  requestSharePercent: number | null;
  mutualTlsConnections: number;
  plaintextConnections: number;
  unknownConnections: number;
  connectionSharePercent: number | null;
  /** Request + response bytes (HTTP) and sent + received bytes (TCP). */
  mutualTlsBytes: number;
  plaintextBytes: number;
  unknownBytes: number;
  byteSharePercent: number | null;
}

export interface TcpTruth {
  connections: number;
  connectionsPerSec: number;
  /** Bytes the server received from the client (istio_tcp_received_bytes_total). */
  receivedBytes: number;
  /** Bytes the server sent to the client (istio_tcp_sent_bytes_total). */
  sentBytes: number;
  durationMs: Percentiles | null;
}

/** Figures for any group of hops (an edge, a service, a namespace, the mesh). */
export interface GroupTruth {
  /** HTTP/gRPC requests, each counted once. */
  requests: number;
  requestsPerSec: number;
  /** 5xx, plus gRPC status != OK. */
  errors: number;
  errorPercent: number | null;
  /** Durations of the counting report: source proxy, or destination when the source has none. */
  latencyMs: Percentiles | null;
  /** Durations the destination sidecar reported (requests that reached it). */
  destinationLatencyMs: Percentiles | null;
  requestBytes: number;
  responseBytes: number;
  /** Hops (requests and connections) each reporter saw: source-reported vs destination-reported. */
  sourceReported: number;
  destinationReported: number;
  /** Counted-once response codes, gRPC statuses and response flags ("-" left out). */
  responseCodes: Record<string, number>;
  grpcStatuses: Record<string, number>;
  responseFlags: Record<string, number>;
  tcp: TcpTruth;
  mtls: MtlsTruth;
  /** Requests in sampled traces (they have spans). */
  sampledRequests: number;
}

export interface PeerKey {
  workload: string;
  namespace: string;
  /** Only on `clusterEdges`. */
  cluster?: string;
}

export interface EdgeTruth extends GroupTruth {
  /** As Istio labels it: "unknown" for workloads without a proxy. */
  source: PeerKey;
  /** "unknown" workload when no proxy knew it (external host, fault abort before routing). */
  destination: PeerKey & { service: string; serviceNamespace: string };
  protocol: Protocol;
  /** The simulated callers behind `source` ("namespace/workload"), e.g. the sidecar-less client. */
  actualSources: string[];
}

export interface ServiceTruth extends GroupTruth {
  service: string;
  namespace: string;
}

/** Traffic into a namespace (grouped by destination service namespace). */
export interface NamespaceTruth extends GroupTruth {
  namespace: string;
}

export interface Truth {
  fromMs: number;
  toMs: number;
  windowSeconds: number;
  scenario: string;
  seed: number;
  /** Generated traffic known to this truth: [fromMs, untilMs) of root arrivals. */
  coverage: { fromMs: number | null; untilMs: number | null };
  tracing: {
    samplingPercent: number;
    traces: number;
    sampledTraces: number;
    sampledRequests: number;
  };
  mesh: GroupTruth;
  edges: EdgeTruth[];
  clusterEdges: EdgeTruth[];
  services: ServiceTruth[];
  namespaces: NamespaceTruth[];
}

/** Dimensions one ledger cell is keyed by (one cell per minute and key). */
export interface CellKey {
  protocol: Protocol;
  sourceWorkload: string;
  sourceNamespace: string;
  sourceCluster: string;
  destinationWorkload: string;
  destinationNamespace: string;
  destinationCluster: string;
  destinationService: string;
  destinationServiceNamespace: string;
  mtls: MtlsState;
  actualSource: string;
}
