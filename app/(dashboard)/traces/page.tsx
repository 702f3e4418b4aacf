import type { Metadata } from 'next';
import { Suspense } from 'react';
import { Skeleton } from '../../_components/Skeleton';
import { TracesView } from '../../_features/traces/TracesView';

export const metadata: Metadata = { title: 'Traces' };

export default function TracesPage() {
  return (
    <Suspense
      fallback={<Skeleton lines={8} label="Loading the trace search" />}
    >
      <TracesView />
    </Suspense>
  );
}
