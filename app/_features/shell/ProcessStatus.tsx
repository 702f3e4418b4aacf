'use client';

import { useQuery } from '@tanstack/react-query';
import { useTRPC } from '../../_trpc/client';

/**
 * The sidebar footer: is the server reachable and ready, where is the data, is the demo running.
 * Shares the overview's status query (same key), so it adds no requests.
 */
export function ProcessStatus() {
  const trpc = useTRPC();
  const status = useQuery(
    trpc.status.overview.queryOptions(undefined, { refetchInterval: 5000 }),
  );
  if (status.isPending) {
    return <div className="process-status">Connecting…</div>;
  }
  if (status.isError) {
    return (
      <div className="process-status" title={status.error.message}>
        <span className="dot dot-bad" aria-hidden="true" /> Server unreachable
      </div>
    );
  }
  const { ready, db, demo } = status.data;
  return (
    <div className="process-status">
      <div>
        <span
          className={ready ? 'dot dot-ok' : 'dot dot-warn'}
          aria-hidden="true"
        />
        {ready ? 'Ready' : 'Starting'}
      </div>
      <div className="muted" title={db.location}>
        {db.mode === 'embedded' ? 'Embedded ClickHouse' : 'ClickHouse server'}
      </div>
      {demo.running ? (
        <div className="badge badge-info">Demo mesh running</div>
      ) : null}
    </div>
  );
}
