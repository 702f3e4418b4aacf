/**
 * The flame-graph view's blocks: every span as a block on the row of its depth, placed by its
 * (skew-adjusted) time in the zoomed view, as jaeger-ui's trace flamegraph. Only blocks at least
 * `minWidth` of the view wide are drawn, and a span too narrow to draw hides its subtree (its
 * children lie inside it), so a 100,000-span trace yields at most a few thousand blocks. Pure.
 */
import type { TraceTree } from './trace-tree';
import { clampToView, createViewedBoundsFunc } from './view-math';

export interface FlameBlock {
  /** Span index. */
  span: number;
  depth: number;
  /** Fractions of the view, clamped to [0, 1]. */
  left: number;
  width: number;
}

export interface FlameLayout {
  blocks: FlameBlock[];
  /** Deepest row drawn + 1 (the graph's height in rows). */
  rows: number;
  /** Spans not drawn because they (or an ancestor) were narrower than `minWidth` or off view. */
  hidden: number;
  /** True when `maxBlocks` stopped the walk early. */
  capped: boolean;
}

/**
 * Walks the tree in pre-order. `viewStart`/`viewEnd` are fractions of the trace (the zoom);
 * `minWidth` is a fraction of the view (e.g. 1 px / graph width).
 */
export function flameLayout(
  tree: TraceTree,
  startUs: ArrayLike<number>,
  durationUs: ArrayLike<number>,
  view: {
    traceStartUs: number;
    traceEndUs: number;
    viewStart: number;
    viewEnd: number;
  },
  opts: { minWidth: number; maxBlocks?: number },
): FlameLayout {
  const bounds = createViewedBoundsFunc(view);
  const maxBlocks = opts.maxBlocks ?? 5_000;
  const n = tree.order.length;
  const blocks: FlameBlock[] = [];
  let rows = 0;
  let k = 0;
  let capped = false;
  while (k < n) {
    const i = tree.order[k]!;
    const s = startUs[i]!;
    const b = clampToView(bounds(s, s + durationUs[i]!));
    if (!b || b.end - b.start < opts.minWidth) {
      // Too narrow or outside the view: so is (almost always) everything below it.
      k += tree.subtreeSize[i]!;
      continue;
    }
    if (blocks.length >= maxBlocks) {
      capped = true;
      break;
    }
    const depth = tree.depth[i]!;
    blocks.push({ span: i, depth, left: b.start, width: b.end - b.start });
    rows = Math.max(rows, depth + 1);
    k++;
  }
  return { blocks, rows, hidden: n - blocks.length, capped };
}
