/**
 * The span tree of a trace, built once per trace in flat arrays (100,000 spans stay cheap):
 * parent, children sorted by start, depth, pre-order and subtree sizes. Spans whose parent was
 * not received become roots and are flagged, as jaeger-ui does. Pure; indices are span indices.
 */

/** What the tree needs of a span (times in microseconds). */
export interface SpanTiming {
  spanId: string;
  parentSpanId: string;
  startUs: number;
  durationUs: number;
}

export interface TraceTree {
  /** Parent's index, -1 for a root. */
  parent: Int32Array;
  /** Children's indices, by start time then span id. */
  children: number[][];
  depth: Int32Array;
  /** Pre-order (depth first) of every span: roots by start time. */
  order: Int32Array;
  /** Position of each span in `order`. */
  position: Int32Array;
  /** Number of spans in each span's subtree, itself included. */
  subtreeSize: Int32Array;
  /** True where the span names a parent that is not in the trace. */
  missingParent: Uint8Array;
  roots: number[];
}

export function buildTraceTree(spans: readonly SpanTiming[]): TraceTree {
  const n = spans.length;
  const index = new Map<string, number>();
  spans.forEach((s, i) => {
    if (!index.has(s.spanId)) index.set(s.spanId, i);
  });
  const parent = new Int32Array(n).fill(-1);
  const missingParent = new Uint8Array(n);
  const children: number[][] = Array.from({ length: n }, () => []);
  const byStart = (a: number, b: number) =>
    spans[a]!.startUs - spans[b]!.startUs ||
    (spans[a]!.spanId < spans[b]!.spanId ? -1 : 1);
  for (let i = 0; i < n; i++) {
    const s = spans[i]!;
    if (!s.parentSpanId) continue;
    const p = index.get(s.parentSpanId);
    if (p === undefined || p === i) missingParent[i] = 1;
    else parent[i] = p;
  }
  // A cycle (bad data) would leave spans unreachable from any root: break it at the span.
  breakCycles(parent, missingParent);
  const roots: number[] = [];
  for (let i = 0; i < n; i++) {
    const p = parent[i]!;
    if (p < 0) roots.push(i);
    else children[p]!.push(i);
  }
  roots.sort(byStart);
  for (const c of children) if (c.length > 1) c.sort(byStart);

  const depth = new Int32Array(n);
  const order = new Int32Array(n);
  const position = new Int32Array(n);
  const subtreeSize = new Int32Array(n).fill(1);
  let k = 0;
  const stack: number[] = [];
  for (let r = roots.length - 1; r >= 0; r--) stack.push(roots[r]!);
  while (stack.length > 0) {
    const i = stack.pop()!;
    position[i] = k;
    order[k++] = i;
    const kids = children[i]!;
    for (let c = kids.length - 1; c >= 0; c--) {
      depth[kids[c]!] = depth[i]! + 1;
      stack.push(kids[c]!);
    }
  }
  // Subtree sizes: children come after their parent in pre-order, so walk it backwards.
  for (let j = n - 1; j >= 0; j--) {
    const i = order[j]!;
    const p = parent[i]!;
    if (p >= 0) subtreeSize[p]! += subtreeSize[i]!;
  }
  return {
    parent,
    children,
    depth,
    order,
    position,
    subtreeSize,
    missingParent,
    roots,
  };
}

/** Detaches one span per parent cycle (Mutates `parent` and `missingParent`). */
function breakCycles(parent: Int32Array, missingParent: Uint8Array): void {
  const n = parent.length;
  // 0 = unvisited, 1 = on the current walk, 2 = known to reach a root.
  const state = new Uint8Array(n);
  for (let start = 0; start < n; start++) {
    if (state[start] !== 0) continue;
    const walk: number[] = [];
    let i = start;
    while (i >= 0 && state[i] === 0) {
      state[i] = 1;
      walk.push(i);
      i = parent[i]!;
    }
    if (i >= 0 && state[i] === 1) {
      parent[i] = -1;
      missingParent[i] = 1;
    }
    for (const w of walk) state[w] = 2;
  }
}
