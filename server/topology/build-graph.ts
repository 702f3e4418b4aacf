/**
 * Edge rows -> graph: resolve each end to a node (node-identity.ts), put the service between a
 * caller and the workloads serving it (as Kiali does; the service -> workload edges carry the
 * version split), merge rows that land on the same node pair and protocol (versions, signals,
 * clusters), then run the decorators: rates,
 * errors, latency, mTLS (decorate-edge.ts), traffic share across a service's versions, health,
 * node totals, and inferred served-by links where no signal named the workloads (served-by.ts). Pure: the same rows always give the same graph, sorted by id.
 */
import { buildBoxes } from './boxes';
import { healthOf, trafficFigures } from './decorate-edge';
import { addMeasures, emptyMeasures, type TrafficMeasures } from './measures';
import {
  destinationNode,
  injectedService,
  sourceNode,
  type NodeSeed,
} from './node-identity';
import { inferServedBy } from './served-by';
import {
  DEFAULT_THRESHOLDS,
  type EdgeAggregate,
  type Graph,
  type GraphEdge,
  type GraphNode,
  type GraphType,
  type HealthThresholds,
} from './types';

export interface BuildGraphOptions {
  type: GraphType;
  /** Seconds the window covers (rates divide by it). */
  seconds: number;
  thresholds?: HealthThresholds;
  /** Rows seen before the window but not in it: drawn as idle edges when given. */
  idle?: readonly EdgeAggregate[];
}

interface NodeAcc {
  seed: NodeSeed;
  clusters: Set<string>;
}

interface EdgeAcc {
  source: string;
  target: string;
  protocol: string;
  /** Target's service, for traffic shares across versions. */
  targetService: string;
  measures: TrafficMeasures;
  requestsBySignal: Map<string, number>;
  idle: boolean;
}

function addNode(
  nodes: Map<string, NodeAcc>,
  seed: NodeSeed,
  clusters: readonly string[],
): void {
  let acc = nodes.get(seed.id);
  if (!acc) nodes.set(seed.id, (acc = { seed, clusters: new Set() }));
  for (const c of clusters) if (c) acc.clusters.add(c);
}

function addEdge(
  edges: Map<string, EdgeAcc>,
  r: EdgeAggregate,
  src: NodeSeed,
  dst: NodeSeed,
  idle: boolean,
): void {
  const id = `${src.id}->${dst.id}:${r.protocol}`;
  let acc = edges.get(id);
  if (!acc) {
    acc = {
      source: src.id,
      target: dst.id,
      protocol: r.protocol,
      targetService: `${dst.namespace}/${dst.service}`,
      measures: emptyMeasures(),
      requestsBySignal: new Map(),
      idle,
    };
    edges.set(id, acc);
  }
  if (!idle) {
    acc.idle = false;
    addMeasures(acc.measures, r.measures);
    const weight = r.measures.requests + r.measures.connections;
    acc.requestsBySignal.set(
      r.signal,
      (acc.requestsBySignal.get(r.signal) ?? 0) + weight,
    );
  }
}

interface InboundTotals {
  requests: number;
  errors: number;
  connections: number;
}

const NO_INBOUND: InboundTotals = { requests: 0, errors: 0, connections: 0 };

/** A node's inbound rate and error ratio, as trafficFigures computes them for an edge. */
function inboundFigures(m: InboundTotals, seconds: number) {
  const s = seconds > 0 ? seconds : 1;
  return {
    requestsPerSecond: m.requests / s,
    errorRatio: m.requests > 0 ? m.errors / m.requests : 0,
  };
}

/** Shares of each edge among edges from the same source to the same service (null if alone). */
function trafficShares(
  edges: ReadonlyMap<string, EdgeAcc>,
): Map<string, number | null> {
  const totals = new Map<string, { sum: number; count: number }>();
  const groupOf = (e: EdgeAcc) =>
    `${e.source}\x1f${e.targetService}\x1f${e.protocol}`;
  for (const e of edges.values()) {
    const g = totals.get(groupOf(e)) ?? { sum: 0, count: 0 };
    g.sum += e.measures.requests + e.measures.connections;
    g.count += 1;
    totals.set(groupOf(e), g);
  }
  const out = new Map<string, number | null>();
  for (const [id, e] of edges) {
    const g = totals.get(groupOf(e));
    out.set(
      id,
      g && g.count > 1 && g.sum > 0
        ? (e.measures.requests + e.measures.connections) / g.sum
        : null,
    );
  }
  return out;
}

