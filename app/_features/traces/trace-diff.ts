/**
 * Structure diff of two traces, as jaeger-ui's trace comparison: spans are grouped by their call
 * path (the service and operation of every ancestor, then their own), and each path is counted
 * in A and in B. A path only in B is "added", only in A "removed", in both with other counts or
 * error counts "changed". Pure; O(spans) (paths are numbered, never built as strings).
 */
import { buildTraceTree, type SpanTiming } from './trace-tree';

export interface DiffSpan extends SpanTiming {
  service: string;
  name: string;
  status: { code: string };
}

export interface DiffSide {
  count: number;
  errors: number;
  totalUs: number;
}

export type DiffStatus = 'same' | 'changed' | 'added' | 'removed';

export interface DiffNode {
  depth: number;
  service: string;
  name: string;
  a: DiffSide;
  b: DiffSide;
  status: DiffStatus;
  /** Number of paths below this one (for collapsing). */
  descendants: number;
}

interface Node {
  parent: number;
  depth: number;
  service: string;
  name: string;
  sides: [DiffSide, DiffSide];
  children: number[];
}

const empty = (): DiffSide => ({ count: 0, errors: 0, totalUs: 0 });

/** The rows of the comparison in tree (pre-)order: A's paths in A's order, B's new ones after. */
export function diffTraces(
  a: readonly DiffSpan[],
  b: readonly DiffSpan[],
): DiffNode[] {
  const nodes: Node[] = [];
  const roots: number[] = [];
  const byKey = new Map<string, number>();
  const nodeOf = (parent: number, s: DiffSpan): number => {
    const key = `${parent}\u0001${s.service}\u0000${s.name}`;
    let id = byKey.get(key);
    if (id === undefined) {
      id = nodes.length;
      nodes.push({
        parent,
        depth: parent < 0 ? 0 : nodes[parent]!.depth + 1,
        service: s.service,
        name: s.name,
        sides: [empty(), empty()],
        children: [],
      });
      byKey.set(key, id);
      if (parent < 0) roots.push(id);
      else nodes[parent]!.children.push(id);
    }
    return id;
  };
  [a, b].forEach((spans, side) => {
    const tree = buildTraceTree(spans);
    const nodeOfSpan = new Int32Array(spans.length);
    for (let k = 0; k < tree.order.length; k++) {
      const i = tree.order[k]!;
      const p = tree.parent[i]!;
      const s = spans[i]!;
      const id = nodeOf(p < 0 ? -1 : nodeOfSpan[p]!, s);
      nodeOfSpan[i] = id;
      const d = nodes[id]!.sides[side]!;
      d.count++;
      d.totalUs += s.durationUs;
      if (s.status.code === 'Error') d.errors++;
    }
  });
  const out: DiffNode[] = [];
  const stack = [...roots].reverse();
  const position = new Int32Array(nodes.length);
  while (stack.length > 0) {
    const id = stack.pop()!;
    const n = nodes[id]!;
    const [sa, sb] = n.sides;
    position[id] = out.length;
    out.push({
      depth: n.depth,
      service: n.service,
      name: n.name,
      a: sa,
      b: sb,
      status:
        sa.count === 0
          ? 'added'
          : sb.count === 0
            ? 'removed'
            : sa.count !== sb.count || sa.errors !== sb.errors
              ? 'changed'
              : 'same',
      descendants: 0,
    });
    for (let c = n.children.length - 1; c >= 0; c--) stack.push(n.children[c]!);
  }
  // Descendant counts: walk the pre-order backwards, adding each row to its parent.
  for (let id = nodes.length - 1; id >= 0; id--) {
    const p = nodes[id]!.parent;
    if (p >= 0)
      out[position[p]!]!.descendants += out[position[id]!]!.descendants + 1;
  }
  return out;
}

/** Totals for the header: how many paths were added, removed, changed, unchanged. */
export function diffSummary(
  rows: readonly DiffNode[],
): Record<DiffStatus, number> {
  const out: Record<DiffStatus, number> = {
    same: 0,
    changed: 0,
    added: 0,
    removed: 0,
  };
  for (const r of rows) out[r.status]++;
  return out;
}
