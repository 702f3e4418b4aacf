import type { Metadata } from 'next';
import { Suspense } from 'react';
import { Skeleton } from '../../_components/Skeleton';
import { TopologyView } from '../../_features/topology/TopologyView';

export const metadata: Metadata = { title: 'Topology' };

export default function TopologyPage() {
  return (
    <Suspense fallback={<Skeleton lines={8} label="Loading the topology" />}>
      <TopologyView />
    </Suspense>
  );
}
