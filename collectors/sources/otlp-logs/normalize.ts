/**
 * OTLP logs (protobuf-decoded or OTLP/JSON, same camelCase shape) -> rows. A record whose body is
 * an Envoy access-log line (Istio's `envoyOtelAls` provider: the text format in `body`), or whose
 * attributes are Istio's JSON keys (`logFormat.labels`), becomes a mesh_requests row; any other
 * record goes to `otel_logs` (the OpenTelemetry Collector ClickHouse exporter's table).
 */
import type { AccessLogIngester } from '../envoy-access-log/ingest';
import { normalizeRecord } from '../envoy-access-log/normalize';
import type { MeshRequestRow, ProxyContext } from '../envoy-access-log/row';
import { contextFromPod } from '../envoy-access-log/context';
import { contextFromNode } from '../envoy-als/normalize';

/* The wire shape: protobufjs objects (Long, Uint8Array) or OTLP/JSON (strings, hex ids). */
type Int64 = number | string | { toString(): string } | null | undefined;
type Id = Uint8Array | string | null | undefined;
export interface OtlpAnyValue {
  stringValue?: string | null;
  boolValue?: boolean | null;
  intValue?: Int64;
  doubleValue?: number | null;
  arrayValue?: { values?: OtlpAnyValue[] | null } | null;
  kvlistValue?: { values?: OtlpKeyValue[] | null } | null;
  bytesValue?: Uint8Array | string | null;
}
export interface OtlpKeyValue {
  key?: string | null;
  value?: OtlpAnyValue | null;
}
export interface OtlpLogRecord {
  timeUnixNano?: Int64;
  observedTimeUnixNano?: Int64;
  severityNumber?: number | string | null;
  severityText?: string | null;
  body?: OtlpAnyValue | null;
  attributes?: OtlpKeyValue[] | null;
  flags?: number | null;
  traceId?: Id;
  spanId?: Id;
  eventName?: string | null;
}
export interface OtlpLogsRequest {
  resourceLogs?: Array<{
    resource?: { attributes?: OtlpKeyValue[] | null } | null;
    schemaUrl?: string | null;
    scopeLogs?: Array<{
      scope?: {
        name?: string | null;
        version?: string | null;
        attributes?: OtlpKeyValue[] | null;
      } | null;
      schemaUrl?: string | null;
      logRecords?: OtlpLogRecord[] | null;
    }> | null;
  }> | null;
}

/** The otel_logs row (OpenTelemetry Collector ClickHouse exporter column names). */
export interface OtelLogRow {
  Timestamp: string;
  TraceId: string;
  SpanId: string;
  TraceFlags: number;
  SeverityText: string;
  SeverityNumber: number;
  ServiceName: string;
  Body: string;
  ResourceSchemaUrl: string;
  ResourceAttributes: Record<string, string>;
  ScopeSchemaUrl: string;
  ScopeName: string;
  ScopeVersion: string;
  ScopeAttributes: Record<string, string>;
  LogAttributes: Record<string, string>;
  EventName: string;
}

/** AnyValue as text, the way the Collector's exporter stores it (strings as is, others JSON). */
export function anyValueText(v: OtlpAnyValue | null | undefined): string {
  if (!v) return '';
  if (v.stringValue !== undefined && v.stringValue !== null)
    return v.stringValue;
  if (v.boolValue !== undefined && v.boolValue !== null)
    return String(v.boolValue);
  if (v.intValue !== undefined && v.intValue !== null)
    return String(v.intValue);
  if (v.doubleValue !== undefined && v.doubleValue !== null)
    return String(v.doubleValue);
  if (v.bytesValue)
    return typeof v.bytesValue === 'string'
      ? v.bytesValue
      : Buffer.from(v.bytesValue).toString('base64');
  return JSON.stringify(anyValueJs(v));
}

function anyValueJs(v: OtlpAnyValue | null | undefined): unknown {
  if (!v) return null;
  if (v.arrayValue) return (v.arrayValue.values ?? []).map(anyValueJs);
  if (v.kvlistValue)
    return Object.fromEntries(
      (v.kvlistValue.values ?? []).map((kv) => [
        kv.key ?? '',
        anyValueJs(kv.value),
      ]),
    );
  if (v.intValue !== undefined && v.intValue !== null)
    return Number(String(v.intValue));
  if (v.doubleValue !== undefined && v.doubleValue !== null)
    return v.doubleValue;
  if (v.boolValue !== undefined && v.boolValue !== null) return v.boolValue;
  return v.stringValue ?? null;
}

