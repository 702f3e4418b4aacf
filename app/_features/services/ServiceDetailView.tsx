'use client';

import { keepPreviousData, useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { useMemo } from 'react';
import { ErrorNotice } from '../../_components/ErrorNotice';
import { PageHeader } from '../../_components/PageHeader';
import { Panel } from '../../_components/Panel';
import { Skeleton } from '../../_components/Skeleton';
import { TimeRangePicker } from '../../_components/TimeRangePicker';
import {
  parseTimeRange,
  timeRangeParams,
  windowInput,
  type TimeRange,
} from '../../_components/time-range';
import { useUrlState } from '../../_components/use-url-state';
import { useTRPC } from '../../_trpc/client';
import { TrafficDetailView } from '../charts/TrafficDetailView';
import { viewLinks } from '../topology/panel-links';
import { TopPaths } from '../topology/TopPaths';
import { VersionTable } from './VersionTable';
import './services.css';

const parse = (p: { get(name: string): string | null }) => ({
  range: parseTimeRange(p),
});
const toParams = (patch: Partial<{ range: TimeRange }>) =>
  patch.range ? timeRangeParams(patch.range) : {};

/**
 * One service: inbound traffic by caller, version, code, flag and path, latency histogram and
 * heatmap; outbound by callee.
 */
export function ServiceDetailView({
  namespace,
  service,
}: {
  namespace: string;
  service: string;
}) {
  const [state, update] = useUrlState(parse, toParams);
  const trpc = useTRPC();
  const queryWindow = useMemo(() => windowInput(state.range), [state.range]);
  const detail = useQuery(
    trpc.services.byName.queryOptions(
      { window: queryWindow, namespace, service },
      {
        refetchInterval: state.range.kind === 'preset' ? 30_000 : false,
        placeholderData: keepPreviousData,
      },
    ),
  );
  const links = viewLinks({ namespace, service, workload: '' }, state.range);
  const topology = `/topology?${new URLSearchParams({ ns: namespace, q: service }).toString()}`;
  const data = detail.data;
  const inboundTcp = data
    ? data.inbound.totals.requests === 0 &&
      data.inbound.totals.connectionsPerSecond > 0
    : false;
  const outboundTcp = data
    ? data.outbound.totals.requests === 0 &&
      data.outbound.totals.connectionsPerSecond > 0
    : false;
  return (
    <div className="service-page">
      <p className="breadcrumb">
        <Link href="/services">Services</Link> / {namespace}
      </p>
      <PageHeader
        title={service}
        description={
          <span className="view-links">
            <Link href={topology}>Show in topology</Link>
            <Link href={links.traces}>Traces</Link>
            <Link href={links.logs}>Access logs</Link>
          </span>
        }
      />
      <div className="toolbar" role="toolbar" aria-label="Time range">
        <TimeRangePicker
          value={state.range}
          onChange={(range) => update({ range })}
        />
      </div>
      {detail.isError ? (
        <ErrorNotice
          title="Could not read this service"
          message={detail.error.message}
        />
      ) : null}
      {data === undefined && !detail.isError ? (
        <Skeleton lines={8} label="Loading the service" />
      ) : null}
      {data &&
      data.inbound.totals.requests === 0 &&
      data.inbound.totals.connectionsPerSecond === 0 &&
      data.outbound.totals.requests === 0 ? (
        <p className="empty-inline">
          No traffic to or from this service in this window. Widen the time
          range.
        </p>
      ) : null}
      {data ? (
        <div className="service-grid">
          <Panel title="Inbound">
            <VersionTable versions={data.versions} />
            <TrafficDetailView
              detail={data.inbound}
              tcp={inboundTcp}
              histogram
              peers={{ sources: 'Callers', destinations: 'Served by' }}
            />
            {inboundTcp ? null : (
              <TopPaths
                input={{
                  window: queryWindow,
                  graphType: 'service',
                  node: {
                    kind: 'service',
                    namespace,
                    service,
                    workload: '',
                    app: '',
                    version: '',
                  },
                  direction: 'inbound',
                }}
                refetchMs={state.range.kind === 'preset' ? 30_000 : false}
              />
            )}
          </Panel>
          <Panel title="Outbound">
            <TrafficDetailView
              detail={data.outbound}
              tcp={outboundTcp}
              peers={{ destinations: 'Callees' }}
            />
          </Panel>
        </div>
      ) : null}
    </div>
  );
}
