/**
 * remote_write bytes -> wire series: snappy block (never framed) with a decompression-bomb check on
 * the length header, then protobuf v1 (`prometheus.WriteRequest`) or v2 (`io.prometheus.write.v2.Request`).
 * Pure; every failure is a DecodeError (HTTP 400) or a TooLargeError (HTTP 413), both permanent.
 */
import { uncompressSnappyBlock } from './snappy-block';
import {
  METADATA_TYPES,
  WriteRequest,
  WriteRequestV2,
  type Int64,
  type PbV2Request,
  type PbWriteRequest,
} from './proto';

export class DecodeError extends Error {
  override name = 'DecodeError';
}
export class TooLargeError extends Error {
  override name = 'TooLargeError';
}

export interface WireSample {
  value: number;
  tsMs: number;
  /** Prometheus staleness marker (NaN with bit pattern 0x7ff0000000000002). */
  stale: boolean;
}

export interface WireSeries {
  /** Every label, `__name__` included, as sent. */
  labels: { name: string; value: string }[];
  samples: WireSample[];
  /** Native histogram samples: not stored (counted as refused). */
  histograms: number;
  /** v2 inline metadata type ('counter', ...), when sent. */
  type?: string;
}

export interface WireRequest {
  series: WireSeries[];
  /** v1 metadata: family name -> type. */
  metadata: Map<string, string>;
}

/** Reads the snappy preamble: the uncompressed length as a varint (at most 32 bits). */
export function snappyUncompressedLength(body: Uint8Array): number {
  let result = 0;
  for (let i = 0, shift = 0; i < body.length && shift < 35; i++, shift += 7) {
    const byte = body[i]!;
    result += (byte & 0x7f) * 2 ** shift;
    if (byte < 0x80) return result;
  }
  throw new DecodeError('not a snappy block: bad length preamble');
}

/** Snappy block -> bytes, refusing to allocate more than maxBytes. */
export function decodeSnappy(body: Buffer, maxBytes: number): Buffer {
  if (body.length === 0) return body;
  const length = snappyUncompressedLength(body);
  if (length > maxBytes) {
    throw new TooLargeError(
      `the snappy body would decompress to ${length} bytes, over the limit of ${maxBytes}`,
    );
  }
  try {
    return uncompressSnappyBlock(body, maxBytes);
  } catch (err) {
    throw new DecodeError(
      `the body is not valid snappy (block format): ${(err as Error).message}`,
    );
  }
}

const staleView = new DataView(new ArrayBuffer(8));

/** True for Prometheus's stale marker; Number.isNaN alone cannot tell it from a real NaN. */
export function isStaleMarker(value: number): boolean {
  if (!Number.isNaN(value)) return false;
  staleView.setFloat64(0, value, true);
  return (
    staleView.getUint32(0, true) === 2 &&
    staleView.getUint32(4, true) === 0x7ff00000
  );
}

/** A stale marker as a JS number (for tests and senders). */
export const STALE_NAN: number = (() => {
  const v = new DataView(new ArrayBuffer(8));
  v.setUint32(0, 2, true);
  v.setUint32(4, 0x7ff00000, true);
  return v.getFloat64(0, true);
})();

const toMs = (t: Int64): number => (typeof t === 'number' ? t : t.toNumber());

export function decodeWriteRequestV1(bytes: Uint8Array): WireRequest {
  let msg: PbWriteRequest;
  try {
    msg = WriteRequest.decode(bytes) as unknown as PbWriteRequest;
  } catch (err) {
    throw new DecodeError(
      `the body is not a protobuf prometheus.WriteRequest: ${(err as Error).message}`,
    );
  }
  const metadata = new Map<string, string>();
  for (const m of msg.metadata) {
    metadata.set(m.metric_family_name, METADATA_TYPES[m.type] ?? 'unknown');
  }
  return {
    metadata,
    series: msg.timeseries.map((ts) => ({
      labels: ts.labels,
      histograms: ts.histograms.length,
      samples: ts.samples.map((s) => ({
        value: s.value,
        tsMs: toMs(s.timestamp),
        stale: isStaleMarker(s.value),
      })),
    })),
  };
}

export function decodeWriteRequestV2(bytes: Uint8Array): WireRequest {
  let msg: PbV2Request;
  try {
    msg = WriteRequestV2.decode(bytes) as unknown as PbV2Request;
  } catch (err) {
    throw new DecodeError(
      `the body is not a protobuf io.prometheus.write.v2.Request: ${(err as Error).message}`,
    );
  }
  const { symbols } = msg;
  if (symbols.length > 0 && symbols[0] !== '')
    throw new DecodeError('symbols[0] must be the empty string');
  const series = msg.timeseries.map((ts, i) => {
    const refs = ts.labels_refs;
    if (refs.length % 2 !== 0)
      throw new DecodeError(`timeseries ${i}: labels_refs has an odd length`);
    const labels: { name: string; value: string }[] = [];
    for (let k = 0; k < refs.length; k += 2) {
      const name = symbols[refs[k]!];
      const value = symbols[refs[k + 1]!];
      if (name === undefined || value === undefined)
        throw new DecodeError(
          `timeseries ${i}: a label ref is outside symbols`,
        );
      labels.push({ name, value });
    }
    const type = ts.metadata?.type
      ? METADATA_TYPES[ts.metadata.type]
      : undefined;
    return {
      labels,
      histograms: ts.histograms.length,
      ...(type ? { type } : {}),
      samples: ts.samples.map((s) => ({
        value: s.value,
        tsMs: toMs(s.timestamp),
        stale: isStaleMarker(s.value),
      })),
    };
  });
  return { series, metadata: new Map() };
}
