/**
 * Graph (API) -> cytoscape element definitions. Every visual decision that depends on data is
 * made here (label text, edge width, classes); graph-styles.ts only maps data fields to looks.
 * Labels are canvas text, never HTML, so telemetry strings cannot inject markup.
 */
import type { ElementDefinition } from 'cytoscape';
import {
  formatMs,
  formatNumber,
  formatPercent,
  formatBytesRate,
} from '../charts/format';
import type { TopologyEdge, TopologyGraph } from './graph-types';
import type { EdgeColorKey, EdgeLabelKey } from './url-state';

export interface ElementsOptions {
  edgeLabels: EdgeLabelKey;
  /** 'mtls' colours edges by mTLS state instead of health (graph-styles.ts `color-mtls`). */
  edgeColor?: EdgeColorKey;
}

/** Edge label for the chosen mode; TCP edges show bytes/s (they have no requests). */
export function edgeLabel(e: TopologyEdge, mode: EdgeLabelKey): string {
  if (mode === 'none' || e.idle || e.inferred) return '';
  if (e.protocol === 'tcp')
    return mode === 'rate' || mode === 'share'
      ? formatBytesRate(e.bytesPerSecond)
      : '';
  switch (mode) {
    case 'errors':
      return e.errorRatio > 0 ? formatPercent(e.errorRatio) : '';
    case 'p95':
      return e.latencyMs.p95 === null ? '' : formatMs(e.latencyMs.p95);
    case 'share':
      return e.trafficShare === null
        ? `${formatNumber(e.requestsPerSecond)} rps`
        : formatPercent(e.trafficShare);
    default:
      return `${formatNumber(e.requestsPerSecond)} rps`;
  }
}

/** Line width from traffic: 1.5 px idle .. 7 px for thousands of requests/s (log scale). */
export function edgeWidth(e: TopologyEdge): number {
  const rate =
    e.protocol === 'tcp' ? e.connectionsPerSecond : e.requestsPerSecond;
  // tenths of a pixel: a refresh with about the same traffic leaves the edge untouched
  return Math.round(Math.min(7, 1.5 + Math.log10(1 + rate) * 1.6) * 10) / 10;
}

/** The health shown on a node: its inbound health, or its own when it only calls. */
function nodeClasses(kind: string, health: string): string {
  return `kind-${kind} health-${health}`;
}

/** Boxes first (parents before children), then nodes, then edges. */
export function prepareElements(
  graph: TopologyGraph,
  opts: ElementsOptions,
): ElementDefinition[] {
  const out: ElementDefinition[] = [];
  const parentOf = new Map(graph.boxes.map((b) => [b.id, b.parent]));
  const depth = (id: string | null): number => {
    let d = 0;
    for (let p = id; p !== null && d < 8; p = parentOf.get(p) ?? null) d++;
    return d;
  };
  // Parents before children: cluster, namespace, app boxes.
  const boxes = [...graph.boxes].sort(
    (a, b) => depth(a.parent) - depth(b.parent) || a.id.localeCompare(b.id),
  );
  for (const b of boxes) {
    out.push({
      group: 'nodes',
      data: {
        id: b.id,
        label: b.label,
        box: b.kind,
        ...(b.parent ? { parent: b.parent } : {}),
      },
      classes: `box box-${b.kind}`,
    });
  }
  for (const n of graph.nodes) {
    out.push({
      group: 'nodes',
      data: {
        id: n.id,
        label: n.label,
        kind: n.kind,
        health: n.health,
        namespace: n.namespace,
        ...(n.parent ? { parent: n.parent } : {}),
      },
      classes: nodeClasses(n.kind, n.health),
    });
  }
  for (const e of graph.edges) {
    out.push({
      group: 'edges',
      data: {
        id: e.id,
        source: e.source,
        target: e.target,
        protocol: e.protocol,
        health: e.health,
        mtls: e.mtls,
        label: edgeLabel(e, opts.edgeLabels),
        width: edgeWidth(e),
      },
      classes: `proto-${e.protocol} health-${e.health} mtls-${e.mtls}${opts.edgeColor === 'mtls' ? ' color-mtls' : ''}${e.idle ? ' idle' : ''}${e.inferred ? ' inferred' : ''}`,
    });
  }
  return out;
}

/** Node ids matching a search (case-insensitive, on label, namespace and id). */
export function matchingNodes(graph: TopologyGraph, search: string): string[] {
  const q = search.trim().toLowerCase();
  if (!q) return [];
  return graph.nodes
    .filter(
      (n) =>
        n.label.toLowerCase().includes(q) ||
        n.namespace.toLowerCase().includes(q) ||
        n.id.toLowerCase().includes(q),
    )
    .map((n) => n.id);
}
