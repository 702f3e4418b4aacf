/**
 * GET /api/v1/topology — the service graph as a stable JSON shape (docs/api.md). Field names of
 * the contract stay; more may be added. `signal` is spelled metrics | logs | traces here.
 */
import type { IncomingHttpHeaders } from 'node:http';
import { z } from 'zod';
import { topologyGraph } from '../../queries/topology';
import {
  DEFAULT_THRESHOLDS,
  type GraphEdge,
  type GraphNode,
} from '../../topology/types';
import { createInnerContext } from '../trpc';
import { firstValues, listParam, timeParam, windowOf } from './params';

const query = z.object({
  start: timeParam.optional(),
  end: timeParam.optional(),
  graphType: z.enum(['workload', 'service', 'app']).default('workload'),
  cluster: z.string().max(512).optional(),
  idle: z.enum(['true', 'false']).default('false'),
  // error-ratio thresholds of `health` (0..1)
  degraded: z.coerce.number().min(0).max(1).optional(),
  failure: z.coerce.number().min(0).max(1).optional(),
});

const protocols = z.array(z.enum(['http', 'grpc', 'tcp']));

/** Stored signal name -> the API's. */
export const API_SIGNAL: Record<string, string> = {
  metrics: 'metrics',
  access_log: 'logs',
  spans: 'traces',
};

function apiNode(n: GraphNode) {
  return {
    id: n.id,
    kind: n.kind,
    cluster: n.cluster,
    namespace: n.namespace,
    workload: n.workload,
    service: n.service,
    app: n.app,
    version: n.version,
    label: n.label,
    parent: n.parent,
    clusters: n.clusters,
    ...(n.gatewayType ? { gatewayType: n.gatewayType } : {}),
    health: n.health,
  };
}

function apiEdge(e: GraphEdge) {
  return {
    source: e.source,
    target: e.target,
    protocol: e.protocol,
    signal: API_SIGNAL[e.signal] ?? e.signal,
    requestsPerSecond: e.requestsPerSecond,
    errorRatio: e.errorRatio,
    latencyMs: {
      p50: e.latencyMs.p50,
      p95: e.latencyMs.p95,
      p99: e.latencyMs.p99,
    },
    bytesPerSecond: e.bytesPerSecond,
    mtlsShare: e.mtlsShare,
    mtls: e.mtls,
    id: e.id,
    signals: e.signals.map((s) => API_SIGNAL[s] ?? s),
    clientErrorRatio: e.clientErrorRatio,
    connectionsPerSecond: e.connectionsPerSecond,
    trafficShare: e.trafficShare,
    requests: e.requests,
    idle: e.idle,
    health: e.health,
  };
}

/** `Cache-Control: no-cache` (or `max-age=0`): recompute rather than reuse a cached graph. */
function wantsFresh(headers: IncomingHttpHeaders | undefined): boolean {
  const cc = String(headers?.['cache-control'] ?? '').toLowerCase();
  return /(^|,)\s*(no-cache|no-store|max-age=0)\s*(,|$)/.test(cc);
}

export async function topologyHandler(
  params: URLSearchParams,
  _subpath?: string,
  headers?: IncomingHttpHeaders,
): Promise<unknown> {
  const q = query.parse(firstValues(params));
  const window = windowOf(q.start, q.end);
  const db = await createInnerContext().db();
  const graph = await topologyGraph(db, {
    ...window,
    fresh: wantsFresh(headers),
    namespaces: [
      ...listParam(params, 'namespace'),
      ...listParam(params, 'namespaces'),
    ],
    protocols: protocols.parse(listParam(params, 'protocol')),
    cluster: q.cluster,
    graphType: q.graphType,
    includeIdle: q.idle === 'true',
    thresholds: {
      degraded: Math.min(
        q.degraded ?? DEFAULT_THRESHOLDS.degraded,
        q.failure ?? DEFAULT_THRESHOLDS.failure,
      ),
      failure: q.failure ?? DEFAULT_THRESHOLDS.failure,
    },
  });
  return {
    window: {
      start: graph.window.start.toISOString(),
      end: graph.window.end.toISOString(),
      seconds: graph.window.seconds,
    },
    graphType: graph.type,
    nodes: graph.nodes.map(apiNode),
    boxes: graph.boxes,
    // Inferred served-by links are a drawing aid without figures: not part of the read API.
    edges: graph.edges.filter((e) => !e.inferred).map(apiEdge),
  };
}
