import type { Metadata } from 'next';
import { ViewEmptyState } from '../../_features/empty-views/ViewEmptyState';

export const metadata: Metadata = { title: 'Logs' };

export default function LogsPage() {
  return <ViewEmptyState view="logs" />;
}
