'use client';

import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { ErrorNotice } from '../../_components/ErrorNotice';
import { Skeleton } from '../../_components/Skeleton';
import { useTRPC, type RouterInputs } from '../../_trpc/client';
import { PathTable } from '../charts/PathTable';

/** The "Top paths" section of a side panel: its own query, so the rest never waits for it. */
export function TopPaths({
  input,
  refetchMs,
}: {
  input: RouterInputs['topology']['paths'];
  refetchMs: number | false;
}) {
  const trpc = useTRPC();
  const paths = useQuery(
    trpc.topology.paths.queryOptions(input, {
      refetchInterval: refetchMs,
      placeholderData: keepPreviousData,
    }),
  );
  return (
    <section className="detail-section" aria-label="Top paths">
      <h3>Top paths</h3>
      {paths.isError && !paths.data ? (
        <ErrorNotice
          title="Could not read the paths"
          message={paths.error.message}
        />
      ) : paths.data === undefined ? (
        <Skeleton lines={3} label="Loading the top paths" />
      ) : paths.data === null ? (
        <p className="empty-inline">No paths for this selection.</p>
      ) : (
        <PathTable
          paths={paths.data.paths}
          totalRequests={paths.data.totalRequests}
          side={paths.data.side}
        />
      )}
    </section>
  );
}
