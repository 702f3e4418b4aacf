/**
 * Everything the trace page derives from a trace, computed once per trace: the span tree,
 * clock-skew-adjusted starts, the critical path, service colours and bounds. Pure.
 */
import { adjustClockSkew, type SkewAdjustment } from './clock-skew';
import {
  criticalPath,
  segmentsBySpan,
  type CriticalSegment,
} from './critical-path';
import { buildTraceTree, type TraceTree } from './trace-tree';

/** The span fields the page's derivations need. */
export interface PrepSpan {
  spanId: string;
  parentSpanId: string;
  startUs: number;
  durationUs: number;
  service: string;
  name: string;
  status: { code: string };
}

export interface PreparedTrace {
  tree: TraceTree;
  /** Start of each span after skew adjustment, µs. */
  startUs: Float64Array;
  durationUs: Float64Array;
  adjustments: SkewAdjustment[];
  traceStartUs: number;
  traceEndUs: number;
  critical: Map<number, CriticalSegment[]>;
  /** Services in order of first appearance, with their colour. */
  services: { service: string; color: string; spans: number }[];
  colorOf: Map<string, string>;
  errorCount: number;
  maxDepth: number;
}

/** Colour-blind-friendly hues, spread so neighbouring services differ (Tableau 10 + 10 more). */
export const SERVICE_COLORS = [
  '#4e79a7',
  '#f28e2b',
  '#59a14f',
  '#b07aa1',
  '#76b7b2',
  '#edc948',
  '#ff9da7',
  '#9c755f',
  '#bab0ac',
  '#17becf',
  '#8c6bb1',
  '#2ca02c',
  '#d37295',
  '#fabfd2',
  '#a0cbe8',
  '#ffbe7d',
  '#8cd17d',
  '#86bcb6',
  '#f1ce63',
  '#d4a6c8',
];

export function isErrorSpan(s: PrepSpan): boolean {
  return s.status.code === 'Error';
}

/**
 * `adjustSkew: false` keeps the recorded start times (the adjustments are still reported).
 * `criticalPath: false` leaves `critical` empty, for a large trace that draws first and adds
 * the path in a later task (`criticalSegments`).
 */
export function prepareTrace(
  spans: readonly PrepSpan[],
  opts: { adjustSkew?: boolean; criticalPath?: boolean } = {},
): PreparedTrace {
  const tree = buildTraceTree(spans);
  const skew = adjustClockSkew(spans, tree);
  if (opts.adjustSkew === false) {
    for (let i = 0; i < spans.length; i++) skew.startUs[i] = spans[i]!.startUs;
  }
  const n = spans.length;
  const durationUs = new Float64Array(n);
  let traceStartUs = Infinity;
  let traceEndUs = -Infinity;
  let errorCount = 0;
  let maxDepth = 0;
  const counts = new Map<string, number>();
  for (let k = 0; k < n; k++) {
    // Pre-order: services get colours in the order a reader meets them.
    const i = tree.order[k]!;
    const s = spans[i]!;
    durationUs[i] = s.durationUs;
    traceStartUs = Math.min(traceStartUs, skew.startUs[i]!);
    traceEndUs = Math.max(traceEndUs, skew.startUs[i]! + s.durationUs);
    if (isErrorSpan(s)) errorCount++;
    maxDepth = Math.max(maxDepth, tree.depth[i]!);
    counts.set(s.service, (counts.get(s.service) ?? 0) + 1);
  }
  const colorOf = new Map<string, string>();
  const services = [...counts].map(([service, count], i) => {
    const color = SERVICE_COLORS[i % SERVICE_COLORS.length]!;
    colorOf.set(service, color);
    return { service, color, spans: count };
  });
  return {
    tree,
    startUs: skew.startUs,
    durationUs,
    adjustments: skew.adjustments,
    traceStartUs: n ? traceStartUs : 0,
    traceEndUs: n ? traceEndUs : 0,
    critical:
      opts.criticalPath === false
        ? new Map<number, CriticalSegment[]>()
        : criticalSegments({ tree, startUs: skew.startUs, durationUs }),
    services,
    colorOf,
    errorCount,
    maxDepth,
  };
}

/** The critical path of a prepared trace, by span index. */
export function criticalSegments(
  p: Pick<PreparedTrace, 'tree' | 'startUs' | 'durationUs'>,
): Map<number, CriticalSegment[]> {
  return segmentsBySpan(criticalPath(p.tree, p.startUs, p.durationUs));
}
