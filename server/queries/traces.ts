/**
 * One trace by id (table otel_traces): every span, read inside the time bounds that the trace-id
 * lookup table (otel_traces_trace_id_ts, filled by a materialized view) gives, as the OpenTelemetry
 * Collector's ClickHouse exporter users do, so the read touches only the partitions of that trace.
 */
import { traceIdLookupKey } from '~/collectors/sources/traces-shared/hex';
import type { Db } from '../db/client';
import { queryRows } from './clickhouse';

export type SpanKindName =
  'Unspecified' | 'Internal' | 'Server' | 'Client' | 'Producer' | 'Consumer';
export type StatusCodeName = 'Unset' | 'Ok' | 'Error';

export interface TraceEvent {
  /** Unix time in microseconds (sub-µs precision is dropped for the view). */
  timeUs: number;
  /** Unix time in nanoseconds as a decimal string (exact, for OTLP JSON). */
  timeNs: string;
  name: string;
  attributes: Record<string, string>;
}

export interface TraceLink {
  traceId: string;
  spanId: string;
  traceState: string;
  attributes: Record<string, string>;
}

/** The view model of one span (storage row reshaped by `toTraceSpan`). */
export interface TraceSpan {
  spanId: string;
  /** '' for a root span. */
  parentSpanId: string;
  traceState: string;
  name: string;
  kind: SpanKindName;
  /** The stored ServiceName (`service.name`, e.g. `reviews.bookinfo`). */
  service: string;
  /** Index into `Trace.resources`: spans of one process share one resource. */
  resource: number;
  scope: { name: string; version: string };
  /** Unix start in nanoseconds as a decimal string (exact). */
  startNs: string;
  /** Unix start in microseconds. */
  startUs: number;
  durationUs: number;
  status: { code: StatusCodeName; message: string };
  attributes: Record<string, string>;
  events: TraceEvent[];
  links: TraceLink[];
}

export interface Trace {
  /** 32 lowercase hex characters (64-bit ids are stored left-padded with zeros). */
  traceId: string;
  resources: Record<string, string>[];
  /** Ordered by start time. */
  spans: TraceSpan[];
  /** True when the trace had more spans than `maxSpans`; the earliest ones are kept. */
  truncated: boolean;
}

/** The storage row as the SELECT below shapes it. */
interface TraceSpanRow {
  StartNs: string;
  SpanId: string;
  ParentSpanId: string;
  TraceState: string;
  SpanName: string;
  SpanKind: string;
  ServiceName: string;
  ResourceAttributes: Record<string, string>;
  ScopeName: string;
  ScopeVersion: string;
  SpanAttributes: Record<string, string>;
  Duration: number | string;
  StatusCode: string;
  StatusMessage: string;
  EventNs: string[];
  EventName: string[];
  EventAttributes: Record<string, string>[];
  LinkTraceId: string[];
  LinkSpanId: string[];
  LinkTraceState: string[];
  LinkAttributes: Record<string, string>[];
}

const KINDS = new Set<string>([
  'Unspecified',
  'Internal',
  'Server',
  'Client',
  'Producer',
  'Consumer',
]);

/** Nanoseconds as a decimal string -> microseconds as a number (exact to the µs). */
export function nsToUs(ns: string): number {
  if (ns.length <= 3) return 0;
  return Number(ns.slice(0, -3)) + Number(ns.slice(-3)) / 1000;
}

/** Storage row -> view model; `resourceIndex` dedupes resources. Exported for tests. */
export function toTraceSpan(
  row: TraceSpanRow,
  resourceIndex: (attrs: Record<string, string>) => number,
): TraceSpan {
  const code = row.StatusCode;
  return {
    spanId: row.SpanId,
    parentSpanId: row.ParentSpanId,
    traceState: row.TraceState,
    name: row.SpanName,
    kind: (KINDS.has(row.SpanKind)
      ? row.SpanKind
      : 'Unspecified') as SpanKindName,
    service: row.ServiceName,
    resource: resourceIndex(row.ResourceAttributes),
    scope: { name: row.ScopeName, version: row.ScopeVersion },
    startNs: row.StartNs,
    startUs: Math.trunc(nsToUs(row.StartNs)),
    durationUs: Number(row.Duration) / 1000,
    status: {
      code: code === 'Error' || code === 'Ok' ? code : 'Unset',
      message: row.StatusMessage,
    },
    attributes: row.SpanAttributes,
    events: row.EventNs.map((ns, i) => ({
      timeNs: ns,
      timeUs: Math.trunc(nsToUs(ns)),
      name: row.EventName[i] ?? '',
      attributes: row.EventAttributes[i] ?? {},
    })),
    links: row.LinkTraceId.map((traceId, i) => ({
      traceId,
      spanId: row.LinkSpanId[i] ?? '',
      traceState: row.LinkTraceState[i] ?? '',
      attributes: row.LinkAttributes[i] ?? {},
    })),
  };
}

/**
 * Every span of one trace inside its time bounds. Served by the `by_trace_id` projection
 * (migrations/0012: the spans ordered by TraceId, so one trace is one granule) where a part has
 * it, else by the `TraceId` bloom filter. Exported so a test can check the plan.
 */
