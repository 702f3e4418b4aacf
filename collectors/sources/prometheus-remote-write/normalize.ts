/**
 * Wire series -> IngestSample, with the checks of the remote-write spec (section 4: `__name__`
 * present, no empty or duplicate label names) and our size limits. A bad series is refused with a
 * reason; the rest of the request is still stored (the receiver then answers 400, as the spec allows).
 *
 * Types: remote_write 1.0 carries no types on samples. We use the family types from metadata
 * requests (remembered per process), and otherwise the names: `_total` counter, `_bucket` with
 * `le` histogram, `_sum`/`_count` of a family whose buckets we have seen histogram; else untyped.
 */
import {
  metricTypeOf,
  type Labels,
  type MetricType,
} from '../prometheus-shared/exposition';
import { canonicalBound } from '../prometheus-shared/series';
import type { IngestSample } from '../prometheus-shared/ingest';
import type { WireSeries } from './decode';

export const MAX_LABELS_PER_SERIES = 128;
export const MAX_LABEL_NAME_BYTES = 1024;
export const MAX_LABEL_VALUE_BYTES = 16 * 1024;

export interface RejectedSeries {
  reason: string;
  payload: string;
}

export interface NormalizedWrite {
  samples: IngestSample[];
  rejected: RejectedSeries[];
  /** Native histogram samples refused (not supported yet). */
  histograms: number;
}

/** Family types learned from metadata (v1 metadata requests, v2 inline metadata), bounded. */
export class FamilyTypes {
  private readonly types = new Map<string, string>();
  private readonly histogramBases = new Set<string>();
  /** Bumped on every change, so types inferred before (fast-decode.ts caches them) are redone. */
  version = 0;
  constructor(private readonly max = 100_000) {}

  set(family: string, type: string): void {
    if (this.types.size >= this.max && !this.types.has(family)) return;
    if (this.types.get(family) === type) return;
    this.types.set(family, type);
    this.version++;
  }

  get(family: string): string | undefined {
    return this.types.get(family);
  }

  sawBuckets(base: string): void {
    if (this.histogramBases.size < this.max && !this.histogramBases.has(base)) {
      this.histogramBases.add(base);
      this.version++;
    }
  }

  hasBuckets(base: string): boolean {
    return this.histogramBases.has(base);
  }
}

const SUFFIXES = [
  '_bucket',
  '_count',
  '_sum',
  '_total',
  '_created',
  '_info',
  '_gcount',
  '_gsum',
];

/** Storage type of a remote-written series. */
export function inferType(
  name: string,
  labels: Labels,
  families: FamilyTypes,
): { type: MetricType; cumulative: boolean } {
  const exact = families.get(name);
  if (exact) return metricTypeOf(exact, '');
  for (const suffix of SUFFIXES) {
    if (!name.endsWith(suffix)) continue;
    const base = name.slice(0, -suffix.length);
    const declared = families.get(base);
    if (declared) return metricTypeOf(declared, suffix);
    if (suffix === '_bucket' && labels.le !== undefined) {
      families.sawBuckets(base);
      return { type: 'histogram', cumulative: true };
    }
    if (
      (suffix === '_sum' || suffix === '_count') &&
      families.hasBuckets(base)
    ) {
      return { type: 'histogram', cumulative: true };
    }
    if (suffix === '_total') return { type: 'counter', cumulative: true };
  }
  return { type: 'untyped', cumulative: false };
}

function describe(series: WireSeries): string {
  return JSON.stringify({
    labels: series.labels.map((l) => ({
      name: l.name.slice(0, 200),
      value: l.value.slice(0, 200),
    })),
    samples: series.samples.length,
  });
}

/** Why a label set is refused, or undefined when it is fine. */
export function labelProblem(
  labels: { name: string; value: string }[],
): string | undefined {
  if (labels.length > MAX_LABELS_PER_SERIES)
    return `${labels.length} labels, over the limit of ${MAX_LABELS_PER_SERIES}`;
  const seen = new Set<string>();
  let hasName = false;
  for (const { name, value } of labels) {
    if (name.length === 0) return 'a label has an empty name';
    if (Buffer.byteLength(name) > MAX_LABEL_NAME_BYTES)
      return `label name over ${MAX_LABEL_NAME_BYTES} bytes`;
    if (Buffer.byteLength(value) > MAX_LABEL_VALUE_BYTES) {
      return `label "${name.slice(0, 100)}" has a value over ${MAX_LABEL_VALUE_BYTES} bytes`;
    }
    if (seen.has(name)) return `label "${name.slice(0, 100)}" appears twice`;
    seen.add(name);
    if (name === '__name__') {
      if (value.length === 0) return 'empty metric name';
      hasName = true;
    }
  }
  return hasName ? undefined : 'no __name__ label';
}

export function normalizeWrite(
  series: WireSeries[],
  families: FamilyTypes,
): NormalizedWrite {
  const samples: IngestSample[] = [];
  const rejected: RejectedSeries[] = [];
  let histograms = 0;
  for (const ts of series) {
    histograms += ts.histograms;
    if (ts.samples.length === 0) continue;
    const problem = labelProblem(ts.labels);
    if (problem) {
      rejected.push({ reason: problem, payload: describe(ts) });
      continue;
    }
    let name = '';
    const labels: Labels = {};
    for (const l of ts.labels) {
      if (l.name === '__name__') name = l.value;
      else if (l.value !== '')
        labels[l.name] =
          l.name === 'le' || l.name === 'quantile'
            ? canonicalBound(l.value)
            : l.value;
    }
    if (ts.type) families.set(name, ts.type);
    const kind = inferType(name, labels, families);
    for (const s of ts.samples) {
      if (!Number.isFinite(s.tsMs)) {
        rejected.push({
          reason: 'sample timestamp is not a number',
          payload: describe(ts),
        });
        continue;
      }
      samples.push({
        name,
        labels,
        value: s.value,
        tsMs: s.tsMs,
        stale: s.stale,
        type: kind.type,
        cumulative: kind.cumulative,
      });
    }
  }
  return { samples, rejected, histograms };
}
