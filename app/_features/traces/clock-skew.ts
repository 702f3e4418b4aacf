/**
 * Clock-skew adjustment, as Jaeger's adjuster does (jaeger: model/adjuster/clockskew.go): spans
 * recorded by different processes use different clocks, so a server span can appear to start
 * before the client span that caused it. When a child from ANOTHER service does not fit inside
 * its parent and is not longer than it, the child is moved so that it sits centred in the parent
 * (equal network latency both ways), and its whole subtree moves with it. Spans of the same
 * service share a clock and are never moved. Pure; the input is not changed.
 */
import type { TraceTree } from './trace-tree';

export interface SkewSpan {
  startUs: number;
  durationUs: number;
  /** The process that recorded the span: spans of one service share a clock. */
  service: string;
}

export interface SkewAdjustment {
  /** Index of the span that was moved (its descendants moved by the same amount). */
  span: number;
  parent: number;
  /** Shift applied to the span, µs (positive = later). */
  deltaUs: number;
}

export interface SkewResult {
  /** Start of every span after adjustment, µs. */
  startUs: Float64Array;
  adjustments: SkewAdjustment[];
}

export function adjustClockSkew(
  spans: readonly SkewSpan[],
  tree: TraceTree,
): SkewResult {
  const n = spans.length;
  const startUs = new Float64Array(n);
  for (let i = 0; i < n; i++) startUs[i] = spans[i]!.startUs;
  const shift = new Float64Array(n);
  const adjustments: SkewAdjustment[] = [];
  // Pre-order: a parent's final position is known before its children are looked at.
  for (let k = 0; k < n; k++) {
    const i = tree.order[k]!;
    const p = tree.parent[i]!;
    if (p < 0) continue;
    // Inherit the parent's shift first (the subtree moves together).
    const inherited = shift[p]!;
    let start = spans[i]!.startUs + inherited;
    const child = spans[i]!;
    const par = spans[p]!;
    const parentStart = startUs[p]!;
    const parentEnd = parentStart + par.durationUs;
    const fits = start >= parentStart && start + child.durationUs <= parentEnd;
    let own = 0;
    if (
      !fits &&
      child.service !== par.service &&
      child.durationUs <= par.durationUs
    ) {
      const latency = (par.durationUs - child.durationUs) / 2;
      own = parentStart + latency - start;
      start += own;
      adjustments.push({ span: i, parent: p, deltaUs: own });
    }
    shift[i] = inherited + own;
    startUs[i] = start;
  }
  return { startUs, adjustments };
}
