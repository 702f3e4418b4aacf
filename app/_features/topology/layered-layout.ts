/**
 * A layered (left-to-right) layout computed in plain code, so boxes never overlap and the same
 * graph always lands in the same place (no jumps on refresh):
 *   1. rank = longest path from the callers that nobody calls (cycles broken by DFS order);
 *   2. each namespace gets a horizontal band as tall as its busiest rank, so namespace boxes
 *      cannot overlap; nodes without a box (unknown callers, external hosts) share a band;
 *   3. inside a band and rank, nodes are ordered by their callers' mean position (fewer
 *      crossings), then by app box and id;
 *   4. ranks made only of pass-through service nodes sit at about half the distance.
 * Cheap for thousands of nodes (linear passes plus sorts); cytoscape draws it as a preset layout.
 */

export interface LayoutNode {
  id: string;
  /** Band: the namespace box id, '' for nodes outside any namespace. */
  band: string;
  /** Secondary grouping inside a band (app box), or ''. */
  group: string;
  /** A pass-through node (a service between callers and workloads): its ranks sit closer. */
  narrow?: boolean;
}

export interface LayoutEdge {
  source: string;
  target: string;
}

export interface Position {
  x: number;
  y: number;
}

export interface LayeredOptions {
  /** Distance between ranks (x). */
  rankGap?: number;
  /** Distance between nodes of a rank (y). */
  nodeGap?: number;
  /** Extra space between bands. */
  bandGap?: number;
}

/** Longest-path ranks; back edges (found by DFS from roots, then from the rest) are ignored. */
export function rankNodes(
  ids: readonly string[],
  edges: readonly LayoutEdge[],
): Map<string, number> {
  const out = new Map<string, string[]>();
  const indegree = new Map<string, number>(ids.map((id) => [id, 0]));
  for (const e of edges) {
    if (
      e.source === e.target ||
      !indegree.has(e.source) ||
      !indegree.has(e.target)
    )
      continue;
    const targets = out.get(e.source);
    if (targets) targets.push(e.target);
    else out.set(e.source, [e.target]);
    indegree.set(e.target, (indegree.get(e.target) ?? 0) + 1);
  }
  const sorted = [...ids].sort();
  const roots = sorted.filter((id) => indegree.get(id) === 0);
  // DFS to find an acyclic edge set (tree + forward + cross edges), then longest paths on it.
  const state = new Map<string, 1 | 2>();
  const order: string[] = [];
  const dag = new Map<string, string[]>();
  const visit = (start: string) => {
    const stack: { id: string; i: number }[] = [{ id: start, i: 0 }];
    state.set(start, 1);
    while (stack.length > 0) {
      const top = stack[stack.length - 1]!;
      const next = (out.get(top.id) ?? [])[top.i++];
      if (next === undefined) {
        state.set(top.id, 2);
        order.push(top.id);
        stack.pop();
        continue;
      }
      if (state.get(next) === 1) continue; // back edge: part of a cycle
      const kids = dag.get(top.id);
      if (kids) kids.push(next);
      else dag.set(top.id, [next]);
      if (!state.has(next)) {
        state.set(next, 1);
        stack.push({ id: next, i: 0 });
      }
    }
  };
  for (const r of roots) if (!state.has(r)) visit(r);
  for (const id of sorted) if (!state.has(id)) visit(id);
  const rank = new Map<string, number>(ids.map((id) => [id, 0]));
  for (let i = order.length - 1; i >= 0; i--) {
    const id = order[i]!;
    for (const t of dag.get(id) ?? [])
      rank.set(t, Math.max(rank.get(t) ?? 0, (rank.get(id) ?? 0) + 1));
  }
  return rank;
}

