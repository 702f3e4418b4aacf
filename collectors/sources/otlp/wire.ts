/**
 * OTLP trace wire objects, the shape both decoders return: protobufjs messages (ids as bytes,
 * 64-bit ints as Long) and OTLP/JSON (ids as hex strings, 64-bit ints as strings or numbers)
 * have the same lowerCamelCase field names, so one normalizer reads both. Everything is optional
 * and loosely typed: these come from the network.
 */
import type { Int64Bits } from '../traces-shared/time';

/** Bytes (protobuf) or text (JSON: hex, or base64 from tools that emit standard proto JSON). */
export type OtlpId = Uint8Array | string;
export type OtlpInt64 = Int64Bits | string | number;

export interface OtlpAnyValue {
  /** protobufjs only: the name of the oneof member that is set. */
  value?: string;
  stringValue?: string | null;
  boolValue?: boolean | null;
  intValue?: OtlpInt64 | null;
  doubleValue?: number | string | null;
  arrayValue?: { values?: OtlpAnyValue[] | null } | null;
  kvlistValue?: { values?: OtlpKeyValue[] | null } | null;
  bytesValue?: Uint8Array | string | null;
}

export interface OtlpKeyValue {
  key?: string | null;
  value?: OtlpAnyValue | null;
}

export interface OtlpEvent {
  timeUnixNano?: OtlpInt64 | null;
  name?: string | null;
  attributes?: OtlpKeyValue[] | null;
}

export interface OtlpLink {
  traceId?: OtlpId | null;
  spanId?: OtlpId | null;
  traceState?: string | null;
  attributes?: OtlpKeyValue[] | null;
}

export interface OtlpSpan {
  traceId?: OtlpId | null;
  spanId?: OtlpId | null;
  traceState?: string | null;
  parentSpanId?: OtlpId | null;
  flags?: number | null;
  name?: string | null;
  /** An int, or (tolerated) an enum name such as "SPAN_KIND_CLIENT". */
  kind?: number | string | null;
  startTimeUnixNano?: OtlpInt64 | null;
  endTimeUnixNano?: OtlpInt64 | null;
  attributes?: OtlpKeyValue[] | null;
  events?: OtlpEvent[] | null;
  links?: OtlpLink[] | null;
  status?: { code?: number | string | null; message?: string | null } | null;
}

export interface OtlpScopeSpans {
  scope?: { name?: string | null; version?: string | null } | null;
  spans?: OtlpSpan[] | null;
}

export interface OtlpResourceSpans {
  resource?: { attributes?: OtlpKeyValue[] | null } | null;
  scopeSpans?: OtlpScopeSpans[] | null;
  /** OTLP before 0.15 (and Tempo's older API): the former name of scopeSpans. */
  instrumentationLibrarySpans?: OtlpScopeSpans[] | null;
}

export interface OtlpExportRequest {
  resourceSpans?: OtlpResourceSpans[] | null;
}
