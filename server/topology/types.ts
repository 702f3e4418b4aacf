/**
 * The graph's shapes: EdgeAggregate (what the topology query returns, one row per peer pair,
 * protocol and signal) and the view model Graph / GraphNode / GraphEdge the API serves.
 */
import type { LatencyPercentiles } from './percentiles';
import type { TrafficMeasures } from './measures';

/** Traffic between two peers as stored (names normalised: '' = unknown), one signal. */
export interface EdgeAggregate {
  sourceNamespace: string;
  sourceWorkload: string;
  sourceService: string;
  sourceVersion: string;
  sourceClusters: string[];
  destinationNamespace: string;
  destinationService: string;
  destinationWorkload: string;
  destinationVersion: string;
  destinationClusters: string[];
  protocol: string;
  signal: string;
  measures: TrafficMeasures;
}

/** Workload graph, service graph, versioned-app graph (Kiali's granularities). */
export type GraphType = 'workload' | 'service' | 'app';
export const GRAPH_TYPES: readonly GraphType[] = ['workload', 'service', 'app'];

export type NodeKind =
  'workload' | 'service' | 'app' | 'gateway' | 'external' | 'unknown';

export type Health = 'healthy' | 'degraded' | 'failure' | 'idle';

/** mTLS state of an edge for its lock: all, some, none, or no destination report. */
export type MtlsState = 'full' | 'partial' | 'none' | 'unknown';

export interface GraphNode {
  id: string;
  kind: NodeKind;
  /** The cluster when all traffic of the node is in one; '' otherwise. */
  cluster: string;
  clusters: string[];
  namespace: string;
  workload: string;
  service: string;
  /** Canonical service (Istio's app); '' when unknown. */
  app: string;
  version: string;
  /** Short text for the graph. */
  label: string;
  /** 'ingress' | 'egress' for gateways. */
  gatewayType?: 'ingress' | 'egress';
  /** Compound parent (namespace box, or app box in the versioned-app graph). */
  parent: string | null;
  /** Inbound traffic of the node (sum of its incoming edges). */
  inbound: { requestsPerSecond: number; errorRatio: number };
  health: Health;
}

/** A compound box: a cluster (multi-cluster graphs), a namespace, or an app inside one. */
export interface GraphBox {
  id: string;
  kind: 'cluster' | 'namespace' | 'app';
  label: string;
  parent: string | null;
}

export interface GraphEdge {
  id: string;
  source: string;
  target: string;
  protocol: string;
  /** The signal most of the edge's traffic came from; `signals` lists every one used. */
  signal: string;
  signals: string[];
  requestsPerSecond: number;
  /** 0..1: 5xx and gRPC non-OK over requests (0 without requests). */
  errorRatio: number;
  /** 0..1: 4xx over requests. */
  clientErrorRatio: number;
  connectionsPerSecond: number;
  bytesPerSecond: number;
  latencyMs: LatencyPercentiles & { avg: number | null };
  /** 0..1 share of mutual-TLS traffic among traffic with a known policy; null when none is known. */
  mtlsShare: number | null;
  mtls: MtlsState;
  /** Share of the source's traffic to the same service (canary splits); null when not split. */
  trafficShare: number | null;
  /** Requests in the window. */
  requests: number;
  /** Span-derived traffic: spans seen behind the scaled count (0 for other signals). */
  sampledSpans: number;
  health: Health;
  idle: boolean;
  /** A drawing aid without figures (served-by.ts): the service's workload is inferred. */
  inferred: boolean;
}

export interface Graph {
  type: GraphType;
  nodes: GraphNode[];
  boxes: GraphBox[];
  edges: GraphEdge[];
}

/** Error-rate thresholds for health colours (0..1), Kiali-like; configurable per request. */
export interface HealthThresholds {
  degraded: number;
  failure: number;
}

export const DEFAULT_THRESHOLDS: HealthThresholds = {
  degraded: 0.01,
  failure: 0.1,
};