/** Positions of every node (see the file comment). */
export function layeredPositions(
  nodes: readonly LayoutNode[],
  edges: readonly LayoutEdge[],
  opts: LayeredOptions = {},
): Map<string, Position> {
  const rankGap = opts.rankGap ?? 190;
  const nodeGap = opts.nodeGap ?? 80;
  const bandGap = opts.bandGap ?? 70;
  const rank = rankNodes(
    nodes.map((n) => n.id),
    edges,
  );
  const byId = new Map(nodes.map((n) => [n.id, n]));
  // Bands in order of their first rank, then name; the box-less band last.
  const bandFirstRank = new Map<string, number>();
  for (const n of nodes)
    bandFirstRank.set(
      n.band,
      Math.min(bandFirstRank.get(n.band) ?? Infinity, rank.get(n.id) ?? 0),
    );
  const bands = [...bandFirstRank.keys()].sort((a, b) =>
    a === ''
      ? 1
      : b === ''
        ? -1
        : bandFirstRank.get(a)! - bandFirstRank.get(b)! || a.localeCompare(b),
  );
  const cells = new Map<string, LayoutNode[]>();
  const cellKey = (band: string, r: number) => `${band}\x1f${r}`;
  let maxRank = 0;
  for (const n of nodes) {
    const r = rank.get(n.id) ?? 0;
    maxRank = Math.max(maxRank, r);
    const k = cellKey(n.band, r);
    const cell = cells.get(k);
    if (cell) cell.push(n);
    else cells.set(k, [n]);
  }
  // Extra room where the group (app box) changes inside a column, so boxes do not touch.
  const groupGap = nodeGap * 0.45;
  const cellHeight = (cell: readonly LayoutNode[]) => {
    const groups = new Set(cell.map((n) => n.group)).size;
    return cell.length * nodeGap + Math.max(0, groups - 1) * groupGap;
  };
  const bandHeight = new Map<string, number>();
  for (const band of bands) {
    let h = nodeGap;
    for (let r = 0; r <= maxRank; r++)
      h = Math.max(h, cellHeight(cells.get(cellKey(band, r)) ?? []));
    bandHeight.set(band, h);
  }
  const callers = new Map<string, string[]>();
  for (const e of edges) {
    if (!byId.has(e.source) || !byId.has(e.target)) continue;
    const list = callers.get(e.target);
    if (list) list.push(e.source);
    else callers.set(e.target, [e.source]);
  }
  const xOf: number[] = [0];
  // a rank is narrow when it has nodes and all of them are pass-through services
  const rankNodesSeen = new Array<boolean>(maxRank + 1).fill(false);
  const rankWide = new Array<boolean>(maxRank + 1).fill(false);
  for (const n of nodes) {
    const r = rank.get(n.id) ?? 0;
    rankNodesSeen[r] = true;
    if (!n.narrow) rankWide[r] = true;
  }
  const narrowRank = (r: number) => rankNodesSeen[r]! && !rankWide[r];
  for (let r = 1; r <= maxRank; r++)
    xOf[r] =
      xOf[r - 1]! + rankGap * (narrowRank(r) || narrowRank(r - 1) ? 0.55 : 1);
  const pos = new Map<string, Position>();
  let top = 0;
  for (const band of bands) {
    const h = bandHeight.get(band) ?? nodeGap;
    for (let r = 0; r <= maxRank; r++) {
      const cell = cells.get(cellKey(band, r)) ?? [];
      const bary = (n: LayoutNode) => {
        const ys = (callers.get(n.id) ?? [])
          .map((c) => pos.get(c)?.y)
          .filter((y): y is number => y !== undefined);
        return ys.length ? ys.reduce((a, b) => a + b, 0) / ys.length : Infinity;
      };
      const sorted = cell
        .map((n) => ({ n, b: bary(n) }))
        .sort(
          (a, b) =>
            a.n.group.localeCompare(b.n.group) ||
            a.b - b.b ||
            a.n.id.localeCompare(b.n.id),
        );
      let y = top + (h - cellHeight(cell)) / 2;
      sorted.forEach(({ n }, i) => {
        if (i > 0 && sorted[i - 1]!.n.group !== n.group) y += groupGap;
        pos.set(n.id, { x: xOf[r] ?? r * rankGap, y });
        y += nodeGap;
      });
    }
    top += h + bandGap;
  }
  return pos;
}
