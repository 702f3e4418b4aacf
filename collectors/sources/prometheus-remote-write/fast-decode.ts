/**
 * remote_write 1.0 bytes straight to IngestSamples, in one pass over the protobuf: no protobufjs
 * message objects, Longs or label arrays in between. A series is recognised by the raw bytes of
 * its labels (Prometheus resends the same label bytes every time), so its name, label object,
 * series id and type are computed once and then reused: per sample only the value and timestamp
 * are read.
 *
 * It gives exactly what `normalizeWrite(decodeWriteRequestV1(bytes).series, families)` gives
 * (decode.test.ts checks both on the same bodies), and hands over to that path for anything it
 * does not take itself: bytes that do not parse (so the error is protobufjs' own), a series that
 * would be refused (its reason comes from there), 10-byte (negative) timestamps.
 */
import type { Labels, MetricType } from '../prometheus-shared/exposition';
import type { IngestSample } from '../prometheus-shared/ingest';
import {
  canonicalBound,
  seriesIdOfKey,
  seriesKey,
} from '../prometheus-shared/series';
import { decodeWriteRequestV1 } from './decode';
import { METADATA_TYPES } from './proto';
import type { FamilyTypes } from './normalize';
import {
  inferType,
  labelProblem,
  normalizeWrite,
  type NormalizedWrite,
} from './normalize';
import { handOver, ProtoReader } from '../proto-reader';

interface Slicers {
  utf8Slice(start: number, end: number): string;
  latin1Slice(start: number, end: number): string;
}

/** One label set seen before: everything about it that does not change per sample. */
export interface KnownSeries {
  name: string;
  labels: Labels;
  seriesId: string;
  type: MetricType;
  cumulative: boolean;
  /** FamilyTypes.version the type was inferred at; re-inferred when metadata changed since. */
  typesVersion: number;
}

/** Label bytes -> series, bounded (cleared when full: a miss only costs the slow path once). */
export class SeriesByLabelBytes {
  readonly map = new Map<string, KnownSeries>();
  constructor(readonly max: number) {}
  get(key: string): KnownSeries | undefined {
    return this.map.get(key);
  }
  set(key: string, s: KnownSeries): void {
    if (this.map.size >= this.max) this.map.clear();
    this.map.set(key, s);
  }
}

/** Decodes the labels of a series the slow way (first sight only). */
function readLabels(
  buf: Buffer,
  ranges: number[],
): { name: string; value: string }[] {
  const s = buf as unknown as Slicers;
  const out: { name: string; value: string }[] = [];
  for (let k = 0; k < ranges.length; k += 2) {
    const r = new ProtoReader(buf, ranges[k]!, ranges[k + 1]!);
    let name = '';
    let value = '';
    while (r.pos < r.end) {
      const tag = r.varint();
      const field = tag >>> 3;
      if (tag % 8 === 2 && (field === 1 || field === 2)) {
        const e = r.lenEnd();
        const text = s.utf8Slice(r.pos, e);
        if (field === 1) name = text;
        else value = text;
        r.pos = e;
      } else r.skip(tag % 8);
    }
    out.push({ name, value });
  }
  return out;
}

function newSeries(
  wire: { name: string; value: string }[],
  families: FamilyTypes,
): KnownSeries | undefined {
  if (labelProblem(wire) !== undefined) return undefined;
  let name = '';
  const labels: Labels = {};
  for (const l of wire) {
    if (l.name === '__name__') name = l.value;
    else if (l.value !== '')
      labels[l.name] =
        l.name === 'le' || l.name === 'quantile'
          ? canonicalBound(l.value)
          : l.value;
  }
  const kind = inferType(name, labels, families);
  return {
    name,
    labels,
    seriesId: seriesIdOfKey(seriesKey(name, labels)),
    type: kind.type,
    cumulative: kind.cumulative,
    typesVersion: families.version,
  };
}

/** Decodes and normalizes a remote_write 1.0 body (already un-snappied). */
export function decodeNormalizeV1(
  bytes: Buffer,
  families: FamilyTypes,
  known: SeriesByLabelBytes,
): { normalized: NormalizedWrite; metadata: Map<string, string> } {
  try {
    return fastPath(bytes, families, known);
  } catch (err) {
    if (err !== handOver) throw err;
    const wire = decodeWriteRequestV1(bytes);
    for (const [family, type] of wire.metadata) families.set(family, type);
    return {
      normalized: normalizeWrite(wire.series, families),
      metadata: wire.metadata,
    };
  }
}

