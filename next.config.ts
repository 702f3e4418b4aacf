/**
 * Next.js builds only the client-rendered UI; the API (/api/trpc) is served by the custom server
 * in server/web/server.ts, in the same process as the collectors. Type checking and lint run
 * separately (`npm run typecheck`, `npm run lint`), which keeps `next build` short.
 */
import type { NextConfig } from 'next';

const nextConfig: NextConfig = {
  // Native / Node-only packages must never be bundled (chDB binds one data folder per process).
  serverExternalPackages: ['chdb', '@clickhouse/client'],
  typescript: { ignoreBuildErrors: true },
  poweredByHeader: false,
  reactStrictMode: true,
  // No X-Frame-Options here: /embed/... pages are meant to sit in other sites' iframes.
  headers: () =>
    Promise.resolve([
      {
        source: '/:path*',
        headers: [
          { key: 'X-Content-Type-Options', value: 'nosniff' },
          { key: 'Referrer-Policy', value: 'same-origin' },
        ],
      },
    ]),
};

export default nextConfig;
