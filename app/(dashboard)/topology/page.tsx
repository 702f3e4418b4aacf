import type { Metadata } from 'next';
import { ViewEmptyState } from '../../_features/empty-views/ViewEmptyState';

export const metadata: Metadata = { title: 'Topology' };

export default function TopologyPage() {
  return <ViewEmptyState view="topology" />;
}