function fastPath(
  buf: Buffer,
  families: FamilyTypes,
  known: SeriesByLabelBytes,
): { normalized: NormalizedWrite; metadata: Map<string, string> } {
  const slicers = buf as unknown as Slicers;
  const top = new ProtoReader(buf, 0, buf.length);
  // Metadata first (it may come after the series on the wire but types apply to the request).
  const metadata = new Map<string, string>();
  const seriesRanges: number[] = [];
  while (top.pos < top.end) {
    const tag = top.varint();
    const field = tag >>> 3;
    if (tag % 8 === 2 && (field === 1 || field === 3)) {
      const e = top.lenEnd();
      if (field === 1) seriesRanges.push(top.pos, e);
      else {
        const m = new ProtoReader(buf, top.pos, e);
        let type = 0;
        let family = '';
        while (m.pos < m.end) {
          const t = m.varint();
          if (t === 8) type = m.varint();
          else if (t === 18) {
            const fe = m.lenEnd();
            family = slicers.utf8Slice(m.pos, fe);
            m.pos = fe;
          } else m.skip(t % 8);
        }
        metadata.set(family, METADATA_TYPES[type] ?? 'unknown');
      }
      top.pos = e;
    } else top.skip(tag % 8);
  }
  for (const [family, type] of metadata) families.set(family, type);

  const samples: IngestSample[] = [];
  let histograms = 0;
  const labelRanges: number[] = [];
  for (let k = 0; k < seriesRanges.length; k += 2) {
    const r = new ProtoReader(buf, seriesRanges[k]!, seriesRanges[k + 1]!);
    labelRanges.length = 0;
    // contiguous label bytes (the usual case) make the key; else -1 (decoded every time)
    let keyStart = -1;
    let keyEnd = -1;
    let contiguous = true;
    let series: KnownSeries | undefined;
    const pending: number[] = [];
    while (r.pos < r.end) {
      const tagStart = r.pos;
      const tag = r.varint();
      const field = tag >>> 3;
      const wt = tag % 8;
      if (wt === 2 && field === 1) {
        const e = r.lenEnd();
        if (keyStart < 0) keyStart = tagStart;
        else if (keyEnd !== tagStart) contiguous = false;
        keyEnd = e;
        labelRanges.push(r.pos, e);
        r.pos = e;
      } else if (wt === 2 && field === 2) {
        const e = r.lenEnd();
        // Sample { double value = 1; int64 timestamp = 2; }
        let lo = 0;
        let hi = 0;
        let value = 0;
        let ts = 0;
        const s = new ProtoReader(buf, r.pos, e);
        while (s.pos < s.end) {
          const t = s.varint();
          if (t === 9) {
            if (s.pos + 8 > s.end) throw handOver;
            lo = buf.readUInt32LE(s.pos);
            hi = buf.readUInt32LE(s.pos + 4);
            value = buf.readDoubleLE(s.pos);
            s.pos += 8;
          } else if (t === 16) ts = s.varint();
          else s.skip(t % 8);
        }
        pending.push(value, ts, lo === 2 && hi === 0x7ff00000 ? 1 : 0);
        r.pos = e;
      } else if (wt === 2 && field === 4) {
        histograms++;
        r.skip(wt);
      } else r.skip(wt);
    }
    if (pending.length === 0) continue;
    if (contiguous && keyStart >= 0) {
      const key = slicers.latin1Slice(keyStart, keyEnd);
      series = known.get(key);
      if (!series) {
        series = newSeries(readLabels(buf, labelRanges), families);
        if (!series) throw handOver; // refused: the slow path gives the reason
        known.set(key, series);
      }
    } else {
      series = newSeries(readLabels(buf, labelRanges), families);
      if (!series) throw handOver;
    }
    if (series.typesVersion !== families.version) {
      const kind = inferType(series.name, series.labels, families);
      series.type = kind.type;
      series.cumulative = kind.cumulative;
      series.typesVersion = families.version;
    }
    for (let p = 0; p < pending.length; p += 3) {
      samples.push({
        name: series.name,
        labels: series.labels,
        seriesId: series.seriesId,
        value: pending[p]!,
        tsMs: pending[p + 1]!,
        stale: pending[p + 2] === 1,
        type: series.type,
        cumulative: series.cumulative,
      });
    }
  }
  return { normalized: { samples, rejected: [], histograms }, metadata };
}
