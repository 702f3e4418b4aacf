import type { Metadata, Viewport } from 'next';
import type { ReactNode } from 'react';
import { TrpcProvider } from './_trpc/TrpcProvider';
import './globals.css';
import './_components/components.css';

export const metadata: Metadata = {
  title: { default: 'Meshlens', template: '%s · Meshlens' },
  description:
    'Topology, traces, logs and mTLS of your Istio / Envoy service mesh.',
};

export const viewport: Viewport = {
  colorScheme: 'light dark',
  themeColor: [
    { media: '(prefers-color-scheme: light)', color: '#f6f7f9' },
    { media: '(prefers-color-scheme: dark)', color: '#111318' },
  ],
};

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body>
        <TrpcProvider>{children}</TrpcProvider>
      </body>
    </html>
  );
}
