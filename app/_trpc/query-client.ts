import { QueryClient } from '@tanstack/react-query';

/** One QueryClient per browser tab (per request on the server, where nothing is fetched). */
export function makeQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: {
        // Dashboards poll; a short stale time avoids refetch storms on focus and remount.
        staleTime: 2_000,
        retry: 2,
        refetchOnWindowFocus: true,
      },
    },
  });
}

let browserClient: QueryClient | undefined;

export function getQueryClient(): QueryClient {
  if (typeof window === 'undefined') return makeQueryClient();
  browserClient ??= makeQueryClient();
  return browserClient;
}
