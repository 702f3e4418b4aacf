import type { Metadata } from 'next';
import { ViewEmptyState } from '../../_features/empty-views/ViewEmptyState';

export const metadata: Metadata = { title: 'Alerts' };

export default function AlertsPage() {
  return <ViewEmptyState view="alerts" />;
}
