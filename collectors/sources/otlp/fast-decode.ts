/**
 * Binary OTLP traces straight to otel_traces rows, in one pass over the protobuf bytes: no
 * protobufjs message objects, Longs or attribute arrays in between (allocation and garbage
 * collection were most of the decode + normalize cost). It gives exactly what
 * `normalizeOtlpTraces(decodeOtlpProtobuf(body))` gives, and hands over to that path for anything
 * it does not take itself: a span that would be rejected (bad id, no start), a value past what
 * it reads (10-byte varints, times after 2262), or bytes that do not parse. Array, kvlist and bytes attribute
 * values are decoded by protobufjs and converted by the shared any-value.ts.
 */
import { fallbackServiceName } from '../traces-shared/istio-service';
import {
  SPAN_KIND_NAMES,
  STATUS_CODE_NAMES,
  type NormalizedSpans,
  type SpanRow,
  type StringMap,
} from '../traces-shared/span-row';
import { formatDateTime64, type TimeParts } from '../traces-shared/time';
import { anyValueToString } from './any-value';
import { decodeOtlpProtobuf } from './decode';
import { normalizeOtlpTraces } from './normalize';
import { AnyValue } from './proto';
import type { OtlpAnyValue } from './wire';
import { FIXED64, handOver, LEN, ProtoReader, VARINT } from '../proto-reader';

/** Buffer's own slicers, without toString's argument handling (protobufjs calls them too). */
interface Slicers {
  utf8Slice(start: number, end: number): string;
  latin1Slice(start: number, end: number): string;
  hexSlice(start: number, end: number): string;
}

/**
 * Short ASCII strings repeat (attribute keys, methods, namespaces, status codes): one copy of
 * each, found by a hash of its bytes and checked byte by byte, instead of a new string each time.
 */
const SHORT = 24;
const shortStrings = new Map<number, string>();

function textOf(buf: Buffer, start: number, end: number): string {
  const n = end - start;
  if (n === 0) return '';
  const slicers = buf as unknown as Slicers;
  if (n > SHORT) return slicers.utf8Slice(start, end);
  let h = n;
  for (let i = start; i < end; i++) {
    const b = buf[i]!;
    if (b >= 0x80) return slicers.utf8Slice(start, end);
    h = Math.imul(h ^ b, 16777619);
  }
  const known = shortStrings.get(h);
  if (known !== undefined && known.length === n) {
    let same = true;
    for (let i = 0; i < n; i++)
      if (known.charCodeAt(i) !== buf[start + i]) {
        same = false;
        break;
      }
    if (same) return known;
  }
  const text = slicers.latin1Slice(start, end); // ASCII: latin1 is the same bytes
  if (shortStrings.size >= 16384) shortStrings.clear();
  shortStrings.set(h, text);
  return text;
}

class Reader extends ProtoReader {
  string(start: number): string {
    return textOf(this.buf, start, this.pos);
  }

  /** Unsigned fixed64 nanoseconds since the epoch, split exactly into seconds and nanos. */
  unixNanos(): TimeParts {
    if (this.pos + 8 > this.end) throw handOver;
    const lo = this.buf.readUInt32LE(this.pos);
    const hi = this.buf.readUInt32LE(this.pos + 4);
    this.pos += 8;
    if (hi >= 0x80000000) throw handOver; // past 2262: let the general path decide
    // An estimate of the seconds (a double is off by a few hundred ns here), then the exact
    // remainder from the low 32 bits (it is small, so its value mod 2^32 says it all).
    let seconds = Math.floor((hi * 4294967296 + lo) / 1e9);
    let nanos = (lo - Math.imul(seconds, 1e9)) >>> 0;
    if (nanos >= 0x80000000) nanos -= 4294967296;
    while (nanos < 0) {
      seconds--;
      nanos += 1e9;
    }
    while (nanos >= 1e9) {
      seconds++;
      nanos -= 1e9;
    }
    return { seconds, nanos };
  }
}

function isZero(buf: Buffer, start: number, end: number): boolean {
  for (let i = start; i < end; i++) if (buf[i] !== 0) return false;
  return true;
}

/** An id field: lowercase hex of exactly `bytes` non-zero bytes, else undefined. */
function idHex(r: Reader, start: number, bytes: number): string | undefined {
  if (r.pos - start !== bytes || isZero(r.buf, start, r.pos)) return undefined;
  return (r.buf as unknown as Slicers).hexSlice(start, r.pos);
}

/** AnyValue -> the text the Map columns hold (anyValueToString). */
function anyValue(r: Reader, end: number): string {
  const start = r.pos;
  let out = '';
  while (r.pos < end) {
    const tag = r.varint();
    const field = tag >>> 3;
    const wt = tag & 7;
    if (field === 1 && wt === LEN) {
      const s = r.len();
      out = r.string(s);
    } else if (field === 2 && wt === VARINT) {
      out = r.varint() !== 0 ? 'true' : 'false';
    } else if (field >= 3 && field <= 7) {
      // int64 (signed, maybe negative), double, array, kvlist, bytes: the shared conversion
      r.pos = end;
      return anyValueToString(
        AnyValue.decode(r.buf.subarray(start, end)) as unknown as OtlpAnyValue,
      );
    } else r.skip(wt);
  }
  if (r.pos !== end) throw handOver;
  return out;
}

