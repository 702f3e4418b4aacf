'use client';

import { useQuery } from '@tanstack/react-query';
import { ErrorNotice } from '../../_components/ErrorNotice';
import { Skeleton } from '../../_components/Skeleton';
import { useTRPC } from '../../_trpc/client';
import { SpanDetail } from './SpanDetail';

/**
 * The span detail of the selected span: the page holds only the trace's skeleton, so the span
 * (and its parent, for the Istio edge) is read in full here, one small query per selection.
 */
export function SelectedSpan({
  traceId,
  spanId,
  parentSpanId,
  adjustedStartUs,
  traceStartUs,
  selfUs,
  onSelect,
}: {
  traceId: string;
  spanId: string;
  /** The parent's id when the parent is in the trace, else ''. */
  parentSpanId: string;
  adjustedStartUs: number;
  traceStartUs: number;
  selfUs: number;
  onSelect: (spanId: string) => void;
}) {
  const trpc = useTRPC();
  const q = useQuery(
    trpc.traces.spans.queryOptions(
      {
        traceId,
        spanIds: parentSpanId ? [spanId, parentSpanId] : [spanId],
      },
      { staleTime: Infinity },
    ),
  );
  if (q.isError)
    return (
      <ErrorNotice
        title="Could not read the span"
        message={`${q.error.message} Select the span again to retry.`}
      />
    );
  const span = q.data?.spans.find((s) => s.spanId === spanId);
  if (!q.data) return <Skeleton lines={6} label="Loading the span" />;
  if (!span)
    return (
      <ErrorNotice
        title="Span not found"
        message={`Span ${spanId} is not stored in trace ${traceId} any more (it may have passed the span retention).`}
      />
    );
  return (
    <SpanDetail
      traceId={traceId}
      resources={q.data.resources}
      span={span}
      parent={q.data.spans.find((s) => s.spanId === parentSpanId)}
      adjustedStartUs={adjustedStartUs}
      traceStartUs={traceStartUs}
      selfUs={selfUs}
      onSelect={onSelect}
    />
  );
}
