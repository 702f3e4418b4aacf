'use client';

import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useCallback, useEffect, useMemo, useRef } from 'react';
import { useTRPC, type RouterOutputs } from '../../_trpc/client';
import { CytoscapeGraph } from '../topology/CytoscapeGraph';
import type { GraphController } from '../topology/graph-controller';
import { prepareElements } from '../topology/prepare-elements';
import type { Selection } from '../topology/url-state';
import { postToHost, tokenOrigins, type EmbedOptions } from './embed-options';

type Graph = RouterOutputs['topology']['graph'];

/** The read-only service graph for an iframe: refreshes itself, reports node clicks to the host. */
export function EmbedTopology({ options }: { options: EmbedOptions }) {
  const trpc = useTRPC();
  const controller = useRef<GraphController | null>(null);
  const origins = useMemo(() => tokenOrigins(options.token), [options.token]);
  const graph = useQuery(
    trpc.topology.graph.queryOptions(
      {
        window: { lastMs: options.lastMs },
        graphType: options.graphType,
        filter: options.namespaces.length
          ? { namespaces: options.namespaces }
          : {},
      },
      {
        refetchInterval: options.refreshMs,
        placeholderData: keepPreviousData,
      },
    ),
  );
  const dataRef = useRef<Graph | undefined>(undefined);
  dataRef.current = graph.data;

  const onSelect = useCallback(
    (sel: Selection) => {
      if (sel?.kind !== 'node') return;
      const n = dataRef.current?.nodes.find((x) => x.id === sel.id);
      if (!n) return;
      postToHost(
        {
          type: 'meshlens:node-clicked',
          widget: 'topology',
          node: {
            id: n.id,
            kind: n.kind,
            namespace: n.namespace,
            workload: n.workload,
            service: n.service,
            app: n.app,
            version: n.version,
          },
        },
        origins,
      );
    },
    [origins],
  );

  const elements = useMemo(
    () =>
      graph.data ? prepareElements(graph.data, { edgeLabels: 'rate' }) : null,
    [graph.data],
  );
  useEffect(() => {
    if (elements) controller.current?.update(elements, 'layered');
  }, [elements]);

  const data = graph.data;
  return (
    <>
      <div className="embed-bar">
        <span>
          {data
            ? `${data.nodes.length} nodes · ${data.edges.length} edges`
            : 'Loading the graph…'}
        </span>
        <span>
          {graph.dataUpdatedAt
            ? `updated ${new Date(graph.dataUpdatedAt).toLocaleTimeString()}`
            : ''}
        </span>
      </div>
      {graph.isError ? (
        <p className="embed-note error" role="alert">
          Could not read the graph: {graph.error.message}
        </p>
      ) : null}
      {data && data.nodes.length === 0 ? (
        <p className="embed-note">
          No traffic in the last {Math.round(options.lastMs / 60_000)} minutes
          {options.namespaces.length
            ? ` in ${options.namespaces.join(', ')}`
            : ''}
          .
        </p>
      ) : null}
      <div className="embed-graph">
        <CytoscapeGraph controllerRef={controller} onSelect={onSelect} />
      </div>
    </>
  );
}
