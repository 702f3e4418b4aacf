import type { Metadata } from 'next';
import { Suspense } from 'react';
import { preload } from 'react-dom';
import { Skeleton } from '../../_components/Skeleton';
import {
  graphQueryInput,
  graphQueryUrl,
} from '../../_features/topology/graph-query';
import { TopologyView } from '../../_features/topology/TopologyView';
import { parseTopologyState } from '../../_features/topology/url-state';

export const metadata: Metadata = { title: 'Topology' };

type SearchParams = Record<string, string | string[] | undefined>;

/** The first value of each parameter, as the client's useSearchParams().get() reads it. */
function firstValues(sp: SearchParams): URLSearchParams {
  const out = new URLSearchParams();
  for (const [k, v] of Object.entries(sp)) {
    const first = Array.isArray(v) ? v[0] : v;
    if (first !== undefined) out.set(k, first);
  }
  return out;
}

export default async function TopologyPage({
  searchParams,
}: {
  searchParams: Promise<SearchParams>;
}) {
  // Start the graph request with the HTML, not after the scripts have loaded and hydrated:
  // the client's query (same URL, see graph-query.ts) takes the preloaded response.
  const state = parseTopologyState(firstValues(await searchParams));
  preload(graphQueryUrl(graphQueryInput(state)), {
    as: 'fetch',
    crossOrigin: 'anonymous',
  });
  return (
    <Suspense fallback={<Skeleton lines={8} label="Loading the topology" />}>
      <TopologyView />
    </Suspense>
  );
}
