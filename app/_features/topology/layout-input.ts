/**
 * The layered layout's input read straight from the element definitions (prepare-elements.ts),
 * not from cytoscape: bands are namespace boxes (or the top box when a node has no namespace
 * box), groups are app boxes. Plain maps, so 2,000 nodes cost milliseconds, and the positions
 * can go into the definitions before cytoscape ever sees them.
 */
import type { ElementDefinition } from 'cytoscape';
import {
  layeredPositions,
  type LayoutEdge,
  type LayoutNode,
  type Position,
} from './layered-layout';

/** Nodes and edges for layeredPositions from prepareElements' output. */
export function layeredInput(elements: readonly ElementDefinition[]): {
  nodes: LayoutNode[];
  edges: LayoutEdge[];
} {
  const boxes = new Map<string, { kind: string; parent: string | null }>();
  for (const e of elements)
    if (e.group === 'nodes' && e.data.box)
      boxes.set(String(e.data.id), {
        kind: String(e.data.box),
        parent: (e.data.parent as string | undefined) ?? null,
      });
  const nodes: LayoutNode[] = [];
  const edges: LayoutEdge[] = [];
  for (const e of elements) {
    if (e.group === 'edges') {
      edges.push({
        source: String(e.data.source),
        target: String(e.data.target),
      });
      continue;
    }
    if (e.data.box) continue;
    const parent = (e.data.parent as string | undefined) ?? null;
    // bands are namespaces (inside a cluster box when the graph spans clusters)
    let band = '';
    let top = '';
    for (let p = parent, d = 0; p !== null && d < 8; d++) {
      const box = boxes.get(p);
      if (!box) break;
      if (box.kind === 'namespace' && band === '') band = p;
      top = p;
      p = box.parent;
    }
    nodes.push({
      id: String(e.data.id),
      band: band || top,
      group: parent !== null && boxes.get(parent)?.kind === 'app' ? parent : '',
      narrow: e.data.kind === 'service',
    });
  }
  return { nodes, edges };
}

/** Layered positions for the non-box nodes among `elements`. */
export function layeredFromElements(
  elements: readonly ElementDefinition[],
): Map<string, Position> {
  const { nodes, edges } = layeredInput(elements);
  return layeredPositions(nodes, edges);
}