/** repeated KeyValue into `out` (a repeated key keeps its last value; empty keys are dropped). */
function keyValue(r: Reader, end: number, out: StringMap): void {
  let key = '';
  let value = '';
  while (r.pos < end) {
    const tag = r.varint();
    const field = tag >>> 3;
    const wt = tag & 7;
    if (field === 1 && wt === LEN) {
      const s = r.len();
      key = r.string(s);
    } else if (field === 2 && wt === LEN) {
      const s = r.len();
      const e = r.pos;
      r.pos = s;
      value = anyValue(r, e);
    } else r.skip(wt);
  }
  if (r.pos !== end) throw handOver;
  if (key) out[key] = value;
}

/** Reads a message field's body with `fn`, leaving the reader after it. */
function sub(r: Reader, fn: (end: number) => void): void {
  const start = r.len();
  const end = r.pos;
  r.pos = start;
  fn(end);
  if (r.pos !== end) throw handOver;
}

interface Scope {
  resourceAttributes: StringMap;
  serviceName: string;
  scopeName: string;
  scopeVersion: string;
}

function event(r: Reader, end: number, row: SpanRow): void {
  let time: TimeParts = { seconds: 0, nanos: 0 };
  let name = '';
  const attrs: StringMap = {};
  while (r.pos < end) {
    const tag = r.varint();
    const field = tag >>> 3;
    const wt = tag & 7;
    if (field === 1 && wt === FIXED64) time = r.unixNanos();
    else if (field === 2 && wt === LEN) {
      const s = r.len();
      name = r.string(s);
    } else if (field === 3 && wt === LEN) sub(r, (e) => keyValue(r, e, attrs));
    else r.skip(wt);
  }
  row['Events.Timestamp'].push(formatDateTime64(time));
  row['Events.Name'].push(name);
  row['Events.Attributes'].push(attrs);
}

function link(r: Reader, end: number, row: SpanRow): void {
  let traceId = '';
  let spanId = '';
  let traceState = '';
  const attrs: StringMap = {};
  while (r.pos < end) {
    const tag = r.varint();
    const field = tag >>> 3;
    const wt = tag & 7;
    if (field === 1 && wt === LEN) {
      const s = r.len();
      traceId = idHex(r, s, 16) ?? '';
    } else if (field === 2 && wt === LEN) {
      const s = r.len();
      spanId = idHex(r, s, 8) ?? '';
    } else if (field === 3 && wt === LEN) {
      const s = r.len();
      traceState = r.string(s);
    } else if (field === 4 && wt === LEN) sub(r, (e) => keyValue(r, e, attrs));
    else r.skip(wt);
  }
  row['Links.TraceId'].push(traceId);
  row['Links.SpanId'].push(spanId);
  row['Links.TraceState'].push(traceState);
  row['Links.Attributes'].push(attrs);
}

function status(
  r: Reader,
  end: number,
  out: { code: number; message: string },
): void {
  while (r.pos < end) {
    const tag = r.varint();
    if (tag === ((2 << 3) | LEN)) {
      const s = r.len();
      out.message = r.string(s);
    } else if (tag === ((3 << 3) | VARINT)) out.code = r.varint();
    else r.skip(tag & 7);
  }
}

