/**
 * Trace search (table otel_traces), Jaeger's semantics: a trace matches when ONE of its spans in
 * the window matches every filter (service, operation, tags, duration, error). Answers one page of
 * trace summaries, newest first, with the total number of matching traces. Request ids match the
 * span tag Envoy sets (`guid:x-request-id`) and, through mesh_requests, the trace id an access-log
 * line carries. SQL text is picked from the fixed fragments below; values travel as parameters.
 */
import type { Db } from '../db/client';
import { queryRows } from './clickhouse';

export interface TagFilter {
  key: string;
  value: string;
}

export interface TraceSearch {
  /** Window on span start, Unix ms (end exclusive). */
  startMs: number;
  endMs: number;
  /** Stored ServiceName (`reviews.bookinfo`), or the app part of it (`reviews`). */
  service?: string | undefined;
  /** Only traces in which this service (same forms as `service`) has spans too: an edge's caller. */
  caller?: string | undefined;
  operation?: string | undefined;
  /** Each must hold on the span or its resource (values compared as strings). */
  tags?: readonly TagFilter[] | undefined;
  minDurationMs?: number | undefined;
  maxDurationMs?: number | undefined;
  errorsOnly?: boolean | undefined;
  requestId?: string | undefined;
  limit: number;
  offset: number;
}

export interface TraceServiceCount {
  service: string;
  spans: number;
  errors: number;
}

export interface TraceSummary {
  traceId: string;
  /** Start of the earliest span, Unix ms. */
  startMs: number;
  /** Earliest start to latest end, ms. */
  durationMs: number;
  spanCount: number;
  errorCount: number;
  /** The root span (no parent), else the earliest span (a trace whose root was not received). */
  root: { service: string; name: string; complete: boolean };
  /** Services by span count, most first. */
  services: TraceServiceCount[];
}

export interface TraceSearchResult {
  traces: TraceSummary[];
  /** Matching traces in the window (all pages). */
  total: number;
  limit: number;
  offset: number;
}

export const MAX_TAG_FILTERS = 10;

/** Parses `key=value` (the first `=` splits; the value may hold more). Undefined when no `=`. */
export function parseTag(text: string): TagFilter | undefined {
  const i = text.indexOf('=');
  if (i <= 0) return undefined;
  const key = text.slice(0, i).trim();
  const value = text.slice(i + 1).trim();
  return key ? { key, value } : undefined;
}

interface Where {
  sql: string;
  params: Record<string, unknown>;
}

/** The span conditions of a search: fixed SQL fragments chosen by which filters are set. */
export function spanConditions(s: TraceSearch): Where {
  const parts = [
    'Timestamp >= fromUnixTimestamp64Milli({start:Int64})',
    'Timestamp < fromUnixTimestamp64Milli({end:Int64})',
  ];
  const params: Record<string, unknown> = {
    start: Math.floor(s.startMs),
    end: Math.ceil(s.endMs),
  };
  if (s.service) {
    parts.push(
      "(ServiceName = {service:String} OR startsWith(ServiceName, concat({service:String}, '.')))",
    );
    params.service = s.service;
  }
  if (s.caller) {
    parts.push(`TraceId IN (SELECT TraceId FROM {db:Identifier}.otel_traces
      WHERE Timestamp >= fromUnixTimestamp64Milli({start:Int64})
        AND Timestamp < fromUnixTimestamp64Milli({end:Int64})
        AND (ServiceName = {caller:String} OR startsWith(ServiceName, concat({caller:String}, '.'))))`);
    params.caller = s.caller;
  }
  if (s.operation) {
    parts.push('SpanName = {operation:String}');
    params.operation = s.operation;
  }
  const tags = (s.tags ?? []).slice(0, MAX_TAG_FILTERS);
  tags.forEach((t, i) => {
    parts.push(
      `(SpanAttributes[{tk${i}:String}] = {tv${i}:String} OR ResourceAttributes[{tk${i}:String}] = {tv${i}:String})`,
    );
    params[`tk${i}`] = t.key;
    params[`tv${i}`] = t.value;
  });
  if (s.minDurationMs !== undefined && s.minDurationMs > 0) {
    parts.push('Duration >= {minNs:UInt64}');
    params.minNs = Math.round(s.minDurationMs * 1e6);
  }
  if (s.maxDurationMs !== undefined && s.maxDurationMs > 0) {
    parts.push('Duration <= {maxNs:UInt64}');
    params.maxNs = Math.round(s.maxDurationMs * 1e6);
  }
  if (s.errorsOnly) {
    parts.push("(StatusCode = 'Error' OR SpanAttributes['error'] = 'true')");
  }
  if (s.requestId) {
    // 64-bit trace ids in access logs are stored as given: pad them as the spans table does.
    parts.push(`(SpanAttributes['guid:x-request-id'] = {requestId:String}
      OR TraceId IN (SELECT lower(leftPad(TraceId, 32, '0')) FROM {db:Identifier}.mesh_requests
                      WHERE RequestId = {requestId:String} AND TraceId != ''
                        AND Timestamp >= fromUnixTimestamp64Milli({start:Int64})
                        AND Timestamp < fromUnixTimestamp64Milli({end:Int64})))`);
    params.requestId = s.requestId;
  }
  return { sql: parts.join('\n AND '), params };
}

interface PageRow {
  TraceId: string;
  total: number | string;
}

interface SummaryRow {
  TraceId: string;
  startUs: number | string;
  endUs: number | string;
  spans: number | string;
  errors: number | string;
  roots: number | string;
  rootService: string;
  rootName: string;
  firstService: string;
  firstName: string;
  svcSpans: [string[], (number | string)[]];
  svcErrors: [string[], (number | string)[]];
}

