import type { Metadata } from 'next';
import { ViewEmptyState } from '../../_features/empty-views/ViewEmptyState';

export const metadata: Metadata = { title: 'Traces' };

export default function TracesPage() {
  return <ViewEmptyState view="traces" />;
}
