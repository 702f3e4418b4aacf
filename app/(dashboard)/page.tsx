import type { Metadata } from 'next';
import { PageHeader } from '../_components/PageHeader';
import { Overview } from '../_features/overview/Overview';

export const metadata: Metadata = { title: 'Overview' };

export default function OverviewPage() {
  return (
    <>
      <PageHeader
        title="Overview"
        description="What this Meshlens receives, where it stores it, and how to send it more."
      />
      <Overview />
    </>
  );
}
