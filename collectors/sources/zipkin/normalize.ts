/**
 * Zipkin v2 spans -> otel_traces rows, mapped as the OpenTelemetry Collector's Zipkin receiver
 * does (shared/reference/traces.md §5): 64-bit trace ids left-padded with zeros to 128 bits,
 * microseconds to DateTime64(9), tags to SpanAttributes, annotations to Events,
 * localEndpoint.serviceName to service.name, an `error` tag to status Error.
 * A shared span (server half reusing the client's id) keeps its ids as sent and is marked with
 * SpanAttributes['zipkin.shared'] = 'true', so views can nest it under its client half.
 */
import { fallbackServiceName } from '../traces-shared/istio-service';
import type {
  NormalizedSpans,
  SpanKindName,
  SpanRow,
  StringMap,
} from '../traces-shared/span-row';
import { formatDateTime64, unixMicrosParts } from '../traces-shared/time';
import type { ZipkinEndpoint, ZipkinSpan } from './wire';

const KINDS: Record<string, SpanKindName> = {
  CLIENT: 'Client',
  SERVER: 'Server',
  PRODUCER: 'Producer',
  CONSUMER: 'Consumer',
};

const HEX = /^[0-9a-f]+$/;
const ZEROS = '00000000000000000000000000000000';

/** Lowercase hex of up to `chars` digits, left-padded to `chars`; undefined when not hex or zero. */
export function zipkinId(v: unknown, chars: number): string | undefined {
  if (typeof v !== 'string' || v.length === 0 || v.length > chars)
    return undefined;
  const lower = v.toLowerCase();
  if (!HEX.test(lower) || /^0+$/.test(lower)) return undefined;
  return ZEROS.slice(0, chars - lower.length) + lower;
}

function endpointAttributes(
  out: StringMap,
  e: ZipkinEndpoint | null | undefined,
  side: 'host' | 'peer',
): void {
  if (!e || typeof e !== 'object') return;
  const ip = e.ipv4 || e.ipv6;
  if (ip) out[`net.${side}.ip`] = String(ip);
  if (e.port) out[`net.${side}.port`] = String(e.port);
  if (side === 'peer' && e.serviceName)
    out['peer.service'] = String(e.serviceName);
}

/** Latest instant a JS Date (and so a row's timestamp) can hold, in epoch microseconds. */
const MAX_EPOCH_US = 8.64e18;

/** Epoch microseconds (or a duration) that a row can hold. */
function isTime(v: unknown): v is number {
  return (
    typeof v === 'number' && Number.isFinite(v) && v > 0 && v <= MAX_EPOCH_US
  );
}

/** One span to a row, or the reason it cannot be stored. */
export function zipkinSpanToRow(span: ZipkinSpan): SpanRow | string {
  const traceId = zipkinId(span.traceId, 32);
  if (!traceId)
    return 'traceId is not 1-32 hex digits (16 or 32 expected), or is zero';
  const spanId = zipkinId(span.id, 16);
  if (!spanId) return 'id is not 1-16 hex digits, or is zero';
  const parent =
    span.parentId == null || span.parentId === ''
      ? ''
      : zipkinId(span.parentId, 16);
  if (parent === undefined) return 'parentId is not 16 hex digits';
  if (!isTime(span.timestamp))
    return 'missing or invalid timestamp (epoch microseconds)';
  const durationUs = isTime(span.duration) ? span.duration : 0;

  const tags: StringMap = {};
  if (span.tags && typeof span.tags === 'object') {
    for (const [k, v] of Object.entries(span.tags))
      tags[k] = typeof v === 'string' ? v : JSON.stringify(v);
  }
  const serviceName =
    typeof span.localEndpoint?.serviceName === 'string'
      ? span.localEndpoint.serviceName
      : '';
  const resource: StringMap = serviceName
    ? { 'service.name': serviceName }
    : {};
  endpointAttributes(tags, span.localEndpoint, 'host');
  endpointAttributes(tags, span.remoteEndpoint, 'peer');
  if (span.shared === true) tags['zipkin.shared'] = 'true';

  const errorTag = tags.error;
  const otelStatus = (tags['otel.status_code'] ?? '').toUpperCase();
  const row: SpanRow = {
    Timestamp: formatDateTime64(unixMicrosParts(span.timestamp)),
    TraceId: traceId,
    SpanId: spanId,
    ParentSpanId: parent,
    TraceState: '',
    SpanName: typeof span.name === 'string' ? span.name : '',
    SpanKind: (span.kind && KINDS[span.kind]) || 'Internal',
    ServiceName: serviceName || fallbackServiceName(resource, tags),
    ResourceAttributes: resource,
    ScopeName: '',
    ScopeVersion: '',
    SpanAttributes: tags,
    Duration: Math.round(durationUs) * 1000,
    StatusCode:
      errorTag !== undefined || otelStatus === 'ERROR'
        ? 'Error'
        : otelStatus === 'OK'
          ? 'Ok'
          : 'Unset',
    StatusMessage:
      errorTag && errorTag !== 'true'
        ? errorTag
        : (tags['otel.status_description'] ?? ''),
    'Events.Timestamp': [],
    'Events.Name': [],
    'Events.Attributes': [],
    'Links.TraceId': [],
    'Links.SpanId': [],
    'Links.TraceState': [],
    'Links.Attributes': [],
  };
  for (const a of Array.isArray(span.annotations) ? span.annotations : []) {
    if (!a || !isTime(a.timestamp)) continue;
    row['Events.Timestamp'].push(
      formatDateTime64(unixMicrosParts(a.timestamp)),
    );
    row['Events.Name'].push(typeof a.value === 'string' ? a.value : '');
    row['Events.Attributes'].push({});
  }
  return row;
}

/** Every span to rows; bad spans are returned as rejected with a reason. */
export function normalizeZipkinSpans(spans: ZipkinSpan[]): NormalizedSpans {
  const out: NormalizedSpans = { rows: [], rejected: [] };
  for (const span of spans) {
    const row =
      span && typeof span === 'object'
        ? zipkinSpanToRow(span)
        : 'span is not an object';
    if (typeof row === 'string')
      out.rejected.push({
        reason: row,
        payload: JSON.stringify(span) ?? 'undefined',
      });
    else out.rows.push(row);
  }
  return out;
}
