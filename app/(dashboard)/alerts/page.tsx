import type { Metadata } from 'next';
import { Suspense } from 'react';
import { Skeleton } from '../../_components/Skeleton';
import { AlertsView } from '../../_features/alerts/AlertsView';

export const metadata: Metadata = { title: 'Alerts' };

export default function AlertsPage() {
  return (
    <Suspense fallback={<Skeleton lines={6} label="Loading the alerts" />}>
      <AlertsView />
    </Suspense>
  );
}
