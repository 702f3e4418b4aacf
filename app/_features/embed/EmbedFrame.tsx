'use client';

import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { createTRPCClient, httpBatchLink } from '@trpc/client';
import {
  useLayoutEffect,
  useEffect,
  useMemo,
  useState,
  type ReactNode,
} from 'react';
import superjson from 'superjson';
import type { AppRouter } from '~/server/api/root';
import { TRPCProvider } from '../../_trpc/client';
import { postToHost, tokenOrigins, type EmbedOptions } from './embed-options';
import './embed.css';

/**
 * The frame of every widget: applies the theme and colours from the URL, talks to the API with
 * the embed token (never a cookie: third-party frames have none), and tells the host page when
 * it is ready and when its size changes.
 */
export function EmbedFrame({
  options,
  widget,
  children,
}: {
  options: EmbedOptions;
  widget: string;
  children: ReactNode;
}) {
  const origins = useMemo(() => tokenOrigins(options.token), [options.token]);
  const [queryClient] = useState(
    () =>
      new QueryClient({
        defaultOptions: { queries: { retry: 1, refetchOnWindowFocus: false } },
      }),
  );
  const [trpcClient] = useState(() =>
    createTRPCClient<AppRouter>({
      links: [
        httpBatchLink({
          url: '/api/trpc',
          transformer: superjson,
          headers: () => ({ authorization: `Bearer ${options.token}` }),
        }),
      ],
    }),
  );

  useLayoutEffect(() => {
    const root = document.documentElement;
    if (options.theme !== 'auto') root.dataset.theme = options.theme;
    for (const [name, value] of Object.entries(options.colors))
      root.style.setProperty(name, value);
  }, [options.theme, options.colors]);

  useEffect(() => {
    postToHost({ type: 'meshlens:ready', widget }, origins);
    const observer = new ResizeObserver(() =>
      postToHost(
        {
          type: 'meshlens:resized',
          widget,
          width: document.documentElement.scrollWidth,
          height: document.documentElement.scrollHeight,
        },
        origins,
      ),
    );
    observer.observe(document.body);
    return () => observer.disconnect();
  }, [widget, origins]);

  return (
    <QueryClientProvider client={queryClient}>
      <TRPCProvider trpcClient={trpcClient} queryClient={queryClient}>
        <div className="embed-frame" data-widget={widget}>
          {children}
        </div>
      </TRPCProvider>
    </QueryClientProvider>
  );
}
