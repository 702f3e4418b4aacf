'use client';

import { useQuery } from '@tanstack/react-query';
import { ErrorNotice } from '../../_components/ErrorNotice';
import { Skeleton } from '../../_components/Skeleton';
import { useTRPC } from '../../_trpc/client';
import { DataPanel } from './DataPanel';
import { SendTelemetry } from './SendTelemetry';
import { summarizeTables } from './prepare-overview';
import './overview.css';

/** Refresh period of the status poll (row counts, readiness). */
export const STATUS_REFRESH_MS = 5000;

/**
 * The first screen. While every table is empty it leads with how to send telemetry;
 * once rows arrive it leads with the live counts.
 */
export function Overview() {
  const trpc = useTRPC();
  const status = useQuery(
    trpc.status.overview.queryOptions(undefined, {
      refetchInterval: STATUS_REFRESH_MS,
    }),
  );

  const overview = status.data;
  if (overview === undefined && !status.isError) {
    return (
      <div className="overview-grid">
        <Skeleton lines={6} label="Loading the server status" />
      </div>
    );
  }
  if (overview === undefined) {
    return (
      <ErrorNotice
        title="Could not read the server status"
        message={status.error?.message ?? 'unknown error'}
      >
        <p>
          Meshlens retries every {STATUS_REFRESH_MS / 1000} s. If the server was
          stopped, start it again with <code>npm start</code>.
        </p>
      </ErrorNotice>
    );
  }

  // After a failed refresh react-query keeps the last data: show it, flagged as stale.
  const summary = summarizeTables(overview.tables);
  const data = (
    <DataPanel
      key="data"
      overview={overview}
      summary={summary}
      updatedAt={status.dataUpdatedAt}
      fetching={status.isFetching}
      refreshError={status.error?.message}
    />
  );
  const send = (
    <SendTelemetry
      key="send"
      listeners={overview.listeners}
      roles={overview.roles}
      leading={!summary.hasData}
    />
  );
  return summary.hasData ? (
    <div className="overview-grid">{[data, send]}</div>
  ) : (
    <div className="overview-grid overview-leading-send">{[send, data]}</div>
  );
}