const SPANS_IN_BOUNDS_SQL = `SELECT toString(toUnixTimestamp64Nano(Timestamp)) AS StartNs,
                   SpanId, ParentSpanId, TraceState, SpanName, SpanKind, ServiceName,
                   ResourceAttributes, ScopeName, ScopeVersion, SpanAttributes,
                   Duration, StatusCode, StatusMessage,
                   arrayMap(t -> toString(toUnixTimestamp64Nano(t)), Events.Timestamp) AS EventNs,
                   Events.Name AS EventName, Events.Attributes AS EventAttributes,
                   Links.TraceId AS LinkTraceId, Links.SpanId AS LinkSpanId,
                   Links.TraceState AS LinkTraceState, Links.Attributes AS LinkAttributes
              FROM {db:Identifier}.otel_traces
             WHERE TraceId = {traceId:String}
               AND Timestamp >= toDateTime64({start:UInt32}, 9)
               AND Timestamp < toDateTime64({end:UInt32}, 9)`;

export const SPANS_OF_TRACE_SQL = `${SPANS_IN_BOUNDS_SQL}
             ORDER BY Timestamp, SpanId
             LIMIT {limit:UInt32}`;

const SOME_SPANS_OF_TRACE_SQL = `${SPANS_IN_BOUNDS_SQL}
               AND SpanId IN {spanIds:Array(String)}
             ORDER BY Timestamp, SpanId
             LIMIT {limit:UInt32}`;

/** Largest trace returned whole; beyond it the earliest spans are kept and `truncated` set. */
export const DEFAULT_MAX_SPANS = 100_000;

/**
 * A trace by id (16 or 32 hex characters; 64-bit ids are looked up zero-padded), or undefined
 * when the id is malformed or no span of it is stored.
 */
export async function traceById(
  db: Db,
  id: string,
  maxSpans = DEFAULT_MAX_SPANS,
): Promise<Trace | undefined> {
  const traceId = traceIdLookupKey(id);
  if (!traceId) return undefined;
  const b = await traceBounds(db, traceId);
  if (!b) return undefined;
  const rows = await queryRows<TraceSpanRow>(db, {
    what: 'reading the spans of a trace',
    query: SPANS_OF_TRACE_SQL,
    params: {
      db: db.database,
      traceId,
      ...b,
      limit: maxSpans + 1,
    },
  });
  if (rows.length === 0) return undefined;
  const { resources, spans } = toTraceSpans(
    rows.length > maxSpans ? rows.slice(0, maxSpans) : rows,
  );
  return { traceId, resources, spans, truncated: rows.length > maxSpans };
}

/**
 * The time bounds of a stored trace from the lookup table (whole seconds of the earliest and
 * latest span *start*), as the `start`/`end` parameters of a read of [Start, End + 1 s);
 * undefined when no span of it is stored. `traceId` is a lookup key (traceIdLookupKey).
 */
export async function traceBounds(
  db: Db,
  traceId: string,
): Promise<{ start: number; end: number } | undefined> {
  const rows = await queryRows<{ Start: number; End: number; n: number }>(db, {
    what: 'looking up the time of a trace',
    query: `SELECT toUnixTimestamp(min(Start)) AS Start, toUnixTimestamp(max(End)) AS End, count() AS n
              FROM {db:Identifier}.otel_traces_trace_id_ts
             WHERE TraceId = {traceId:String}`,
    params: { db: db.database, traceId },
  });
  const b = rows[0];
  if (!b || Number(b.n) === 0) return undefined;
  return { start: Number(b.Start), end: Number(b.End) + 1 };
}

/**
 * Some spans of a trace in full (attributes, resource, events, links): the span detail of the
 * trace page, which draws the tree from `traceSkeleton` and asks for the selected span here.
 */
export async function spansOfTrace(
  db: Db,
  id: string,
  spanIds: readonly string[],
): Promise<Omit<Trace, 'truncated'> | undefined> {
  const traceId = traceIdLookupKey(id);
  if (!traceId || spanIds.length === 0) return undefined;
  const b = await traceBounds(db, traceId);
  if (!b) return undefined;
  const rows = await queryRows<TraceSpanRow>(db, {
    what: 'reading spans of a trace',
    query: SOME_SPANS_OF_TRACE_SQL,
    params: { db: db.database, traceId, ...b, spanIds, limit: 1000 },
  });
  return { traceId, ...toTraceSpans(rows) };
}

/** Storage rows -> view spans with their resources deduplicated. */
function toTraceSpans(rows: TraceSpanRow[]): {
  resources: Record<string, string>[];
  spans: TraceSpan[];
} {
  const resources: Record<string, string>[] = [];
  const byKey = new Map<string, number>();
  const resourceIndex = (attrs: Record<string, string>): number => {
    const key = JSON.stringify(attrs);
    let i = byKey.get(key);
    if (i === undefined) {
      i = resources.push(attrs) - 1;
      byKey.set(key, i);
    }
    return i;
  };
  return { resources, spans: rows.map((r) => toTraceSpan(r, resourceIndex)) };
}
