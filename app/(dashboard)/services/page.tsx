import type { Metadata } from 'next';
import { Suspense } from 'react';
import { Skeleton } from '../../_components/Skeleton';
import { ServicesView } from '../../_features/services/ServicesView';

export const metadata: Metadata = { title: 'Services' };

export default function ServicesPage() {
  return (
    <Suspense fallback={<Skeleton lines={8} label="Loading the services" />}>
      <ServicesView />
    </Suspense>
  );
}
