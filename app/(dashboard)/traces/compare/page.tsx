import type { Metadata } from 'next';
import { Suspense } from 'react';
import { Skeleton } from '../../../_components/Skeleton';
import { TraceCompare } from '../../../_features/traces/TraceCompare';

export const metadata: Metadata = { title: 'Compare traces' };

export default function CompareTracesPage() {
  return (
    <Suspense fallback={<Skeleton lines={8} label="Loading the comparison" />}>
      <TraceCompare />
    </Suspense>
  );
}