export function attributesMap(
  attrs: OtlpKeyValue[] | null | undefined,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const kv of attrs ?? [])
    if (kv.key) out[kv.key] = anyValueText(kv.value);
  return out;
}

function idHex(v: Id): string {
  if (!v || v.length === 0) return '';
  if (typeof v === 'string') return v.toLowerCase();
  // protobufjs gives a Buffer, or a plain empty array for an unset field.
  let hex = (Buffer.isBuffer(v) ? v : Buffer.from(v)).toString('hex');
  if (/^0+$/.test(hex)) hex = '';
  return hex;
}

/** Unix nanoseconds -> 'YYYY-MM-DD hh:mm:ss.nnnnnnnnn' (UTC, full precision). */
export function nanosToDateTime64(v: Int64): string {
  const text = v === null || v === undefined ? '0' : String(v);
  let ns = /^\d+$/.test(text) ? BigInt(text) : 0n;
  if (ns === 0n) ns = BigInt(Date.now()) * 1_000_000n;
  const ms = Number(ns / 1_000_000n);
  const frac = (ns % 1_000_000_000n).toString().padStart(9, '0');
  return `${new Date(ms).toISOString().slice(0, 19).replace('T', ' ')}.${frac}`;
}

/** Who wrote the records: Envoy's pre-1.20 builtin labels (node_name) or k8s resource attributes. */
function contextFromResource(
  res: Record<string, string>,
): ProxyContext | undefined {
  if (res['node_name']) return contextFromNode({ id: res['node_name'] });
  const pod = res['k8s.pod.name'];
  const ns = res['k8s.namespace.name'];
  if (pod && ns) return contextFromPod(pod, ns, res['k8s.container.name']);
  return undefined;
}

export interface NormalizedLogs {
  requests: MeshRequestRow[];
  logs: OtelLogRow[];
}

/** Splits an export request into mesh-request rows and plain log rows. */
export function normalizeOtlpLogs(
  req: OtlpLogsRequest,
  ingester: AccessLogIngester,
): NormalizedLogs {
  const out: NormalizedLogs = { requests: [], logs: [] };
  for (const rl of req.resourceLogs ?? []) {
    const resource = attributesMap(rl.resource?.attributes);
    const ctx = contextFromResource(resource);
    for (const sl of rl.scopeLogs ?? []) {
      for (const lr of sl.logRecords ?? []) {
        const attrs = attributesMap(lr.attributes);
        const body = anyValueText(lr.body);
        const rec =
          ingester.decoder.decodeObject(attrs) ??
          (body.length > 0 && lr.body?.stringValue !== undefined
            ? ingester.decoder.decode(body.replace(/\r?\n$/, ''))
            : undefined);
        if (rec) {
          const row = normalizeRecord(rec, 'otlp_logs', ctx);
          if (row.TraceId === '')
            row.TraceId = idHex(lr.traceId)
              .padStart(32, '0')
              .replace(/^0{32}$/, '');
          out.requests.push(row);
          continue;
        }
        out.logs.push({
          Timestamp: nanosToDateTime64(
            lr.timeUnixNano && String(lr.timeUnixNano) !== '0'
              ? lr.timeUnixNano
              : lr.observedTimeUnixNano,
          ),
          TraceId: idHex(lr.traceId),
          SpanId: idHex(lr.spanId),
          TraceFlags: (lr.flags ?? 0) & 0xff,
          SeverityText: lr.severityText ?? '',
          SeverityNumber:
            typeof lr.severityNumber === 'number' ? lr.severityNumber : 0,
          ServiceName: resource['service.name'] ?? '',
          Body: body,
          ResourceSchemaUrl: rl.schemaUrl ?? '',
          ResourceAttributes: resource,
          ScopeSchemaUrl: sl.schemaUrl ?? '',
          ScopeName: sl.scope?.name ?? '',
          ScopeVersion: sl.scope?.version ?? '',
          ScopeAttributes: attributesMap(sl.scope?.attributes),
          LogAttributes: attrs,
          EventName: lr.eventName ?? '',
        });
      }
    }
  }
  return out;
}
