import type { Metadata } from 'next';
import { ViewEmptyState } from '../../_features/empty-views/ViewEmptyState';

export const metadata: Metadata = { title: 'mTLS' };

export default function MtlsPage() {
  return <ViewEmptyState view="mtls" />;
}
