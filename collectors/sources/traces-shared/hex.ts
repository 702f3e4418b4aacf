/** Trace and span ids as lowercase hex, the form the otel_traces table keeps. */

const HEX_PAIRS = Array.from({ length: 256 }, (_, i) =>
  i.toString(16).padStart(2, '0'),
);

/** Lowercase hex of a byte array. */
export function bytesToHex(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i++) out += HEX_PAIRS[bytes[i]!]!;
  return out;
}

const ZERO_ID = /^0+$/;
const HEX_ID = /^[0-9a-f]+$/;

/** True when a hex id is all zeros, which OTLP and W3C trace context call invalid. */
export function isZeroHexId(hex: string): boolean {
  return ZERO_ID.test(hex);
}

/** Lowercases hex and checks it; undefined when it is not hex of exactly `chars` characters. */
export function normalizeHexId(
  text: string,
  chars: number,
): string | undefined {
  if (text.length !== chars) return undefined;
  const lower = text.toLowerCase();
  return HEX_ID.test(lower) ? lower : undefined;
}

/**
 * The TraceId to look up for an id as a user or a log line gives it. Meshlens stores 64-bit
 * (16 hex) trace ids left-padded with zeros to 32 hex, as the OpenTelemetry Collector's Zipkin
 * receiver and Envoy's OTel access logs do, so one padded lookup finds both forms.
 * Returns undefined when the text is not a 16 or 32 hex-digit id.
 */
export function traceIdLookupKey(id: string): string | undefined {
  const trimmed = id.trim();
  if (trimmed.length === 16) {
    const hex = normalizeHexId(trimmed, 16);
    return hex && `0000000000000000${hex}`;
  }
  return normalizeHexId(trimmed, 32);
}
