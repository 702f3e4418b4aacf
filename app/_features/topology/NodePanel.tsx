'use client';

import { keepPreviousData, useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { useState } from 'react';
import type { TimeRange } from '../../_components/time-range';
import { ErrorNotice } from '../../_components/ErrorNotice';
import { Skeleton } from '../../_components/Skeleton';
import { useTRPC } from '../../_trpc/client';
import { TrafficDetailView } from '../charts/TrafficDetailView';
import type { TopologyNode } from './graph-types';
import { viewLinks } from './panel-links';
import { kindLabel, toNodeRef } from './panel-helpers';
import { TopPaths } from './TopPaths';
import type { GraphTypeKey } from './url-state';

export interface NodePanelProps {
  node: TopologyNode;
  window: { lastMs: number } | { from: number; to: number };
  range: TimeRange;
  graphType: GraphTypeKey;
  refetchMs: number | false;
}

/** One node: inbound and outbound traffic, with callers and callees. */
export function NodePanel({
  node,
  window,
  range,
  graphType,
  refetchMs,
}: NodePanelProps) {
  const trpc = useTRPC();
  const [side, setSide] = useState<'inbound' | 'outbound'>(
    node.kind === 'unknown' ? 'outbound' : 'inbound',
  );
  const detail = useQuery(
    trpc.topology.node.queryOptions(
      { window, graphType, node: toNodeRef(node) },
      { refetchInterval: refetchMs, placeholderData: keepPreviousData },
    ),
  );
  const data = detail.data?.[side] ?? null;
  const links = viewLinks(node, range);
  const where = [node.namespace, node.cluster].filter(Boolean).join(' · ');
  return (
    <>
      <header className="panel-title">
        <p className="eyebrow">{kindLabel(node)}</p>
        <h2>{node.label}</h2>
        {where ? <p className="muted small">{where}</p> : null}
        {/* a service page needs a namespace: hosts outside the mesh have none */}
        {(node.kind === 'service' || node.kind === 'app') && node.namespace ? (
          <p className="view-links">
            <Link
              href={`/services/${encodeURIComponent(node.namespace)}/${encodeURIComponent(node.service || node.app)}`}
            >
              Service page
            </Link>
          </p>
        ) : null}
      </header>
      <div className="segmented" role="tablist" aria-label="Direction">
        {(['inbound', 'outbound'] as const).map((s) => (
          <button
            key={s}
            type="button"
            role="tab"
            aria-selected={side === s}
            className={side === s ? 'active' : ''}
            onClick={() => setSide(s)}
          >
            {s === 'inbound' ? 'Inbound' : 'Outbound'}
          </button>
        ))}
      </div>
      {detail.isError && !detail.data ? (
        <ErrorNotice
          title="Could not read this node's traffic"
          message={detail.error.message}
        />
      ) : null}
      {detail.data === undefined && !detail.isError ? (
        <Skeleton lines={6} label="Loading the node's traffic" />
      ) : null}
      {detail.data && !data ? (
        <p className="empty-inline">
          {side === 'inbound'
            ? 'Nothing calls this node.'
            : 'This node calls nothing.'}
        </p>
      ) : null}
      {data ? (
        <TrafficDetailView
          detail={data}
          tcp={
            data.totals.requests === 0 && data.totals.connectionsPerSecond > 0
          }
          peers={
            side === 'outbound'
              ? { destinations: 'Top callees' }
              : node.kind === 'service' && graphType !== 'service'
                ? { sources: 'Top callers', destinations: 'Served by' }
                : { sources: 'Top callers' }
          }
        >
          <p className="view-links">
            <Link href={links.traces}>Traces</Link>
            <Link href={links.logs}>Access logs</Link>
          </p>
        </TrafficDetailView>
      ) : null}
      {data && data.totals.requests > 0 ? (
        <TopPaths
          input={{ window, graphType, node: toNodeRef(node), direction: side }}
          refetchMs={refetchMs}
        />
      ) : null}
    </>
  );
}
