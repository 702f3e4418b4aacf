/**
 * The topology graph query's input, built from the URL state in one place, and the URL the
 * tRPC client fetches it from (TrpcProvider sends `topology.graph` unbatched, so the URL only
 * depends on the input). The page (a server component) preloads that URL while the browser is
 * still loading the scripts; the client's query then takes the preloaded response.
 */
import superjson from 'superjson';
import { windowInput } from '../../_components/time-range';
import type { TopologyState } from './url-state';

export function graphQueryInput(
  state: TopologyState,
  queryWindow = windowInput(state.range),
) {
  return {
    window: queryWindow,
    graphType: state.graphType,
    includeIdle: state.idle,
    thresholds: {
      degraded: state.health.degraded / 100,
      failure: state.health.failure / 100,
    },
    filter: {
      namespaces: state.namespaces,
      protocols: state.protocols,
      ...(state.cluster ? { cluster: state.cluster } : {}),
    },
  };
}

/** Where the tRPC client's unbatched link GETs `topology.graph` for this input. */
export function graphQueryUrl(
  input: ReturnType<typeof graphQueryInput>,
): string {
  const encoded = encodeURIComponent(
    JSON.stringify(superjson.serialize(input)),
  );
  return `/api/trpc/topology.graph?input=${encoded}`;
}
