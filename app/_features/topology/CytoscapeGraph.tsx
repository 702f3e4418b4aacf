'use client';

import { memo, useEffect, useRef, type RefObject } from 'react';
import {
  createGraphController,
  type GraphController,
} from './graph-controller';
import type { Selection } from './url-state';

export interface CytoscapeGraphProps {
  /** Filled once the graph exists; the page drives it through this handle. */
  controllerRef: RefObject<GraphController | null>;
  /** Must be stable: the component never re-renders to pick up a new one. */
  onSelect: (sel: Selection) => void;
}

/**
 * The one long-lived cytoscape instance. React renders this container once and never again
 * (memo with an always-equal comparison): data, layout and selection reach cytoscape through
 * the controller, so a refresh never rebuilds the graph or moves the viewport.
 */
function CytoscapeGraphOnce({ controllerRef, onSelect }: CytoscapeGraphProps) {
  const container = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!container.current) return;
    const controller = createGraphController(container.current, { onSelect });
    controllerRef.current = controller;
    return () => {
      controllerRef.current = null;
      controller.destroy();
    };
    // Created once on purpose (see above): no dependencies.
  }, []);
  return (
    <div
      ref={container}
      className="cy-canvas"
      tabIndex={0}
      role="application"
      aria-label="Service graph. Arrow keys move between nodes, Enter opens one, Escape closes, plus and minus zoom, 0 fits."
      data-testid="topology-graph"
    />
  );
}

export const CytoscapeGraph = memo(CytoscapeGraphOnce, () => true);
