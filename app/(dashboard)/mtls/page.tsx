import type { Metadata } from 'next';
import { Suspense } from 'react';
import { Skeleton } from '../../_components/Skeleton';
import { MtlsView } from '../../_features/mtls/MtlsView';

export const metadata: Metadata = { title: 'mTLS' };

export default function MtlsPage() {
  return (
    <Suspense fallback={<Skeleton lines={10} label="Loading mTLS coverage" />}>
      <MtlsView />
    </Suspense>
  );
}
