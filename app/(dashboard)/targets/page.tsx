import type { Metadata } from 'next';
import { Suspense } from 'react';
import { Skeleton } from '../../_components/Skeleton';
import { TargetsView } from '../../_features/targets/TargetsView';

export const metadata: Metadata = { title: 'Targets' };

export default function TargetsPage() {
  return (
    <Suspense
      fallback={<Skeleton lines={6} label="Loading the scrape targets" />}
    >
      <TargetsView />
    </Suspense>
  );
}
