/**
 * The storage row of the `otel_traces` table (migrations/0001_spans.sql): column names and value
 * formats of the OpenTelemetry Collector ClickHouse exporter, so spans written by otelcol-contrib
 * and by Meshlens are one data set. Nested columns are sent flattened ("Events.Name": [...]).
 */

/** SpanKind as the exporter writes it (pdata SpanKind.String()), indexed by the OTLP enum. */
export const SPAN_KIND_NAMES = [
  'Unspecified',
  'Internal',
  'Server',
  'Client',
  'Producer',
  'Consumer',
] as const;
export type SpanKindName = (typeof SPAN_KIND_NAMES)[number];

/** StatusCode as the exporter writes it, indexed by the OTLP enum (0 unset, 1 ok, 2 error). */
export const STATUS_CODE_NAMES = ['Unset', 'Ok', 'Error'] as const;
export type StatusCodeName = (typeof STATUS_CODE_NAMES)[number];

export type StringMap = Record<string, string>;

export interface SpanRow {
  /** Span start, 'YYYY-MM-DD HH:MM:SS.nnnnnnnnn' UTC (DateTime64(9)). */
  Timestamp: string;
  /** 32 lowercase hex chars (64-bit ids are left-padded with zeros). */
  TraceId: string;
  /** 16 lowercase hex chars. */
  SpanId: string;
  /** 16 lowercase hex chars, '' for a root span. */
  ParentSpanId: string;
  TraceState: string;
  SpanName: string;
  SpanKind: SpanKindName;
  ServiceName: string;
  ResourceAttributes: StringMap;
  ScopeName: string;
  ScopeVersion: string;
  SpanAttributes: StringMap;
  /** End minus start in nanoseconds (0 when the end is before the start). */
  Duration: number;
  StatusCode: StatusCodeName;
  StatusMessage: string;
  'Events.Timestamp': string[];
  'Events.Name': string[];
  'Events.Attributes': StringMap[];
  'Links.TraceId': string[];
  'Links.SpanId': string[];
  'Links.TraceState': string[];
  'Links.Attributes': StringMap[];
}

/** A span a receiver could not store, with why; it goes to the dead letters and counts as rejected. */
export interface RejectedSpan {
  reason: string;
  /** The span as the sender sent it (JSON text), for the dead-letter payload. */
  payload: string;
}

export interface NormalizedSpans {
  rows: SpanRow[];
  rejected: RejectedSpan[];
}

export const SPANS_TABLE = 'otel_traces';
