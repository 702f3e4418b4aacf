/**
 * The topology page's state, kept in the URL so a view can be shared: time range, filters,
 * graph type, layout, edge labels, idle edges, search and the selected node or edge. Pure.
 */
import {
  parseTimeRange,
  timeRangeParams,
  type TimeRange,
} from '../../_components/time-range';

export const GRAPH_TYPES = [
  { key: 'workload', label: 'Workload graph' },
  { key: 'app', label: 'Versioned app graph' },
  { key: 'service', label: 'Service graph' },
] as const;
export type GraphTypeKey = (typeof GRAPH_TYPES)[number]['key'];

export const LAYOUTS = [
  { key: 'layered', label: 'Layered' },
  { key: 'force', label: 'Force' },
] as const;
export type LayoutKey = (typeof LAYOUTS)[number]['key'];

export const EDGE_LABELS = [
  { key: 'rate', label: 'Requests/s' },
  { key: 'errors', label: 'Error %' },
  { key: 'p95', label: 'p95 latency' },
  { key: 'share', label: 'Traffic share' },
  { key: 'none', label: 'No labels' },
] as const;
export type EdgeLabelKey = (typeof EDGE_LABELS)[number]['key'];

/** What an edge's colour says: its health (error rate) or its mTLS state (for the mTLS view). */
export const EDGE_COLORS = [
  { key: 'health', label: 'Health' },
  { key: 'mtls', label: 'mTLS' },
] as const;
export type EdgeColorKey = (typeof EDGE_COLORS)[number]['key'];

/** Error-rate thresholds of the health colours, in percent (defaults as the server's: 1 % / 10 %). */
export interface HealthPercents {
  degraded: number;
  failure: number;
}
export const DEFAULT_HEALTH: HealthPercents = { degraded: 1, failure: 10 };

export const PROTOCOLS = ['http', 'grpc', 'tcp'] as const;
export type Protocol = (typeof PROTOCOLS)[number];

export const REFRESH = [
  { key: 'off', label: 'Off', ms: 0 },
  { key: '10s', label: '10 s', ms: 10_000 },
  { key: '30s', label: '30 s', ms: 30_000 },
  { key: '1m', label: '1 min', ms: 60_000 },
] as const;
export type RefreshKey = (typeof REFRESH)[number]['key'];

export type Selection = { kind: 'node' | 'edge'; id: string } | null;

export interface TopologyState {
  range: TimeRange;
  namespaces: string[];
  protocols: Protocol[];
  /** '' = every cluster. */
  cluster: string;
  graphType: GraphTypeKey;
  layout: LayoutKey;
  edgeLabels: EdgeLabelKey;
  edgeColor: EdgeColorKey;
  health: HealthPercents;
  idle: boolean;
  search: string;
  selected: Selection;
  refresh: RefreshKey;
}

type Params = { get(name: string): string | null };

function oneOf<T extends string>(
  value: string | null,
  options: readonly { key: T }[],
  fallback: T,
): T {
  return options.find((o) => o.key === value)?.key ?? fallback;
}

/** A percentage 0..100 from the URL, or the fallback when missing or out of range. */
function percent(value: string | null, fallback: number): number {
  if (value === null || value.trim() === '') return fallback;
  const n = Number(value);
  return Number.isFinite(n) && n >= 0 && n <= 100 ? n : fallback;
}

function list(value: string | null): string[] {
  return (value ?? '')
    .split(',')
    .map((v) => v.trim())
    .filter((v) => v.length > 0);
}

/** Thresholds in order: a degraded level above the failure level is lowered to it. */
function healthOf(degraded: number, failure: number): HealthPercents {
  return { degraded: Math.min(degraded, failure), failure };
}

export function parseTopologyState(p: Params): TopologyState {
  const node = p.get('node');
  const edge = p.get('edge');
  return {
    range: parseTimeRange(p),
    namespaces: list(p.get('ns')),
    protocols: list(p.get('proto')).filter((v): v is Protocol =>
      (PROTOCOLS as readonly string[]).includes(v),
    ),
    cluster: p.get('cluster') ?? '',
    graphType: oneOf(p.get('graph'), GRAPH_TYPES, 'workload'),
    layout: oneOf(p.get('layout'), LAYOUTS, 'layered'),
    edgeLabels: oneOf(p.get('labels'), EDGE_LABELS, 'rate'),
    edgeColor: oneOf(p.get('color'), EDGE_COLORS, 'health'),
    health: healthOf(
      percent(p.get('warn'), DEFAULT_HEALTH.degraded),
      percent(p.get('fail'), DEFAULT_HEALTH.failure),
    ),
    idle: p.get('idle') === '1',
    search: p.get('q') ?? '',
    selected: edge
      ? { kind: 'edge', id: edge }
      : node
        ? { kind: 'node', id: node }
        : null,
    refresh: oneOf(p.get('refresh'), REFRESH, '30s'),
  };
}

/** The URL parameters of a state change; null removes a parameter (defaults stay out of the URL). */
export function topologyParams(
  patch: Partial<TopologyState>,
): Record<string, string | null> {
  const out: Record<string, string | null> = {};
  if (patch.range) Object.assign(out, timeRangeParams(patch.range));
  if (patch.namespaces)
    out.ns = patch.namespaces.length ? patch.namespaces.join(',') : null;
  if (patch.protocols)
    out.proto = patch.protocols.length ? patch.protocols.join(',') : null;
  if (patch.cluster !== undefined) out.cluster = patch.cluster || null;
  if (patch.graphType)
    out.graph = patch.graphType === 'workload' ? null : patch.graphType;
  if (patch.layout)
    out.layout = patch.layout === 'layered' ? null : patch.layout;
  if (patch.edgeLabels)
    out.labels = patch.edgeLabels === 'rate' ? null : patch.edgeLabels;
  if (patch.edgeColor)
    out.color = patch.edgeColor === 'health' ? null : patch.edgeColor;
  if (patch.health) {
    out.warn =
      patch.health.degraded === DEFAULT_HEALTH.degraded
        ? null
        : String(patch.health.degraded);
    out.fail =
      patch.health.failure === DEFAULT_HEALTH.failure
        ? null
        : String(patch.health.failure);
  }
  if (patch.idle !== undefined) out.idle = patch.idle ? '1' : null;
  if (patch.search !== undefined) out.q = patch.search || null;
  if (patch.refresh)
    out.refresh = patch.refresh === '30s' ? null : patch.refresh;
  if (patch.selected !== undefined) {
    out.node = patch.selected?.kind === 'node' ? patch.selected.id : null;
    out.edge = patch.selected?.kind === 'edge' ? patch.selected.id : null;
  }
  return out;
}

export { applyParams } from '../../_components/url-params';
