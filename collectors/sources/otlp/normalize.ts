/**
 * OTLP wire objects -> otel_traces rows, as the Collector's ClickHouse exporter lays them out.
 * A span with a bad id or no start time is rejected with a reason (dead letter, counted in the
 * partial-success answer); the rest of the request still goes in.
 */
import { fallbackServiceName } from '../traces-shared/istio-service';
import {
  SPAN_KIND_NAMES,
  STATUS_CODE_NAMES,
  type NormalizedSpans,
  type SpanKindName,
  type SpanRow,
  type StatusCodeName,
  type StringMap,
} from '../traces-shared/span-row';
import {
  durationNs,
  formatDateTime64,
  isZeroTime,
  unixNanosParts,
} from '../traces-shared/time';
import { attributesToMap, idToHex } from './any-value';
import type { OtlpEvent, OtlpExportRequest, OtlpLink, OtlpSpan } from './wire';

/** An enum given as an int or (tolerated) as its proto name, e.g. "SPAN_KIND_CLIENT" -> 3. */
function enumIndex(
  v: number | string | null | undefined,
  prefix: string,
  names: readonly string[],
): number {
  if (typeof v === 'number') return v;
  if (typeof v !== 'string' || v === '') return 0;
  if (/^\d+$/.test(v)) return Number(v);
  const name = v.startsWith(prefix) ? v.slice(prefix.length) : v;
  const i = names.findIndex((n) => n.toUpperCase() === name.toUpperCase());
  return i < 0 ? 0 : i;
}

export function spanKindName(
  kind: number | string | null | undefined,
): SpanKindName {
  return (
    SPAN_KIND_NAMES[enumIndex(kind, 'SPAN_KIND_', SPAN_KIND_NAMES)] ??
    'Unspecified'
  );
}

export function statusCodeName(
  code: number | string | null | undefined,
): StatusCodeName {
  return (
    STATUS_CODE_NAMES[enumIndex(code, 'STATUS_CODE_', STATUS_CODE_NAMES)] ??
    'Unset'
  );
}

/** Arrays from the network may be anything in JSON: treat a non-array as empty. */
function list<T>(v: T[] | null | undefined): T[] {
  return Array.isArray(v) ? v : [];
}

/** A string field that JSON may have sent as another type. */
function text(v: unknown): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return v === null || v === undefined ? '' : JSON.stringify(v);
}

function eventColumns(row: SpanRow, events: OtlpEvent[]): void {
  for (const e of events) {
    if (!e || typeof e !== 'object') continue;
    const t = unixNanosParts(e.timeUnixNano ?? '0') ?? { seconds: 0, nanos: 0 };
    row['Events.Timestamp'].push(formatDateTime64(t));
    row['Events.Name'].push(text(e.name));
    row['Events.Attributes'].push(attributesToMap(e.attributes));
  }
}

function linkColumns(row: SpanRow, links: OtlpLink[]): void {
  for (const l of links) {
    if (!l || typeof l !== 'object') continue;
    row['Links.TraceId'].push(idToHex(l.traceId, 16) ?? '');
    row['Links.SpanId'].push(idToHex(l.spanId, 8) ?? '');
    row['Links.TraceState'].push(text(l.traceState));
    row['Links.Attributes'].push(attributesToMap(l.attributes));
  }
}

export interface SpanContext {
  resourceAttributes: StringMap;
  serviceName: string;
  scopeName: string;
  scopeVersion: string;
}

/** One span to a row, or the reason it cannot be stored. */
export function spanToRow(span: OtlpSpan, ctx: SpanContext): SpanRow | string {
  const traceId = idToHex(span.traceId, 16);
  if (!traceId)
    return traceId === ''
      ? 'missing trace_id'
      : 'trace_id is not 16 non-zero bytes';
  const spanId = idToHex(span.spanId, 8);
  if (!spanId)
    return spanId === ''
      ? 'missing span_id'
      : 'span_id is not 8 non-zero bytes';
  const parentSpanId = idToHex(span.parentSpanId, 8);
  if (parentSpanId === undefined)
    return 'parent_span_id is not empty or 8 non-zero bytes';
  const start = unixNanosParts(span.startTimeUnixNano ?? '0');
  if (!start || isZeroTime(start))
    return 'missing or invalid start_time_unix_nano';
  const end = unixNanosParts(span.endTimeUnixNano ?? '0') ?? start;
  const spanAttributes = attributesToMap(span.attributes);
  const row: SpanRow = {
    Timestamp: formatDateTime64(start),
    TraceId: traceId,
    SpanId: spanId,
    ParentSpanId: parentSpanId,
    TraceState: text(span.traceState),
    SpanName: text(span.name),
    SpanKind: spanKindName(span.kind),
    ServiceName:
      ctx.serviceName ||
      fallbackServiceName(ctx.resourceAttributes, spanAttributes),
    ResourceAttributes: ctx.resourceAttributes,
    ScopeName: ctx.scopeName,
    ScopeVersion: ctx.scopeVersion,
    SpanAttributes: spanAttributes,
    Duration: durationNs(start, end),
    StatusCode: statusCodeName(span.status?.code),
    StatusMessage: text(span.status?.message),
    'Events.Timestamp': [],
    'Events.Name': [],
    'Events.Attributes': [],
    'Links.TraceId': [],
    'Links.SpanId': [],
    'Links.TraceState': [],
    'Links.Attributes': [],
  };
  if (span.events?.length) eventColumns(row, list(span.events));
  if (span.links?.length) linkColumns(row, list(span.links));
  return row;
}

function payloadOf(span: OtlpSpan): string {
  try {
    return JSON.stringify(span);
  } catch {
    return '(unserialisable span)';
  }
}

/** Every span of an export request to rows; bad spans are returned as rejected with a reason. */
export function normalizeOtlpTraces(req: OtlpExportRequest): NormalizedSpans {
  const out: NormalizedSpans = { rows: [], rejected: [] };
  for (const rs of list(req.resourceSpans)) {
    if (!rs || typeof rs !== 'object') continue;
    const resourceAttributes = attributesToMap(rs.resource?.attributes);
    const serviceName = resourceAttributes['service.name'] ?? '';
    const scopeSpans = list(rs.scopeSpans);
    const scopes = scopeSpans.length
      ? scopeSpans
      : list(rs.instrumentationLibrarySpans);
    for (const ss of scopes) {
      if (!ss || typeof ss !== 'object') continue;
      const ctx: SpanContext = {
        resourceAttributes,
        serviceName,
        scopeName: text(ss.scope?.name),
        scopeVersion: text(ss.scope?.version),
      };
      for (const span of list(ss.spans)) {
        const row =
          span && typeof span === 'object'
            ? spanToRow(span, ctx)
            : 'span is not an object';
        if (typeof row === 'string')
          out.rejected.push({ reason: row, payload: payloadOf(span) });
        else out.rows.push(row);
      }
    }
  }
  return out;
}
