/**
 * Imperative control of one cytoscape instance, owned by CytoscapeGraph (which never
 * re-renders). Data arrives through `update`: the first draw adds every element in one call,
 * with layered positions already in the definitions; later updates are diffed in place (only
 * elements whose data or classes changed are touched, so cytoscape restyles only those), and
 * positions, zoom and pan survive a refresh; a layout runs only when nodes appear or
 * disappear, or when asked. Layered positions are computed in plain code from the element
 * definitions (layout-input.ts, layered-layout.ts); force uses cose.
 */
import cytoscape, {
  type ElementDefinition,
  type NodeSingular,
} from 'cytoscape';
import { graphStylesheet, readTheme } from './graph-styles';
import { installFastDirtyStyleCache } from './cytoscape-dirty-cache';
import type { Position } from './layered-layout';
import { layeredFromElements } from './layout-input';
import type { LayoutKey, Selection } from './url-state';

export interface GraphEvents {
  onSelect(sel: Selection): void;
}

export interface GraphController {
  update(elements: ElementDefinition[], layout: LayoutKey): void;
  relayout(layout: LayoutKey): void;
  fit(): void;
  zoomBy(factor: number): void;
  highlight(ids: readonly string[]): void;
  select(sel: Selection): void;
  destroy(): void;
}

/** Edge count above which edges are drawn as haystacks (no arrows; far cheaper). */
const MANY_EDGES = 1500;

function isBox(n: NodeSingular): boolean {
  return n.hasClass('box');
}

/**
 * The node to move to from `from` in direction `dir` (the closest ahead, sideways distance
 * weighted); from nowhere, the top-left node.
 */
function nearestInDirection(
  nodes: NodeSingular[],
  from: { x: number; y: number } | null,
  dir: [number, number],
): NodeSingular | null {
  let best: NodeSingular | null = null;
  let bestScore = Infinity;
  for (const n of nodes) {
    const p = n.position();
    let score: number;
    if (!from) {
      score = p.x + p.y / 10;
    } else {
      const dx = p.x - from.x;
      const dy = p.y - from.y;
      const along = dx * dir[0] + dy * dir[1];
      if (along <= 1) continue;
      score = along + 2.5 * Math.abs(dx * dir[1] + dy * dir[0]);
    }
    if (score < bestScore) {
      best = n;
      bestScore = score;
    }
  }
  return best;
}

/** Same data, same classes: nothing for cytoscape to restyle. */
function sameDefinition(a: ElementDefinition, b: ElementDefinition): boolean {
  if ((a.classes ?? '') !== (b.classes ?? '')) return false;
  const ka = Object.keys(a.data);
  if (ka.length !== Object.keys(b.data).length) return false;
  for (const k of ka) if (a.data[k] !== b.data[k]) return false;
  return true;
}

/** Positions as cytoscape's preset layout wants them. */
function positionRecord(pos: Map<string, Position>): Record<string, Position> {
  const out: Record<string, Position> = {};
  for (const [id, p] of pos) out[id] = p;
  return out;
}

