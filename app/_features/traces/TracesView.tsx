'use client';

import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useRouter } from 'next/navigation';
import { useMemo, useState } from 'react';
import { ErrorNotice } from '../../_components/ErrorNotice';
import { PageHeader } from '../../_components/PageHeader';
import { Skeleton } from '../../_components/Skeleton';
import { windowInput } from '../../_components/time-range';
import { useUrlState } from '../../_components/use-url-state';
import { useTRPC } from '../../_trpc/client';
import { AccessLogTable } from './AccessLogTable';
import { TraceList } from './TraceList';
import { TraceScatter } from './TraceScatter';
import { TraceSearchForm } from './TraceSearchForm';
import { TracesEmpty } from './TracesEmpty';
import { pageLabel, scatterPoints } from './prepare-results';
import {
  PAGE_SIZE,
  asTraceId,
  parseSearchState,
  searchParams,
  splitTags,
} from './search-state';
import './traces.css';

/** Trace search: filters in the URL, a scatter of duration over time, and the list. */
export function TracesView() {
  const [state, update] = useUrlState(parseSearchState, searchParams);
  const trpc = useTRPC();
  const router = useRouter();
  const [goto, setGoto] = useState('');
  const queryWindow = useMemo(() => windowInput(state.range), [state.range]);
  const services = useQuery(
    trpc.traces.services.queryOptions(
      { window: queryWindow },
      { placeholderData: keepPreviousData },
    ),
  );
  const filters = {
    service: state.service || undefined,
    caller: state.caller || undefined,
    operation: state.operation || undefined,
    tags: splitTags(state.tags),
    minDurationMs: state.minDurationMs,
    maxDurationMs: state.maxDurationMs,
    errorsOnly: state.errorsOnly,
    requestId: state.requestId || undefined,
    limit: PAGE_SIZE,
    offset: state.offset,
  };
  const search = useQuery(
    trpc.traces.search.queryOptions(
      { window: queryWindow, filters },
      { placeholderData: keepPreviousData },
    ),
  );
  const open = (id: string) => router.push(`/traces/${id}`);
  const data = search.data;
  const nothingStored =
    services.data !== undefined && services.data.length === 0;
  const formKey = JSON.stringify({ ...state, range: null });
  return (
    <div className="traces-page">
      <PageHeader
        title="Traces"
        description="Find traces by service, operation, tags, duration or request id; open one as a waterfall."
        actions={
          <form
            className="goto-trace"
            onSubmit={(e) => {
              e.preventDefault();
              const id = asTraceId(goto);
              if (id) open(id);
            }}
          >
            <input
              aria-label="Trace id"
              placeholder="Trace id…"
              value={goto}
              onChange={(e) => setGoto(e.target.value)}
            />
            <button type="submit" className="btn" disabled={!asTraceId(goto)}>
              Open
            </button>
          </form>
        }
      />
      <TraceSearchForm
        key={formKey}
        state={state}
        services={services.data ?? []}
        onSearch={update}
      />
      {state.caller ? (
        <p className="search-note" role="note">
          Only traces that also pass through <strong>{state.caller}</strong>{' '}
          (the caller of the edge you came from).{' '}
          <button
            type="button"
            className="btn btn-small"
            onClick={() => update({ caller: '' })}
          >
            Show all traces of {state.service || 'every service'}
          </button>
        </p>
      ) : null}
      {search.isError ? (
        <ErrorNotice
          title="Could not search the traces"
          message={search.error.message}
        >
          <p>
            Check the filters (tags are <code>key=value</code>). If the tables
            are missing, run <code>npm run db:migrate</code>.
          </p>
        </ErrorNotice>
      ) : null}
      {data === undefined && !search.isError ? (
        <Skeleton lines={8} label="Searching traces" />
      ) : null}
      {data && data.total === 0 && nothingStored ? <TracesEmpty /> : null}
      {data && data.total === 0 && !nothingStored ? (
        <div className="panel empty-panel" role="status">
          <h2>No trace matches these filters in this window</h2>
          <p className="muted">
            Widen the time range, remove a filter, or check a tag&apos;s exact
            value (tags compare as strings: <code>http.status_code=503</code>).
          </p>
        </div>
      ) : null}
      {data && data.total > 0 ? (
        <>
          <section className="panel scatter-panel">
            <TraceScatter
              points={scatterPoints(data.traces)}
              fromMs={data.window.fromMs}
              toMs={data.window.toMs}
              onOpen={open}
            />
          </section>
          <section className="panel table-panel" aria-label="Search results">
            <header className="panel-header">
              <h2>{pageLabel(data.offset, data.traces.length, data.total)}</h2>
              <div className="panel-actions">
                <button
                  type="button"
                  className="btn btn-small"
                  disabled={data.offset === 0}
                  onClick={() =>
                    update({ offset: Math.max(0, data.offset - PAGE_SIZE) })
                  }
                >
                  ← Newer
                </button>
                <button
                  type="button"
                  className="btn btn-small"
                  disabled={data.offset + data.traces.length >= data.total}
                  onClick={() => update({ offset: data.offset + PAGE_SIZE })}
                >
                  Older →
                </button>
              </div>
            </header>
            <TraceList traces={data.traces} />
          </section>
        </>
      ) : null}
      {data && state.requestId ? (
        <section
          className="panel table-panel"
          aria-label="Access-log lines of the request"
        >
          <header className="panel-header">
            <h2>Access-log lines of request {state.requestId}</h2>
          </header>
          {data.accessLog.length > 0 ? (
            <AccessLogTable lines={data.accessLog} />
          ) : (
            <p className="empty-inline panel-body">
              No access-log line carries this request id in the window.
            </p>
          )}
        </section>
      ) : null}
    </div>
  );
}
