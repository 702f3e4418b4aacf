'use client';

import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useMemo } from 'react';
import { ErrorNotice } from '../../_components/ErrorNotice';
import { PageHeader } from '../../_components/PageHeader';
import { Skeleton } from '../../_components/Skeleton';
import { WindowFilters } from '../../_components/WindowFilters';
import { timeRangeParams, windowInput } from '../../_components/time-range';
import { useUrlState } from '../../_components/use-url-state';
import { useTRPC } from '../../_trpc/client';
import { ServicesEmpty } from './ServicesEmpty';
import { ServicesTable } from './ServicesTable';
import {
  filterServices,
  parseServicesState,
  servicesParams,
  sortServices,
  type SortKey,
} from './prepare-services';
import './services.css';

/** Every service with RED figures; sortable, filterable, the state in the URL. */
export function ServicesView() {
  const [state, update] = useUrlState(parseServicesState, servicesParams);
  const trpc = useTRPC();
  const queryWindow = useMemo(() => windowInput(state.range), [state.range]);
  const list = useQuery(
    trpc.services.list.queryOptions(
      { window: queryWindow, filter: { namespaces: state.namespaces } },
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
  const rows = useMemo(
    () =>
      list.data
        ? sortServices(
            filterServices(list.data.services, state.search),
            state.sort,
            state.dir,
          )
        : [],
    [list.data, state.search, state.sort, state.dir],
  );
  const onSort = (key: SortKey) =>
    update({
      sort: key,
      dir:
        state.sort === key
          ? state.dir === 'asc'
            ? 'desc'
            : 'asc'
          : key === 'service' || key === 'namespace'
            ? 'asc'
            : 'desc',
    });
  const linkQuery = new URLSearchParams(
    Object.entries(timeRangeParams(state.range)).filter(
      (e): e is [string, string] => e[1] !== null,
    ),
  ).toString();
  return (
    <div className="services-page">
      <PageHeader
        title="Services"
        description="Rate, errors and duration of every service, each request counted once."
      />
      <div className="toolbar" role="toolbar" aria-label="Service filters">
        <WindowFilters
          range={state.range}
          namespaces={state.namespaces}
          available={inventory.data?.namespaces ?? []}
          onChange={update}
        />
        <label className="field">
          <span>Find</span>
          <input
            type="search"
            placeholder="Service or namespace…"
            defaultValue={state.search}
            onChange={(e) => update({ search: e.target.value })}
          />
        </label>
      </div>
      {list.isError ? (
        <ErrorNotice
          title={
            list.data
              ? 'Refreshing failed; showing the last list'
              : 'Could not read the services'
          }
          message={list.error.message}
        >
          <p>
            Meshlens retries every 30 s. If the tables are missing, run{' '}
            <code>npm run db:migrate</code>.
          </p>
        </ErrorNotice>
      ) : null}
      {list.data === undefined && !list.isError ? (
        <Skeleton lines={8} label="Loading the services" />
      ) : null}
      {list.data && list.data.services.length === 0 ? (
        <ServicesEmpty filtered={state.namespaces.length > 0} />
      ) : null}
      {list.data && list.data.services.length > 0 ? (
        <div className="panel table-panel">
          <ServicesTable
            services={rows}
            sort={state.sort}
            dir={state.dir}
            onSort={onSort}
            linkQuery={linkQuery}
          />
          {rows.length === 0 ? (
            <p className="empty-inline">No service matches “{state.search}”.</p>
          ) : null}
        </div>
      ) : null}
    </div>
  );
}
