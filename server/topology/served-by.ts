/**
 * Drawing aid for traces and access logs: a caller's span or log line names the service it
 * called, not the workload that served it, so with those signals alone a service node has no
 * edge to its workloads and the graph falls apart. For a service node with no outgoing edge,
 * link it to the workloads (or app versions) of the same app in its namespace that the graph
 * already shows. These edges are marked `inferred` and carry NO figures: nothing is guessed
 * about how much traffic each served.
 */
import type { GraphEdge, GraphNode, GraphType } from './types';

export function inferServedBy(
  nodes: readonly GraphNode[],
  edges: readonly GraphEdge[],
  type: GraphType,
): GraphEdge[] {
  if (type === 'service') return [];
  const withOutgoing = new Set(edges.map((e) => e.source));
  const protocolInto = new Map<string, string>();
  for (const e of edges)
    if (!protocolInto.has(e.target)) protocolInto.set(e.target, e.protocol);
  const out: GraphEdge[] = [];
  for (const svc of nodes) {
    if (svc.kind !== 'service' || withOutgoing.has(svc.id)) continue;
    const protocol = protocolInto.get(svc.id) ?? 'http';
    for (const w of nodes) {
      if (
        (w.kind !== 'workload' && w.kind !== 'app') ||
        w.namespace !== svc.namespace ||
        w.app !== svc.service
      )
        continue;
      out.push({
        id: `${svc.id}->${w.id}:${protocol}`,
        source: svc.id,
        target: w.id,
        protocol,
        signal: '',
        signals: [],
        requestsPerSecond: 0,
        errorRatio: 0,
        clientErrorRatio: 0,
        connectionsPerSecond: 0,
        bytesPerSecond: 0,
        latencyMs: { p50: null, p90: null, p95: null, p99: null, avg: null },
        mtlsShare: null,
        mtls: 'unknown',
        trafficShare: null,
        requests: 0,
        sampledSpans: 0,
        health: 'idle',
        idle: false,
        inferred: true,
      });
    }
  }
  return out;
}
