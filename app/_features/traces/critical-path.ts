/**
 * The critical path of a trace, as jaeger-ui computes it (TracePage/CriticalPath): walk back from
 * the end of the root; at each point the work that delays the end is the last-finishing child
 * that ended before that point, recursively; time no child covers belongs to the span itself.
 * Children that outlive their parent are cut at the parent's end. Iterative (no recursion), so a
 * 100,000-deep chain does not overflow the stack. Pure; times in µs.
 */
import type { TraceTree } from './trace-tree';

export interface CriticalSegment {
  span: number;
  startUs: number;
  endUs: number;
}

interface Frame {
  span: number;
  /** Everything after this point is already accounted for. */
  cursor: number;
  /** Children by end time, latest first. */
  kids: number[];
  next: number;
}

/**
 * Critical-path segments, in time order, for each root (roots with no overlap in time all lie on
 * the path; for overlapping roots each is walked on its own). `startUs` may be skew-adjusted.
 */
export function criticalPath(
  tree: TraceTree,
  startUs: ArrayLike<number>,
  durationUs: ArrayLike<number>,
): CriticalSegment[] {
  const end = (i: number) => startUs[i]! + durationUs[i]!;
  const out: CriticalSegment[] = [];
  const push = (span: number, from: number, to: number) => {
    if (to > from) out.push({ span, startUs: from, endUs: to });
  };
  const frame = (span: number, cursor: number): Frame => ({
    span,
    cursor: Math.min(cursor, end(span)),
    kids: [...tree.children[span]!].sort((a, b) => end(b) - end(a)),
    next: 0,
  });
  for (const root of tree.roots) {
    const stack: Frame[] = [frame(root, end(root))];
    while (stack.length > 0) {
      const f = stack[stack.length - 1]!;
      const spanStart = startUs[f.span]!;
      let child = -1;
      while (f.next < f.kids.length) {
        const c = f.kids[f.next++]!;
        // A child that starts at or after the cursor adds nothing before it.
        if (startUs[c]! < f.cursor && end(c) > spanStart) {
          child = c;
          break;
        }
      }
      if (child < 0) {
        push(f.span, spanStart, f.cursor);
        stack.pop();
        continue;
      }
      const childEnd = Math.min(end(child), f.cursor);
      push(f.span, childEnd, f.cursor);
      f.cursor = Math.max(startUs[child]!, spanStart);
      stack.push(frame(child, childEnd));
    }
  }
  return out.sort((a, b) => a.startUs - b.startUs);
}

/** Segments grouped by span index, for drawing on the bars. */
export function segmentsBySpan(
  segments: readonly CriticalSegment[],
): Map<number, CriticalSegment[]> {
  const by = new Map<number, CriticalSegment[]>();
  for (const s of segments) {
    const list = by.get(s.span);
    if (list) list.push(s);
    else by.set(s.span, [s]);
  }
  return by;
}
