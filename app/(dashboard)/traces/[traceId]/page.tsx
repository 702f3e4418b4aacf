import type { Metadata } from 'next';
import { Suspense } from 'react';
import { Skeleton } from '../../../_components/Skeleton';
import { TraceView } from '../../../_features/traces/TraceView';

interface Params {
  traceId: string;
}

/** Only hex reaches the client; anything else is answered as "not found" by the API. */
function cleanId(v: string): string {
  return v.trim().toLowerCase().slice(0, 64);
}

export async function generateMetadata({
  params,
}: {
  params: Promise<Params>;
}): Promise<Metadata> {
  const { traceId } = await params;
  return { title: `Trace ${cleanId(traceId).slice(-16)}` };
}

export default async function TracePage({
  params,
}: {
  params: Promise<Params>;
}) {
  const { traceId } = await params;
  return (
    <Suspense fallback={<Skeleton lines={12} label="Loading the trace" />}>
      <TraceView traceId={cleanId(traceId)} />
    </Suspense>
  );
}
