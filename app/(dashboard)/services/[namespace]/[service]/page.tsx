import type { Metadata } from 'next';
import { Suspense } from 'react';
import { Skeleton } from '../../../../_components/Skeleton';
import { ServiceDetailView } from '../../../../_features/services/ServiceDetailView';

/** Route params may arrive encoded or not; decoding twice must not throw on a '%'. */
function decoded(v: string): string {
  try {
    return decodeURIComponent(v);
  } catch {
    return v;
  }
}

interface Params {
  namespace: string;
  service: string;
}

export async function generateMetadata({
  params,
}: {
  params: Promise<Params>;
}): Promise<Metadata> {
  const { service } = await params;
  return { title: decoded(service) };
}

export default async function ServicePage({
  params,
}: {
  params: Promise<Params>;
}) {
  const { namespace, service } = await params;
  return (
    <Suspense fallback={<Skeleton lines={8} label="Loading the service" />}>
      <ServiceDetailView
        namespace={decoded(namespace)}
        service={decoded(service)}
      />
    </Suspense>
  );
}