export function createGraphController(
  container: HTMLElement,
  events: GraphEvents,
): GraphController {
  let manyEdges = false;
  /** The definitions cytoscape holds now, by id (refreshes restyle only what changed). */
  let current = new Map<string, ElementDefinition>();
  const cy = cytoscape({
    container,
    elements: [],
    style: graphStylesheet(readTheme(), { manyEdges }),
    minZoom: 0.05,
    maxZoom: 3,
    boxSelectionEnabled: false,
    selectionType: 'single',
  });
  installFastDirtyStyleCache(cy);
  let drawn = false;
  let focused: NodeSingular | null = null;

  const fitCapped = () => {
    cy.fit(undefined, 40);
    if (cy.zoom() > 1.4)
      cy.zoom({
        level: 1.4,
        renderedPosition: { x: cy.width() / 2, y: cy.height() / 2 },
      });
  };

  const runLayout = (layout: LayoutKey, fit: boolean) => {
    const nodes = cy.nodes().filter((n) => !isBox(n));
    if (nodes.empty()) return;
    if (layout === 'layered') {
      cy.layout({
        name: 'preset',
        positions: positionRecord(layeredFromElements([...current.values()])),
        fit,
        padding: 40,
        animate: false,
      }).run();
    } else {
      cy.layout({
        name: 'cose',
        animate: false,
        fit,
        padding: 40,
        randomize: !drawn,
        nodeDimensionsIncludeLabels: true,
        nodeRepulsion: () => 9000,
        idealEdgeLength: () => 90,
      }).run();
    }
    if (fit) fitCapped();
  };

  cy.on('tap', 'node', (evt) => {
    const n = evt.target as NodeSingular;
    if (isBox(n)) return;
    focused = n;
    events.onSelect({ kind: 'node', id: n.id() });
  });
  cy.on('tap', 'edge', (evt) =>
    events.onSelect({ kind: 'edge', id: (evt.target as NodeSingular).id() }),
  );
  cy.on('tap', (evt) => {
    if (evt.target === cy) events.onSelect(null);
  });

  const media =
    typeof window !== 'undefined'
      ? window.matchMedia('(prefers-color-scheme: dark)')
      : null;
  const restyle = () => cy.style(graphStylesheet(readTheme(), { manyEdges }));
  media?.addEventListener('change', restyle);

  /** Keyboard: arrows move between nodes, Enter opens, Escape closes, +/- zoom, 0 fits. */
  const onKey = (ev: KeyboardEvent) => {
    const nodes = cy.nodes().filter((n) => !isBox(n));
    if (nodes.empty()) return;
    const dirs: Record<string, [number, number]> = {
      ArrowRight: [1, 0],
      ArrowLeft: [-1, 0],
      ArrowDown: [0, 1],
      ArrowUp: [0, -1],
    };
    const dir = dirs[ev.key];
    if (dir) {
      ev.preventDefault();
      const from = focused && focused.inside() ? focused.position() : null;
      const best = nearestInDirection(
        nodes.toArray() as NodeSingular[],
        from,
        dir,
      );
      if (best) {
        cy.elements('.focused').removeClass('focused');
        focused = best;
        focused.addClass('focused');
        cy.animate({ center: { eles: focused } }, { duration: 120 });
      }
    } else if (ev.key === 'Enter' && focused) {
      events.onSelect({ kind: 'node', id: focused.id() });
    } else if (ev.key === 'Escape') {
      events.onSelect(null);
    } else if (ev.key === '+' || ev.key === '=') {
      api.zoomBy(1.25);
    } else if (ev.key === '-') {
      api.zoomBy(0.8);
    } else if (ev.key === '0') {
      api.fit();
    }
  };
  container.addEventListener('keydown', onKey);
  // The side panel narrows the graph area: tell cytoscape, and re-fit only if the graph no
  // longer fits (a user's zoom and pan are kept otherwise).
  const onResize = () => {
    cy.resize();
    if (!drawn || cy.elements().empty()) return;
    const bb = cy.elements().renderedBoundingBox();
    if (bb.x1 < 0 || bb.y1 < 0 || bb.x2 > cy.width() || bb.y2 > cy.height())
      fitCapped();
  };
  const resizer =
    typeof ResizeObserver !== 'undefined' ? new ResizeObserver(onResize) : null;
  resizer?.observe(container);

  const api: GraphController = {
    update(elements, layout) {
      const incoming = new Map(elements.map((e) => [String(e.data.id), e]));
      const many =
        elements.filter((e) => e.group === 'edges').length > MANY_EDGES;
      if (many !== manyEdges) {
        manyEdges = many;
        restyle();
      }
      const started = performance.now();
      if (!drawn) {
        // First draw: positions go into the definitions and everything is added at once.
        cy.elements().remove();
        current = incoming;
        const pos =
          layout === 'layered' ? layeredFromElements(elements) : undefined;
        cy.add(
          pos
            ? elements.map((e) => {
                const p = pos.get(String(e.data.id));
                return p ? { ...e, position: { ...p } } : e;
              })
            : [...elements],
        );
        if (pos) {
          if (cy.nodes().nonempty()) fitCapped();
        } else runLayout(layout, true);
      } else {
        let changed = false;
        const added: ElementDefinition[] = [];
        cy.batch(() => {
          cy.edges().forEach((e) => {
            if (!incoming.has(e.id())) e.remove();
          });
          cy.nodes().forEach((n) => {
            if (n.inside() && !incoming.has(n.id())) {
              n.children().move({ parent: null });
              n.remove();
              changed = true;
            }
          });
          for (const def of elements) {
            const id = String(def.data.id);
            const before = current.get(id);
            const existing = before ? cy.getElementById(id) : cy.collection();
            if (existing.empty()) {
              added.push(def);
              if (def.group === 'nodes') changed = true;
              continue;
            }
            if (sameDefinition(before!, def)) continue;
            existing.data(def.data);
            existing.classes(def.classes ?? '');
            if (
              existing.isNode() &&
              (def.data.parent ?? null) !==
                (existing.parent().first().id() || null)
            ) {
              existing.move({
                parent: (def.data.parent as string | undefined) ?? null,
              });
            }
          }
          // one add for everything new (boxes come first in `elements`)
          if (added.length > 0) cy.add(added);
        });
        current = incoming;
        if (changed) runLayout(layout, false);
      }
      // in the browser's performance timeline, to tell drawing from fetching and painting
      if (!drawn && cy.nodes().nonempty())
        performance.measure('topology: first draw', { start: started });
      drawn = drawn || cy.nodes().nonempty();
      // laid out and ready for input: tests and `npm run bench:ui` wait for this mark
      container.dataset.drawnNodes = String(cy.nodes().length);
    },
    relayout(layout) {
      runLayout(layout, true);
    },
    fit() {
      cy.fit(undefined, 40);
    },
    zoomBy(factor) {
      cy.zoom({
        level: cy.zoom() * factor,
        renderedPosition: { x: cy.width() / 2, y: cy.height() / 2 },
      });
    },
    highlight(ids) {
      cy.batch(() => {
        cy.elements().removeClass('faded highlighted');
        if (ids.length === 0) return;
        let hit = cy.collection();
        for (const id of ids) hit = hit.union(cy.getElementById(id));
        const keep = hit
          .closedNeighborhood()
          .union(hit.closedNeighborhood().ancestors());
        cy.elements().difference(keep).addClass('faded');
        hit.addClass('highlighted');
      });
    },
    select(sel) {
      cy.elements(':selected').unselect();
      if (sel) cy.getElementById(sel.id).select();
    },
    destroy() {
      container.removeEventListener('keydown', onKey);
      resizer?.disconnect();
      media?.removeEventListener('change', restyle);
      cy.destroy();
    },
  };
  return api;
}