/** Builds the decorated graph from the topology query's rows. */
export function buildGraph(
  rows: readonly EdgeAggregate[],
  opts: BuildGraphOptions,
): Graph {
  const thresholds = opts.thresholds ?? DEFAULT_THRESHOLDS;
  const nodes = new Map<string, NodeAcc>();
  const edgeAccs = new Map<string, EdgeAcc>();
  const take = (r: EdgeAggregate, idle: boolean) => {
    const src = sourceNode(r, opts.type);
    const dst = destinationNode(r, opts.type);
    addNode(nodes, src, r.sourceClusters);
    addNode(nodes, dst, r.destinationClusters);
    const via = injectedService(r, dst, opts.type);
    if (via) {
      addNode(nodes, via, r.destinationClusters);
      addEdge(edgeAccs, r, src, via, idle);
      addEdge(edgeAccs, r, via, dst, idle);
    } else {
      addEdge(edgeAccs, r, src, dst, idle);
    }
  };
  for (const r of rows) take(r, false);
  for (const r of opts.idle ?? []) take(r, true);

  const shares = trafficShares(edgeAccs);
  const edges: GraphEdge[] = [];
  // a node's inbound totals: only what its figures and health use (no latency buckets)
  const inbound = new Map<string, InboundTotals>();
  for (const [id, e] of edgeAccs) {
    const f = trafficFigures(e.measures, opts.seconds);
    const signals = [...e.requestsBySignal.entries()].sort(
      (a, b) => b[1] - a[1] || a[0].localeCompare(b[0]),
    );
    edges.push({
      id,
      source: e.source,
      target: e.target,
      protocol: e.protocol,
      signal: signals[0]?.[0] ?? '',
      signals: signals.map(([s]) => s).sort(),
      requestsPerSecond: f.requestsPerSecond,
      errorRatio: f.errorRatio,
      clientErrorRatio: f.clientErrorRatio,
      connectionsPerSecond: f.connectionsPerSecond,
      bytesPerSecond: f.bytesPerSecond,
      latencyMs: f.latencyMs,
      mtlsShare: f.mtlsShare,
      mtls: f.mtls,
      trafficShare: shares.get(id) ?? null,
      requests: f.requests,
      sampledSpans: f.sampledSpans,
      health: e.idle
        ? 'idle'
        : healthOf(
            e.measures.requests,
            e.measures.connections,
            f.errorRatio,
            thresholds,
          ),
      idle: e.idle,
      inferred: false,
    });
    const into = inbound.get(e.target);
    if (into) {
      into.requests += e.measures.requests;
      into.errors += e.measures.errors;
      into.connections += e.measures.connections;
    } else
      inbound.set(e.target, {
        requests: e.measures.requests,
        errors: e.measures.errors,
        connections: e.measures.connections,
      });
  }
  edges.sort((a, b) => a.id.localeCompare(b.id));

  const busy = new Set<string>();
  for (const e of edges) {
    if (e.idle) continue;
    busy.add(e.source);
    busy.add(e.target);
  }
  const boxed = buildBoxes(
    [...nodes.values()].map(({ seed, clusters }) => ({
      seed,
      clusters: [...clusters].sort(),
    })),
  );
  const outNodes: GraphNode[] = [...nodes.values()].map(
    ({ seed, clusters }) => {
      const m = inbound.get(seed.id) ?? NO_INBOUND;
      const f = inboundFigures(m, opts.seconds);
      const hasTraffic = busy.has(seed.id);
      const cl = [...clusters].sort();
      return {
        id: seed.id,
        kind: seed.kind,
        cluster: cl.length === 1 ? cl[0]! : '',
        clusters: cl,
        namespace: seed.namespace,
        workload: seed.workload,
        service: seed.service,
        app: seed.app,
        version: seed.version,
        label: seed.label,
        ...(seed.gatewayType ? { gatewayType: seed.gatewayType } : {}),
        parent: boxed.parentOf.get(seed.id) ?? null,
        inbound: {
          requestsPerSecond: f.requestsPerSecond,
          errorRatio: f.errorRatio,
        },
        health: !hasTraffic
          ? 'idle'
          : healthOf(m.requests, m.connections || 1, f.errorRatio, thresholds),
      };
    },
  );
  outNodes.sort((a, b) => a.id.localeCompare(b.id));
  const all = [...edges, ...inferServedBy(outNodes, edges, opts.type)].sort(
    (a, b) => a.id.localeCompare(b.id),
  );
  return {
    type: opts.type,
    nodes: outNodes,
    boxes: boxed.boxes,
    edges: all,
  };
}
