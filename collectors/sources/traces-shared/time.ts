/**
 * Timestamps for DateTime64(9) columns, kept to the nanosecond: a Unix time is split into whole
 * seconds and nanoseconds without passing through a float (2^53 ns is only ~104 days).
 */
/** A 64-bit integer as protobufjs decodes it (a `Long`): two 32-bit halves. */
export interface Int64Bits {
  low: number;
  high: number;
}

/** Whole seconds and the nanoseconds within that second (0..999_999_999). */
export interface TimeParts {
  seconds: number;
  nanos: number;
}

const NS_PER_S = 1_000_000_000n;

let cachedSecond = Number.NaN;
let cachedPrefix = '';

/** 'YYYY-MM-DD HH:MM:SS.nnnnnnnnn' in UTC, the text ClickHouse reads into DateTime64(9). */
export function formatDateTime64(t: TimeParts): string {
  if (t.seconds !== cachedSecond) {
    // Spans of one request share seconds: remember the formatted second.
    cachedPrefix = new Date(t.seconds * 1000)
      .toISOString()
      .slice(0, 19)
      .replace('T', ' ');
    cachedSecond = t.seconds;
  }
  return `${cachedPrefix}.${String(t.nanos).padStart(9, '0')}`;
}

/**
 * Splits an unsigned 64-bit count of nanoseconds since the epoch, as protobufjs (Long), OTLP/JSON
 * (decimal string) or a small JSON number gives it. Returns undefined for anything else.
 */
export function unixNanosParts(
  value: Int64Bits | string | number | null | undefined,
): TimeParts | undefined {
  if (value === null || value === undefined) return undefined;
  if (typeof value === 'string') {
    if (!/^\d{1,20}$/.test(value)) return undefined;
    if (value.length <= 9) return { seconds: 0, nanos: Number(value) };
    return {
      seconds: Number(value.slice(0, -9)),
      nanos: Number(value.slice(-9)),
    };
  }
  if (typeof value === 'number') {
    if (!Number.isFinite(value) || value < 0) return undefined;
    if (Number.isSafeInteger(value))
      return { seconds: Math.floor(value / 1e9), nanos: value % 1e9 };
    return unixNanosParts(BigInt(Math.round(value)).toString());
  }
  if (
    typeof value === 'object' &&
    typeof value.low === 'number' &&
    typeof value.high === 'number'
  ) {
    const ns = (BigInt(value.high >>> 0) << 32n) | BigInt(value.low >>> 0);
    return { seconds: Number(ns / NS_PER_S), nanos: Number(ns % NS_PER_S) };
  }
  return undefined;
}

/**
 * Splits Unix microseconds (Zipkin's timestamps). Rounded to whole microseconds: some senders
 * (OpenTelemetry's Zipkin exporter) send fractions a double cannot hold exactly at this size.
 */
export function unixMicrosParts(microsIn: number): TimeParts {
  const micros = Math.round(microsIn);
  const seconds = Math.floor(micros / 1e6);
  return { seconds, nanos: (micros - seconds * 1e6) * 1000 };
}

/** end - start in nanoseconds, 0 when the end is before the start. Exact below ~104 days. */
export function durationNs(start: TimeParts, end: TimeParts): number {
  const d = (end.seconds - start.seconds) * 1e9 + (end.nanos - start.nanos);
  return d > 0 ? d : 0;
}

/** True for a zero time (an unset fixed64): the span has no start. */
export function isZeroTime(t: TimeParts): boolean {
  return t.seconds === 0 && t.nanos === 0;
}
