/**
 * The waterfall's visible rows, as jaeger-ui's generateRowStates: the pre-order of the span tree
 * minus the descendants of collapsed spans. O(visible rows) per change. Pure.
 */
import type { TraceTree } from './trace-tree';

export interface WaterfallRow {
  /** Span index. */
  span: number;
  depth: number;
  hasChildren: boolean;
  collapsed: boolean;
}

/** Rows to draw; `collapsed` holds span indices. */
export function generateRowStates(
  tree: TraceTree,
  collapsed: ReadonlySet<number>,
): WaterfallRow[] {
  const rows: WaterfallRow[] = [];
  const n = tree.order.length;
  let k = 0;
  while (k < n) {
    const i = tree.order[k]!;
    const hasChildren = tree.children[i]!.length > 0;
    const isCollapsed = hasChildren && collapsed.has(i);
    rows.push({
      span: i,
      depth: tree.depth[i]!,
      hasChildren,
      collapsed: isCollapsed,
    });
    k += isCollapsed ? tree.subtreeSize[i]! : 1;
  }
  return rows;
}

/** Collapses every span at `depth` or deeper that has children ("collapse to level"). */
export function collapseFromDepth(tree: TraceTree, depth: number): Set<number> {
  const out = new Set<number>();
  for (let i = 0; i < tree.parent.length; i++) {
    if (tree.depth[i]! >= depth && tree.children[i]!.length > 0) out.add(i);
  }
  return out;
}

/** Expands the ancestors of a span so its row is visible (returns a new set). */
export function revealSpan(
  tree: TraceTree,
  collapsed: ReadonlySet<number>,
  span: number,
): Set<number> {
  const out = new Set(collapsed);
  for (let p = tree.parent[span]!; p >= 0; p = tree.parent[p]!) out.delete(p);
  return out;
}
