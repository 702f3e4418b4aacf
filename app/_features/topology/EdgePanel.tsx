'use client';

import { keepPreviousData, useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import type { TimeRange } from '../../_components/time-range';
import { ErrorNotice } from '../../_components/ErrorNotice';
import { Skeleton } from '../../_components/Skeleton';
import { useTRPC } from '../../_trpc/client';
import { formatPercent, formatRate } from '../charts/format';
import { TrafficDetailView } from '../charts/TrafficDetailView';
import type { TopologyEdge, TopologyNode } from './graph-types';
import { viewLinks } from './panel-links';
import { signalLabel, toNodeRef } from './panel-helpers';
import { TopPaths } from './TopPaths';
import type { GraphTypeKey } from './url-state';

export interface EdgePanelProps {
  edge: TopologyEdge;
  source: TopologyNode;
  target: TopologyNode;
  window: { lastMs: number } | { from: number; to: number };
  range: TimeRange;
  graphType: GraphTypeKey;
  refetchMs: number | false;
}

/** One edge: its figures at once (from the graph), then series, codes, flags and peers. */
export function EdgePanel({
  edge,
  source,
  target,
  window,
  range,
  graphType,
  refetchMs,
}: EdgePanelProps) {
  const trpc = useTRPC();
  const detail = useQuery(
    trpc.topology.edge.queryOptions(
      {
        window,
        graphType,
        source: toNodeRef(source),
        target: toNodeRef(target),
        protocol: edge.protocol as 'http' | 'grpc' | 'tcp',
      },
      {
        refetchInterval: refetchMs,
        placeholderData: keepPreviousData,
        enabled: !edge.inferred,
      },
    ),
  );
  const tcp = edge.protocol === 'tcp';
  const links = viewLinks(target, range, Date.now(), source);
  return (
    <>
      <header className="panel-title">
        <p className="eyebrow">
          Edge ·{' '}
          {edge.protocol === 'grpc' ? 'gRPC' : edge.protocol.toUpperCase()}
        </p>
        <h2 className="edge-title">
          {source.label} → {target.label}
        </h2>
        <p className="badges">
          <span
            className="badge badge-info"
            title="Per edge and minute one signal is used: metrics, then access logs, then traces"
          >
            from{' '}
            {edge.signals.length > 0
              ? edge.signals.map(signalLabel).join(' + ')
              : signalLabel(edge.signal)}
          </span>
          {edge.trafficShare !== null ? (
            <span className="badge">
              {formatPercent(edge.trafficShare)} of the caller&apos;s traffic to
              this service
            </span>
          ) : null}
          {edge.sampledSpans > 0 ? (
            <span
              className="badge"
              title="Rates from spans are scaled by the sampling probability when known"
            >
              sampled traces
            </span>
          ) : null}
        </p>
        {detail.data ? null : (
          <p className="headline">
            {tcp
              ? `${formatRate(edge.connectionsPerSecond)} connections/s`
              : `${formatRate(edge.requestsPerSecond)} requests/s`}
            {tcp ? null : (
              <span className="muted">
                {' '}
                · {formatPercent(edge.errorRatio)} errors
              </span>
            )}
          </p>
        )}
      </header>
      {edge.inferred ? (
        <p className="notice notice-warn">
          Inferred link, without figures: the signals in this window (traces,
          access logs) name the service a caller reached, not the workload that
          served it. {target.label} is a workload of {source.label} in this
          namespace. Istio metrics give the split by workload.
        </p>
      ) : null}
      {detail.isError && !detail.data ? (
        <ErrorNotice
          title="Could not read this edge's traffic"
          message={detail.error.message}
        />
      ) : null}
      {detail.data === undefined && !detail.isError && !edge.inferred ? (
        <Skeleton lines={6} label="Loading the edge's traffic" />
      ) : null}
      {detail.data ? (
        <TrafficDetailView
          detail={detail.data}
          tcp={tcp}
          peers={{
            destinations: graphType === 'service' ? 'Served by' : undefined,
          }}
        >
          <p className="view-links">
            <Link href={links.traces}>Traces of this edge</Link>
            <Link href={links.logs}>Access logs of this edge</Link>
          </p>
        </TrafficDetailView>
      ) : null}
      {detail.data && !tcp ? (
        <TopPaths
          input={{
            window,
            graphType,
            edge: {
              source: toNodeRef(source),
              target: toNodeRef(target),
              protocol: edge.protocol as 'http' | 'grpc',
            },
          }}
          refetchMs={refetchMs}
        />
      ) : null}
    </>
  );
}
