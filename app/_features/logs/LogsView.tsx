'use client';

import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { ErrorNotice } from '../../_components/ErrorNotice';
import { PageHeader } from '../../_components/PageHeader';
import { Skeleton } from '../../_components/Skeleton';
import { windowInput } from '../../_components/time-range';
import { useUrlState } from '../../_components/use-url-state';
import { useTRPC } from '../../_trpc/client';
import { ViewEmptyState } from '../empty-views/ViewEmptyState';
import { FlagLegend } from './FlagLegend';
import { LogDetail } from './LogDetail';
import { LogsFilterBar } from './LogsFilterBar';
import { LogsTable } from './LogsTable';
import {
  PAGE_SIZE,
  hasFilters,
  logsParams,
  parseLogsState,
  searchFilter,
} from './logs-state';
import { legendFlags } from './prepare-logs';
import './logs.css';

/** The access-log explorer: filters in the URL, one line per sidecar report, newest first. */
export function LogsView() {
  const [state, update] = useUrlState(parseLogsState, logsParams);
  const trpc = useTRPC();
  const [selected, setSelected] = useState<number | null>(null);
  const queryWindow = useMemo(() => windowInput(state.range), [state.range]);
  const search = useQuery(
    trpc.requests.search.queryOptions(
      {
        window: queryWindow,
        filter: searchFilter(state),
        limit: PAGE_SIZE,
        offset: state.offset,
      },
      { placeholderData: keepPreviousData },
    ),
  );
  const data = search.data;
  const legend = useMemo(() => legendFlags(data?.requests ?? []), [data]);
  const formKey = JSON.stringify({ ...state, range: null, offset: null });
  const go = (patch: Parameters<typeof update>[0]) => {
    setSelected(null);
    update(patch);
  };
  const line = selected === null ? undefined : data?.requests[selected];
  const empty = data !== undefined && data.requests.length === 0;
  return (
    <div className="logs-page">
      <PageHeader
        title="Logs"
        description="Envoy access logs, one line per sidecar report of a request. Click a line for all its fields."
      />
      <LogsFilterBar key={formKey} state={state} onSearch={go} />
      {search.isError ? (
        <ErrorNotice
          title="Could not read the access logs"
          message={search.error.message}
        >
          <p>
            Check the filters (a trace id is 16 or 32 hex digits, a flag is a
            short Envoy flag such as UF). If the tables are missing, run{' '}
            <code>npm run db:migrate</code>.
          </p>
        </ErrorNotice>
      ) : null}
      {data === undefined && !search.isError ? (
        <Skeleton lines={8} label="Reading access logs" />
      ) : null}
      {empty && !hasFilters(state) && state.offset === 0 ? (
        <ViewEmptyState view="logs" header={false} />
      ) : null}
      {empty && (hasFilters(state) || state.offset > 0) ? (
        <div className="panel empty-panel" role="status">
          <h2>No access-log line matches these filters in this window</h2>
          <p className="muted">
            Widen the time range or remove a filter. Both sidecars log a request
            with the same request id; the trace id is there only when tracing
            headers were sent.
          </p>
        </div>
      ) : null}
      {data && data.requests.length > 0 ? (
        <section className="panel table-panel" aria-label="Access-log results">
          <header className="panel-header">
            <h2>
              Lines {data.offset + 1}–{data.offset + data.requests.length}
              {data.hasMore ? ' (more below)' : ''}
            </h2>
            <div className="panel-actions">
              <button
                type="button"
                className="btn btn-small"
                disabled={data.offset === 0}
                onClick={() =>
                  go({ offset: Math.max(0, data.offset - PAGE_SIZE) })
                }
              >
                ← Newer
              </button>
              <button
                type="button"
                className="btn btn-small"
                disabled={!data.hasMore}
                onClick={() => go({ offset: data.offset + PAGE_SIZE })}
              >
                Older →
              </button>
            </div>
          </header>
          <div className="table-scroll">
            <LogsTable
              lines={data.requests}
              window={data.window}
              selected={line ? selected : null}
              onSelect={setSelected}
            />
          </div>
        </section>
      ) : null}
      {line ? (
        <LogDetail line={line} onClose={() => setSelected(null)} />
      ) : null}
      <FlagLegend flags={legend} />
    </div>
  );
}
