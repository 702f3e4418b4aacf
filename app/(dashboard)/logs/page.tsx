import type { Metadata } from 'next';
import { Suspense } from 'react';
import { Skeleton } from '../../_components/Skeleton';
import { LogsView } from '../../_features/logs/LogsView';

export const metadata: Metadata = { title: 'Logs' };

export default function LogsPage() {
  return (
    <Suspense fallback={<Skeleton lines={8} label="Loading the access logs" />}>
      <LogsView />
    </Suspense>
  );
}