/** One Span to a row (as normalize.ts spanToRow); hands over when the span would be rejected. */
function span(r: Reader, end: number, scope: Scope): SpanRow {
  let traceId: string | undefined;
  let spanId: string | undefined;
  let parentSpanId = '';
  let traceState = '';
  let name = '';
  let kind = 0;
  let start: TimeParts | undefined;
  let finish: TimeParts = { seconds: 0, nanos: 0 };
  const attrs: StringMap = {};
  const st = { code: 0, message: '' };
  const nested = {
    'Events.Timestamp': [],
    'Events.Name': [],
    'Events.Attributes': [],
    'Links.TraceId': [],
    'Links.SpanId': [],
    'Links.TraceState': [],
    'Links.Attributes': [],
  } as unknown as SpanRow;
  while (r.pos < end) {
    const tag = r.varint();
    const field = tag >>> 3;
    const wt = tag & 7;
    if (wt === LEN) {
      if (field === 9) sub(r, (e) => keyValue(r, e, attrs));
      else if (field === 11) sub(r, (e) => event(r, e, nested));
      else if (field === 13) sub(r, (e) => link(r, e, nested));
      else if (field === 15) sub(r, (e) => status(r, e, st));
      else {
        const s = r.len();
        if (field === 1) traceId = idHex(r, s, 16);
        else if (field === 2) spanId = idHex(r, s, 8);
        else if (field === 3) traceState = r.string(s);
        else if (field === 4) {
          parentSpanId = r.pos === s ? '' : (idHex(r, s, 8) ?? '');
          if (r.pos !== s && !parentSpanId) throw handOver;
        } else if (field === 5) name = r.string(s);
      }
    } else if (field === 6 && wt === VARINT) kind = r.varint();
    else if (field === 7 && wt === FIXED64) start = r.unixNanos();
    else if (field === 8 && wt === FIXED64) finish = r.unixNanos();
    else r.skip(wt);
  }
  if (
    !traceId ||
    !spanId ||
    !start ||
    (start.seconds === 0 && start.nanos === 0)
  )
    throw handOver;
  const d =
    (finish.seconds - start.seconds) * 1e9 + (finish.nanos - start.nanos);
  return {
    Timestamp: formatDateTime64(start),
    TraceId: traceId,
    SpanId: spanId,
    ParentSpanId: parentSpanId,
    TraceState: traceState,
    SpanName: name,
    SpanKind: SPAN_KIND_NAMES[kind] ?? 'Unspecified',
    ServiceName:
      scope.serviceName || fallbackServiceName(scope.resourceAttributes, attrs),
    ResourceAttributes: scope.resourceAttributes,
    ScopeName: scope.scopeName,
    ScopeVersion: scope.scopeVersion,
    SpanAttributes: attrs,
    Duration: d > 0 ? d : 0,
    StatusCode: STATUS_CODE_NAMES[st.code] ?? 'Unset',
    StatusMessage: st.message,
    'Events.Timestamp': nested['Events.Timestamp'],
    'Events.Name': nested['Events.Name'],
    'Events.Attributes': nested['Events.Attributes'],
    'Links.TraceId': nested['Links.TraceId'],
    'Links.SpanId': nested['Links.SpanId'],
    'Links.TraceState': nested['Links.TraceState'],
    'Links.Attributes': nested['Links.Attributes'],
  };
}

/** [start, end) of each occurrence of a LEN field, and the reader left at `end`. */
function ranges(
  r: Reader,
  end: number,
  wanted: number,
  others: (field: number, wt: number) => void,
): [number, number][] {
  const out: [number, number][] = [];
  while (r.pos < end) {
    const tag = r.varint();
    const field = tag >>> 3;
    const wt = tag & 7;
    if (field === wanted && wt === LEN) {
      const s = r.len();
      out.push([s, r.pos]);
    } else others(field, wt);
  }
  if (r.pos !== end) throw handOver;
  return out;
}

function scopeSpans(
  r: Reader,
  end: number,
  resource: StringMap,
  rows: SpanRow[],
): void {
  const scope: Scope = {
    resourceAttributes: resource,
    serviceName: resource['service.name'] ?? '',
    scopeName: '',
    scopeVersion: '',
  };
  const spans = ranges(r, end, 2, (field, wt) => {
    if (field === 1 && wt === LEN)
      sub(r, (e) => {
        while (r.pos < e) {
          const tag = r.varint();
          if (tag === ((1 << 3) | LEN)) {
            const s = r.len();
            scope.scopeName = r.string(s);
          } else if (tag === ((2 << 3) | LEN)) {
            const s = r.len();
            scope.scopeVersion = r.string(s);
          } else r.skip(tag & 7);
        }
      });
    else r.skip(wt);
  });
  for (const [s, e] of spans) {
    r.pos = s;
    rows.push(span(r, e, scope));
    if (r.pos !== e) throw handOver;
  }
  r.pos = end;
}

function resourceSpans(r: Reader, end: number, rows: SpanRow[]): void {
  const resource: StringMap = {};
  const scopes = ranges(r, end, 2, (field, wt) => {
    if (field === 1 && wt === LEN)
      sub(r, (e) => {
        while (r.pos < e) {
          const tag = r.varint();
          if (tag === ((1 << 3) | LEN)) sub(r, (k) => keyValue(r, k, resource));
          else r.skip(tag & 7);
        }
      });
    else r.skip(wt);
  });
  for (const [s, e] of scopes) {
    r.pos = s;
    scopeSpans(r, e, resource, rows);
  }
  r.pos = end;
}

/** The fast path alone: rows, or undefined where it hands over (exported for tests). */
export function fastDecodeOtlpTraces(body: Uint8Array): SpanRow[] | undefined {
  const buf = Buffer.isBuffer(body)
    ? body
    : Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  try {
    const r = new Reader(buf, 0, buf.length);
    const rows: SpanRow[] = [];
    const list = ranges(r, buf.length, 1, (_field, wt) => r.skip(wt));
    for (const [s, e] of list) {
      r.pos = s;
      resourceSpans(r, e, rows);
    }
    return rows;
  } catch {
    // anything the fast path does not take (see the module comment): the general path decides
    return undefined;
  }
}

/**
 * A binary ExportTraceServiceRequest to rows and rejected spans. Throws DecodeError (from the
 * protobufjs path) when the body is not one.
 */
export function decodeOtlpTracesProtobuf(body: Uint8Array): NormalizedSpans {
  const rows = fastDecodeOtlpTraces(body);
  return rows
    ? { rows, rejected: [] }
    : normalizeOtlpTraces(decodeOtlpProtobuf(body));
}
