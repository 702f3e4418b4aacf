'use client';

import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useCallback, useEffect, useMemo, useRef } from 'react';
import { ErrorNotice } from '../../_components/ErrorNotice';
import { PageHeader } from '../../_components/PageHeader';
import { windowInput } from '../../_components/time-range';
import { useTRPC } from '../../_trpc/client';
import { CytoscapeGraph } from './CytoscapeGraph';
import type { GraphController } from './graph-controller';
import { GraphEmpty } from './GraphEmpty';
import { GraphLegend } from './GraphLegend';
import { graphQueryInput } from './graph-query';
import { matchingNodes, prepareElements } from './prepare-elements';
import { SidePanel } from './SidePanel';
import { TopologyToolbar } from './TopologyToolbar';
import { REFRESH, type Selection } from './url-state';
import { useTopologyUrl } from './use-topology-url';
import './topology.css';

/** The topology page: toolbar, the graph (one cytoscape instance for the page's life), side panel. */
export function TopologyView() {
  const [state, update] = useTopologyUrl();
  const trpc = useTRPC();
  const controller = useRef<GraphController | null>(null);
  const queryWindow = useMemo(() => windowInput(state.range), [state.range]);
  const refetchMs =
    state.range.kind === 'preset'
      ? REFRESH.find((r) => r.key === state.refresh)?.ms || false
      : false;

  const graph = useQuery(
    trpc.topology.graph.queryOptions(graphQueryInput(state, queryWindow), {
      refetchInterval: refetchMs,
      placeholderData: keepPreviousData,
    }),
  );
  const inventory = useQuery(
    trpc.topology.inventory.queryOptions(
      { window: queryWindow },
      { refetchInterval: 60_000, placeholderData: keepPreviousData },
    ),
  );

  const updateRef = useRef(update);
  updateRef.current = update;
  const onSelect = useCallback(
    (sel: Selection) => updateRef.current({ selected: sel }),
    [],
  );

  const elements = useMemo(
    () =>
      graph.data
        ? prepareElements(graph.data, {
            edgeLabels: state.edgeLabels,
            edgeColor: state.edgeColor,
          })
        : null,
    [graph.data, state.edgeLabels, state.edgeColor],
  );
  const layoutRef = useRef(state.layout);
  layoutRef.current = state.layout;
  useEffect(() => {
    if (elements) controller.current?.update(elements, layoutRef.current);
  }, [elements]);
  const firstLayout = useRef(true);
  useEffect(() => {
    if (firstLayout.current) {
      firstLayout.current = false;
      return;
    }
    controller.current?.relayout(state.layout);
  }, [state.layout]);
  const matches = useMemo(
    () => (graph.data ? matchingNodes(graph.data, state.search) : []),
    [graph.data, state.search],
  );
  useEffect(() => controller.current?.highlight(matches), [matches]);
  useEffect(
    () => controller.current?.select(state.selected),
    [state.selected, elements],
  );

  const data = graph.data;
  const empty = data !== undefined && data.nodes.length === 0;
  const updated = graph.dataUpdatedAt
    ? new Date(graph.dataUpdatedAt).toLocaleTimeString()
    : null;
  return (
    <div className="topology-page">
      <PageHeader
        title="Topology"
        description={
          data
            ? `${data.nodes.length} nodes, ${data.edges.length} edges${updated ? ` · updated ${updated}` : ''}${graph.isFetching ? ' · refreshing…' : ''}`
            : 'The service graph of your mesh, each request counted once.'
        }
        actions={
          <GraphLegend edgeColor={state.edgeColor} health={state.health} />
        }
      />
      <TopologyToolbar
        state={state}
        namespaces={inventory.data?.namespaces ?? []}
        clusters={inventory.data?.clusters ?? []}
        onChange={update}
        onFit={() => controller.current?.fit()}
        onZoom={(f) => controller.current?.zoomBy(f)}
        onRelayout={() => controller.current?.relayout(state.layout)}
        matches={state.search ? matches.length : null}
      />
      {graph.isError ? (
        <ErrorNotice
          title={
            data
              ? 'Refreshing the graph failed; showing the last one'
              : 'Could not read the topology'
          }
          message={graph.error.message}
        >
          <p>
            Meshlens retries on the next refresh. If the message says the tables
            are missing, run <code>npm run db:migrate</code>.
          </p>
        </ErrorNotice>
      ) : null}
      <div
        className={
          state.selected ? 'topology-main with-panel' : 'topology-main'
        }
      >
        <div className="graph-area">
          <CytoscapeGraph controllerRef={controller} onSelect={onSelect} />
          {data === undefined && !graph.isError ? (
            <div className="graph-overlay" role="status">
              Loading the graph…
            </div>
          ) : null}
          {empty ? (
            <GraphEmpty
              filtered={
                state.namespaces.length > 0 ||
                state.protocols.length > 0 ||
                state.cluster !== ''
              }
            />
          ) : null}
        </div>
        {state.selected && data ? (
          <SidePanel
            selection={state.selected}
            graph={data}
            window={queryWindow}
            range={state.range}
            graphType={state.graphType}
            refetchMs={refetchMs}
            onClose={() => update({ selected: null })}
          />
        ) : null}
      </div>
    </div>
  );
}
