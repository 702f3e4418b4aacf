/**
 * The "trace statistics" table, as jaeger-ui's TraceStatistics: per service and operation, the
 * span count, total and average duration, and self time (the part of a span no child covers;
 * children are cut at the parent's bounds and overlapping children counted once). Pure; µs.
 */
import type { TraceTree } from './trace-tree';

export interface StatsSpan {
  service: string;
  name: string;
  durationUs: number;
  error: boolean;
}

export interface StatsRow {
  service: string;
  operation: string;
  count: number;
  errors: number;
  totalUs: number;
  avgUs: number;
  maxUs: number;
  selfTotalUs: number;
  selfAvgUs: number;
  /** Self time over the trace's duration (0..1). */
  selfShare: number;
}

/** Self time of every span: its duration minus the union of its children's (clipped) intervals. */
export function selfTimes(
  tree: TraceTree,
  startUs: ArrayLike<number>,
  durationUs: ArrayLike<number>,
): Float64Array {
  const n = durationUs.length;
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const s = startUs[i]!;
    const e = s + durationUs[i]!;
    const kids = tree.children[i]!.map(
      (c) =>
        [
          Math.max(s, startUs[c]!),
          Math.min(e, startUs[c]! + durationUs[c]!),
        ] as const,
    )
      .filter(([a, b]) => b > a)
      .sort((a, b) => a[0] - b[0]);
    let covered = 0;
    let curA = -Infinity;
    let curB = -Infinity;
    for (const [a, b] of kids) {
      if (a > curB) {
        if (curB > curA) covered += curB - curA;
        curA = a;
        curB = b;
      } else if (b > curB) curB = b;
    }
    if (curB > curA) covered += curB - curA;
    out[i] = Math.max(0, e - s - covered);
  }
  return out;
}

/** Rows by service and operation, most self time first. */
export function traceStatistics(
  spans: readonly StatsSpan[],
  self: ArrayLike<number>,
  traceDurationUs: number,
): StatsRow[] {
  const groups = new Map<string, StatsRow>();
  spans.forEach((s, i) => {
    const key = `${s.service}\u0000${s.name}`;
    let g = groups.get(key);
    if (!g) {
      g = {
        service: s.service,
        operation: s.name,
        count: 0,
        errors: 0,
        totalUs: 0,
        avgUs: 0,
        maxUs: 0,
        selfTotalUs: 0,
        selfAvgUs: 0,
        selfShare: 0,
      };
      groups.set(key, g);
    }
    g.count++;
    if (s.error) g.errors++;
    g.totalUs += s.durationUs;
    g.maxUs = Math.max(g.maxUs, s.durationUs);
    g.selfTotalUs += self[i]!;
  });
  const rows = [...groups.values()];
  for (const g of rows) {
    g.avgUs = g.totalUs / g.count;
    g.selfAvgUs = g.selfTotalUs / g.count;
    g.selfShare = traceDurationUs > 0 ? g.selfTotalUs / traceDurationUs : 0;
  }
  return rows.sort(
    (a, b) =>
      b.selfTotalUs - a.selfTotalUs ||
      a.service.localeCompare(b.service) ||
      a.operation.localeCompare(b.operation),
  );
}
