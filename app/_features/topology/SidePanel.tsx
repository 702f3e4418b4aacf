'use client';

import dynamic from 'next/dynamic';
import type { TimeRange } from '../../_components/time-range';
import type { TopologyGraph } from './graph-types';
import type { GraphTypeKey, Selection } from './url-state';

/** Shown while a panel's code (it brings the charts library) loads on first use. */
function PanelLoading() {
  return (
    <p className="empty-inline" role="status">
      Loading the details…
    </p>
  );
}

// The panels and their charts load when first opened, not with the page: the graph does not
// wait for the charts library.
const EdgePanel = dynamic(
  () => import('./EdgePanel').then((m) => m.EdgePanel),
  { loading: PanelLoading },
);
const NodePanel = dynamic(
  () => import('./NodePanel').then((m) => m.NodePanel),
  { loading: PanelLoading },
);

export interface SidePanelProps {
  selection: NonNullable<Selection>;
  graph: TopologyGraph;
  window: { lastMs: number } | { from: number; to: number };
  range: TimeRange;
  graphType: GraphTypeKey;
  refetchMs: number | false;
  onClose: () => void;
}

/** The panel beside the graph for the selected node or edge. */
export function SidePanel({
  selection,
  graph,
  onClose,
  ...rest
}: SidePanelProps) {
  const edge =
    selection.kind === 'edge'
      ? graph.edges.find((e) => e.id === selection.id)
      : undefined;
  const node =
    selection.kind === 'node'
      ? graph.nodes.find((n) => n.id === selection.id)
      : undefined;
  const source = edge
    ? graph.nodes.find((n) => n.id === edge.source)
    : undefined;
  const target = edge
    ? graph.nodes.find((n) => n.id === edge.target)
    : undefined;
  return (
    <aside
      className="side-panel"
      aria-label={selection.kind === 'edge' ? 'Edge details' : 'Node details'}
      data-testid="side-panel"
    >
      <button
        type="button"
        className="btn btn-small close"
        onClick={onClose}
        aria-label="Close the panel"
      >
        ✕
      </button>
      {edge && source && target ? (
        <EdgePanel
          key={edge.id}
          edge={edge}
          source={source}
          target={target}
          {...rest}
        />
      ) : null}
      {node ? <NodePanel key={node.id} node={node} {...rest} /> : null}
      {!node && !(edge && source && target) ? (
        <p className="empty-inline">
          This {selection.kind} has no traffic in the selected window or
          filters. Widen the time range or clear the filters.
        </p>
      ) : null}
    </aside>
  );
}