/** Storage row -> view model. Exported for tests. */
export function toTraceSummary(r: SummaryRow): TraceSummary {
  const [names, counts] = r.svcSpans;
  const errorsBy = new Map(
    r.svcErrors[0].map((n, i) => [n, Number(r.svcErrors[1][i] ?? 0)]),
  );
  const startUs = Number(r.startUs);
  const complete = Number(r.roots) > 0;
  return {
    traceId: r.TraceId,
    startMs: startUs / 1000,
    durationMs: Math.max(0, Number(r.endUs) - startUs) / 1000,
    spanCount: Number(r.spans),
    errorCount: Number(r.errors),
    root: complete
      ? { service: r.rootService, name: r.rootName, complete }
      : { service: r.firstService, name: r.firstName, complete },
    services: names
      .map((service, i) => ({
        service,
        spans: Number(counts[i] ?? 0),
        errors: errorsBy.get(service) ?? 0,
      }))
      .sort((a, b) => b.spans - a.spans || a.service.localeCompare(b.service)),
  };
}

/** Summaries of the given traces (all their spans, bounded by the trace-id lookup table). */
export async function traceSummaries(
  db: Db,
  traceIds: readonly string[],
): Promise<TraceSummary[]> {
  if (traceIds.length === 0) return [];
  const rows = await queryRows<SummaryRow>(db, {
    what: 'summarising traces',
    query: `WITH bounds AS (
              SELECT min(Start) AS lo, max(End) + 1 AS hi
                FROM {db:Identifier}.otel_traces_trace_id_ts
               WHERE TraceId IN {ids:Array(String)})
            SELECT TraceId,
                   min(toUnixTimestamp64Micro(Timestamp)) AS startUs,
                   max(toUnixTimestamp64Micro(Timestamp) + intDiv(Duration, 1000)) AS endUs,
                   count() AS spans,
                   countIf(StatusCode = 'Error') AS errors,
                   countIf(ParentSpanId = '') AS roots,
                   argMinIf(ServiceName, Timestamp, ParentSpanId = '') AS rootService,
                   argMinIf(SpanName, Timestamp, ParentSpanId = '') AS rootName,
                   argMin(ServiceName, Timestamp) AS firstService,
                   argMin(SpanName, Timestamp) AS firstName,
                   sumMap([ServiceName], [toUInt64(1)]) AS svcSpans,
                   sumMap([ServiceName], [toUInt64(StatusCode = 'Error')]) AS svcErrors
              FROM {db:Identifier}.otel_traces
             WHERE TraceId IN {ids:Array(String)}
               AND Timestamp >= (SELECT toDateTime64(lo, 9) FROM bounds)
               AND Timestamp < (SELECT toDateTime64(hi, 9) FROM bounds)
             GROUP BY TraceId`,
    params: { db: db.database, ids: traceIds },
  });
  const byId = new Map(rows.map((r) => [r.TraceId, toTraceSummary(r)]));
  return traceIds.flatMap((id) => {
    const s = byId.get(id);
    return s ? [s] : [];
  });
}

/** One page of traces matching a search, newest first. */
export async function searchTraces(
  db: Db,
  s: TraceSearch,
): Promise<TraceSearchResult> {
  const where = spanConditions(s);
  const page = await queryRows<PageRow>(db, {
    what: 'searching traces',
    query: `SELECT TraceId, count() OVER () AS total
              FROM (SELECT TraceId, min(Timestamp) AS first
                      FROM {db:Identifier}.otel_traces
                     WHERE ${where.sql}
                     GROUP BY TraceId)
             ORDER BY first DESC, TraceId
             LIMIT {limit:UInt32} OFFSET {offset:UInt32}`,
    params: {
      db: db.database,
      ...where.params,
      limit: s.limit,
      offset: s.offset,
    },
  });
  const total = page[0] ? Number(page[0].total) : 0;
  // An offset past the end still needs the total: ask for it alone.
  const totalAll =
    page.length === 0 && s.offset > 0 ? await countTraces(db, where) : total;
  const traces = await traceSummaries(
    db,
    page.map((r) => r.TraceId),
  );
  return { traces, total: totalAll, limit: s.limit, offset: s.offset };
}

async function countTraces(db: Db, where: Where): Promise<number> {
  const rows = await queryRows<{ n: number | string }>(db, {
    what: 'counting traces',
    query: `SELECT uniqExact(TraceId) AS n FROM {db:Identifier}.otel_traces WHERE ${where.sql}`,
    params: { db: db.database, ...where.params },
  });
  return Number(rows[0]?.n ?? 0);
}

/** Services that sent spans in a window, and the operations of one of them, for the form. */
export async function traceServices(
  db: Db,
  w: { startMs: number; endMs: number },
): Promise<{ service: string; operations: string[] }[]> {
  const rows = await queryRows<{ ServiceName: string; ops: string[] }>(db, {
    what: 'listing traced services',
    query: `SELECT ServiceName, arraySort(groupUniqArray(200)(SpanName)) AS ops
              FROM {db:Identifier}.otel_traces
             WHERE Timestamp >= fromUnixTimestamp64Milli({start:Int64})
               AND Timestamp < fromUnixTimestamp64Milli({end:Int64})
             GROUP BY ServiceName
             ORDER BY ServiceName
             LIMIT 1000`,
    params: {
      db: db.database,
      start: Math.floor(w.startMs),
      end: Math.ceil(w.endMs),
    },
  });
  return rows.map((r) => ({ service: r.ServiceName, operations: r.ops }));
}
