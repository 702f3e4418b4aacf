/**
 * OTLP values to the strings the otel_traces Map columns hold, as the Collector's ClickHouse
 * exporter writes them (pdata Value.AsString): strings as-is, bools and ints as text, doubles as
 * ECMAScript number text, bytes as base64, arrays and kvlists as JSON.
 */
import { DecodeError } from '../traces-shared/decode-error';
import { bytesToHex, isZeroHexId, normalizeHexId } from '../traces-shared/hex';
import type { StringMap } from '../traces-shared/span-row';
import type { OtlpAnyValue, OtlpId, OtlpInt64, OtlpKeyValue } from './wire';

const TWO_POW_32 = 4294967296;

/** Decimal text of a signed int64 (Long, string or number). */
export function int64ToString(v: OtlpInt64 | null | undefined): string {
  if (v === null || v === undefined) return '0';
  if (typeof v === 'string') return /^-?\d+$/.test(v) ? v : '0';
  if (typeof v === 'number')
    return Number.isFinite(v) ? String(Math.trunc(v)) : '0';
  const { high, low } = v;
  // Exact as a double while |value| < 2^53, i.e. high in [-2^21, 2^21).
  if (high >= -2097152 && high < 2097152)
    return String(high * TWO_POW_32 + (low >>> 0));
  return BigInt.asIntN(
    64,
    (BigInt(high >>> 0) << 32n) | BigInt(low >>> 0),
  ).toString();
}

function bytesToBase64(b: Uint8Array | string): string {
  return typeof b === 'string'
    ? b
    : Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('base64');
}

/** Which AnyValue member is set: protobufjs names it in `value`; JSON has only that key. */
function kindOf(v: OtlpAnyValue): string | undefined {
  if (typeof v.value === 'string') return v.value;
  if (v.stringValue != null) return 'stringValue';
  if (v.intValue != null) return 'intValue';
  if (v.boolValue != null) return 'boolValue';
  if (v.doubleValue != null) return 'doubleValue';
  if (v.arrayValue != null) return 'arrayValue';
  if (v.kvlistValue != null) return 'kvlistValue';
  if (v.bytesValue != null) return 'bytesValue';
  return undefined;
}

function doubleText(d: number | string | null | undefined): string {
  return typeof d === 'string' ? d : String(d ?? 0);
}

function listOf<T>(v: T[] | null | undefined): T[] {
  return Array.isArray(v) ? v : [];
}

/**
 * Arrays and kvlists nested deeper than this make the request undecodable (400): JSON.parse takes
 * any depth, but turning such a value into text would overflow the stack.
 */
export const MAX_VALUE_DEPTH = 64;

/** JSON text of a value, for members of arrays and kvlists. */
function anyValueToJson(v: OtlpAnyValue | null | undefined, depth = 1): string {
  if (!v) return 'null';
  if (depth > MAX_VALUE_DEPTH)
    throw new DecodeError(
      `an attribute value is nested deeper than ${MAX_VALUE_DEPTH} arrays or kvlists`,
    );
  switch (kindOf(v)) {
    case 'stringValue':
      return JSON.stringify(v.stringValue ?? '');
    case 'boolValue':
      return v.boolValue ? 'true' : 'false';
    case 'intValue':
      return int64ToString(v.intValue);
    case 'doubleValue': {
      const d = Number(v.doubleValue);
      return Number.isFinite(d)
        ? String(d)
        : JSON.stringify(doubleText(v.doubleValue));
    }
    case 'bytesValue':
      return JSON.stringify(bytesToBase64(v.bytesValue ?? ''));
    case 'arrayValue':
      return `[${listOf(v.arrayValue?.values)
        .map((x) => anyValueToJson(x, depth + 1))
        .join(',')}]`;
    case 'kvlistValue':
      return `{${listOf(v.kvlistValue?.values)
        .map(
          (kv) =>
            `${JSON.stringify(String(kv?.key ?? ''))}:${anyValueToJson(kv?.value, depth + 1)}`,
        )
        .join(',')}}`;
    default:
      return 'null';
  }
}

/** A value as the text stored in a Map(String, String) column ('' for an empty value). */
export function anyValueToString(v: OtlpAnyValue | null | undefined): string {
  if (!v) return '';
  switch (kindOf(v)) {
    case 'stringValue':
      return v.stringValue ?? '';
    case 'boolValue':
      return v.boolValue ? 'true' : 'false';
    case 'intValue':
      return int64ToString(v.intValue);
    case 'doubleValue':
      return doubleText(v.doubleValue);
    case 'bytesValue':
      return bytesToBase64(v.bytesValue ?? '');
    case 'arrayValue':
    case 'kvlistValue':
      return anyValueToJson(v);
    default:
      return '';
  }
}

/** Attributes to a string map; a repeated key keeps its last value. */
export function attributesToMap(
  attrs: OtlpKeyValue[] | null | undefined,
): StringMap {
  const out: StringMap = {};
  if (!Array.isArray(attrs)) return out;
  for (const kv of attrs) {
    if (kv && typeof kv.key === 'string' && kv.key)
      out[kv.key] = anyValueToString(kv.value);
  }
  return out;
}

/**
 * An id as lowercase hex of `bytes` bytes: protobuf bytes, OTLP/JSON hex (any case), or the
 * base64 that standard proto JSON tools (Tempo's API) emit. '' for an empty id, undefined when
 * it is none of these or all zeros.
 */
export function idToHex(
  v: OtlpId | null | undefined,
  bytes: number,
): string | undefined {
  if (v === null || v === undefined || v.length === 0) return '';
  let hex: string | undefined;
  if (typeof v !== 'string') {
    // Buffer's native hex is faster than a JS loop for the Buffers protobufjs gives on Node.
    hex =
      v.length === bytes
        ? Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('hex')
        : undefined;
  } else {
    hex = normalizeHexId(v, bytes * 2);
    if (hex === undefined && /^[A-Za-z0-9+/_-]+=*$/.test(v)) {
      const raw = Buffer.from(v, 'base64');
      hex = raw.length === bytes ? bytesToHex(raw) : undefined;
    }
  }
  return hex === undefined || isZeroHexId(hex) ? undefined : hex;
}
