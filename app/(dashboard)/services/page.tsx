import type { Metadata } from 'next';
import { ViewEmptyState } from '../../_features/empty-views/ViewEmptyState';

export const metadata: Metadata = { title: 'Services' };

export default function ServicesPage() {
  return <ViewEmptyState view="services" />;
}
