'use client';

import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useMemo } from 'react';
import { ErrorNotice } from '../../_components/ErrorNotice';
import { PageHeader } from '../../_components/PageHeader';
import { Panel } from '../../_components/Panel';
import { Skeleton } from '../../_components/Skeleton';
import { WindowFilters } from '../../_components/WindowFilters';
import { timeRangeParams, windowInput } from '../../_components/time-range';
import { useUrlState } from '../../_components/use-url-state';
import { useTRPC } from '../../_trpc/client';
import { CoverageSummary } from './CoverageSummary';
import { CoverageTable } from './CoverageTable';
import {
  IdentityTables,
  MixedWorkloads,
  SidecarlessSources,
} from './ListsPanels';
import { MtlsEmpty } from './MtlsEmpty';
import type { MtlsCoverageData } from './mtls-types';
import { PlaintextEdges } from './PlaintextEdges';
import {
  mtlsParams,
  parseMtlsState,
  peerName,
  serviceName,
} from './prepare-mtls';
import { TrendChart } from './TrendChart';
import './mtls.css';

/** "Is my mesh encrypted?": shares, trend and the lists that matter; state in the URL. */
export function MtlsView() {
  const [state, update] = useUrlState(parseMtlsState, mtlsParams);
  const trpc = useTRPC();
  const queryWindow = useMemo(() => windowInput(state.range), [state.range]);
  const coverage = useQuery(
    trpc.mtls.coverage.queryOptions(
      { window: queryWindow, namespaces: state.namespaces },
      {
        refetchInterval: state.range.kind === 'preset' ? 30_000 : false,
        placeholderData: keepPreviousData,
      },
    ),
  );
  const inventory = useQuery(
    trpc.topology.inventory.queryOptions(
      { window: queryWindow },
      { placeholderData: keepPreviousData },
    ),
  );
  const topologyQuery = new URLSearchParams(
    Object.entries(timeRangeParams(state.range)).filter(
      (e): e is [string, string] => e[1] !== null,
    ),
  ).toString();
  const data = coverage.data;
  return (
    <div className="mtls-page">
      <PageHeader
        title="mTLS"
        description="Which traffic is mutual TLS, which is plaintext, and which no destination reported (unknown, never counted as either)."
      />
      <div className="toolbar" role="toolbar" aria-label="mTLS filters">
        <WindowFilters
          range={state.range}
          namespaces={state.namespaces}
          available={inventory.data?.namespaces ?? []}
          onChange={update}
        />
      </div>
      {coverage.isError ? (
        <ErrorNotice
          title={
            data
              ? 'Refreshing failed; showing the last figures'
              : 'Could not read mTLS coverage'
          }
          message={coverage.error.message}
        >
          <p>
            Meshlens retries every 30 s. If the tables are missing, run{' '}
            <code>npm run db:migrate</code>.
          </p>
        </ErrorNotice>
      ) : null}
      {data === undefined && !coverage.isError ? (
        <Skeleton lines={10} label="Loading mTLS coverage" />
      ) : null}
      {data && data.edges.length === 0 ? (
        <MtlsEmpty filtered={state.namespaces.length > 0} />
      ) : null}
      {data && data.edges.length > 0 ? (
        <Coverage data={data} topologyQuery={topologyQuery} />
      ) : null}
    </div>
  );
}

function Coverage({
  data,
  topologyQuery,
}: {
  data: MtlsCoverageData;
  topologyQuery: string;
}) {
  return (
    <>
      <Panel title="Mesh" id="mtls-mesh">
        <CoverageSummary mesh={data.mesh} />
        <TrendChart points={data.trend} />
      </Panel>
      <Panel title="Plaintext edges" id="mtls-plaintext">
        <PlaintextEdges
          edges={data.plaintextEdges}
          topologyQuery={topologyQuery}
        />
      </Panel>
      <div className="mtls-columns">
        <Panel
          title="Workloads receiving both mTLS and plaintext"
          id="mtls-mixed"
        >
          <MixedWorkloads workloads={data.mixedWorkloads} />
        </Panel>
        <Panel title="Sources without a sidecar" id="mtls-sidecarless">
          <SidecarlessSources edges={data.sidecarlessSources} />
        </Panel>
      </div>
      <Panel title="By namespace (traffic into it)" id="mtls-namespaces">
        <CoverageTable
          label="Coverage by namespace"
          nameHeader="Namespace"
          rows={data.namespaces.map((n) => ({
            ...n,
            key: n.namespace,
            name: n.namespace || 'unknown (external hosts)',
          }))}
        />
      </Panel>
      {data.clusters.length > 1 ? (
        <Panel title="By cluster (traffic into it)" id="mtls-clusters">
          <CoverageTable
            label="Coverage by cluster"
            nameHeader="Cluster"
            rows={data.clusters.map((c) => ({
              ...c,
              key: c.cluster,
              name: c.cluster || 'unknown',
            }))}
          />
        </Panel>
      ) : null}
      <Panel title="By service" id="mtls-services">
        <CoverageTable
          label="Coverage by service"
          nameHeader="Service"
          rows={data.services.map((s) => ({
            ...s,
            key: `${s.namespace}/${s.service}`,
            name: serviceName(s),
          }))}
        />
      </Panel>
      <Panel title="By edge" id="mtls-edges">
        <CoverageTable
          label="Coverage by edge"
          nameHeader="Edge"
          rows={data.edges.map((e) => ({
            ...e,
            key: e.id,
            name: `${peerName(e.source)} → ${serviceName(e.destination)} (${e.protocol})`,
          }))}
        />
      </Panel>
      <Panel title="SPIFFE identities" id="mtls-identities">
        <IdentityTables identities={data.identities} />
      </Panel>
    </>
  );
}
