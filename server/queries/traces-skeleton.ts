/**
 * One trace in the compact form the trace page draws (server/traces/skeleton.ts): only the
 * columns the tree and timeline need, so the read skips the attribute and resource maps, the
 * widest columns of otel_traces. Uses the same bounds and projection as `traceById`.
 */
import { traceIdLookupKey } from '~/collectors/sources/traces-shared/hex';
import type { Db } from '../db/client';
import { encodeSkeleton, type SkeletonRow } from '../traces/skeleton';
import { queryRows } from './clickhouse';
import { DEFAULT_MAX_SPANS, nsToUs, traceBounds } from './traces';

interface Row {
  StartNs: string;
  SpanId: string;
  ParentSpanId: string;
  SpanName: string;
  SpanKind: string;
  ServiceName: string;
  Duration: number | string;
  StatusCode: string;
  EventNs: string[];
  EventName: string[];
}

export const SKELETON_SQL = `
SELECT toString(toUnixTimestamp64Nano(Timestamp)) AS StartNs,
       SpanId, ParentSpanId, SpanName, SpanKind, ServiceName, Duration, StatusCode,
       arrayMap(t -> toString(toUnixTimestamp64Nano(t)), Events.Timestamp) AS EventNs,
       Events.Name AS EventName
  FROM {db:Identifier}.otel_traces
 WHERE TraceId = {traceId:String}
   AND Timestamp >= toDateTime64({start:UInt32}, 9)
   AND Timestamp < toDateTime64({end:UInt32}, 9)
 ORDER BY Timestamp, SpanId
 LIMIT {limit:UInt32}`;

export interface TraceSkeleton {
  traceId: string;
  spanCount: number;
  truncated: boolean;
  /** SkeletonColumns as JSON (decode in the browser). */
  encoded: string;
}

/** The compact trace, or undefined when the id is malformed or no span of it is stored. */
export async function traceSkeleton(
  db: Db,
  id: string,
  maxSpans = DEFAULT_MAX_SPANS,
): Promise<TraceSkeleton | undefined> {
  const traceId = traceIdLookupKey(id);
  if (!traceId) return undefined;
  const b = await traceBounds(db, traceId);
  if (!b) return undefined;
  const rows = await queryRows<Row>(db, {
    what: 'reading the spans of a trace',
    query: SKELETON_SQL,
    params: { db: db.database, traceId, ...b, limit: maxSpans + 1 },
  });
  if (rows.length === 0) return undefined;
  const truncated = rows.length > maxSpans;
  const kept = truncated ? rows.slice(0, maxSpans) : rows;
  const spans = kept.map((r): SkeletonRow => ({
    spanId: r.SpanId,
    parentSpanId: r.ParentSpanId,
    service: r.ServiceName,
    name: r.SpanName,
    kind: r.SpanKind,
    status: r.StatusCode,
    // As toTraceSpan: whole µs starts, exact durations.
    startUs: Math.trunc(nsToUs(r.StartNs)),
    durationUs: Number(r.Duration) / 1000,
    events: r.EventNs.map((ns, i) => ({
      timeUs: Math.trunc(nsToUs(ns)),
      name: r.EventName[i] ?? '',
    })),
  }));
  return {
    traceId,
    spanCount: spans.length,
    truncated,
    encoded: encodeSkeleton(traceId, spans, truncated),
  };
}
