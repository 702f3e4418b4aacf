/**
 * Percentiles from latency histograms, interpolated exactly as Prometheus's `histogram_quantile`
 * does (prometheus/prometheus promql/quantile.go, bucketQuantile):
 *   - buckets are sorted by upper bound and made cumulative;
 *   - rank = q * total; the answer lies in the first bucket whose cumulative count >= rank;
 *   - inside it, linear interpolation between the bucket's lower and upper bound;
 *   - the lower bound of the first bucket is 0 (when its upper bound is > 0);
 *   - a rank that falls in the +Inf bucket returns the highest finite upper bound.
 *
 * Our rollups keep the histogram as a map of NON-cumulative counts keyed by the upper bound in
 * microseconds (18446744073709551615 for +Inf), and drop empty buckets. So the ladder of bounds is
 * rebuilt as Istio/Envoy's default ladder united with the keys present: a bucket's lower bound is
 * the next smaller bound of that ladder, as it would be in Prometheus with the full histogram.
 */

/** The rollup key of the +Inf bucket (UInt64 max), as text. */
export const INF_BUCKET_KEY = '18446744073709551615';

/** Istio/Envoy's default duration bucket bounds (istio-metrics.md section 5), in microseconds. */
export const ISTIO_BUCKETS_US: readonly number[] = [
  500, 1_000, 5_000, 10_000, 25_000, 50_000, 100_000, 250_000, 500_000,
  1_000_000, 2_500_000, 5_000_000, 10_000_000, 30_000_000, 60_000_000,
  300_000_000, 600_000_000, 1_800_000_000, 3_600_000_000,
];

/** Rollup buckets: upper bound in µs (decimal text, or the +Inf key) -> non-cumulative count. */
export type BucketCounts = Readonly<Record<string, number>>;

/** Whether a rollup bucket key is the +Inf bucket (UInt64 max, however it was serialised). */
export function isInfKey(key: string): boolean {
  return key === INF_BUCKET_KEY || Number(key) >= 1.8e19;
}

interface CumulativeBucket {
  /** Upper bound in µs; Infinity for +Inf. */
  upperUs: number;
  /** Cumulative count up to and including this bucket. */
  cumulative: number;
}

/**
 * The cumulative histogram over the full ladder (default bounds ∪ present keys), ending with a
 * +Inf bucket. Negative counts (a cumulative series that was reset mid-minute) count as 0.
 */
export function cumulativeBuckets(
  counts: BucketCounts,
  ladderUs: readonly number[] = ISTIO_BUCKETS_US,
): CumulativeBucket[] {
  const byBound = new Map<number, number>();
  for (const b of ladderUs) byBound.set(b, 0);
  let inf = 0;
  for (const [key, raw] of Object.entries(counts)) {
    const n = Number.isFinite(raw) && raw > 0 ? raw : 0;
    if (isInfKey(key)) {
      inf += n;
      continue;
    }
    const bound = Number(key);
    if (!Number.isFinite(bound)) continue;
    byBound.set(bound, (byBound.get(bound) ?? 0) + n);
  }
  const bounds = [...byBound.keys()].sort((a, b) => a - b);
  const out: CumulativeBucket[] = [];
  let cumulative = 0;
  for (const upperUs of bounds) {
    cumulative += byBound.get(upperUs) ?? 0;
    out.push({ upperUs, cumulative });
  }
  out.push({ upperUs: Infinity, cumulative: cumulative + inf });
  return out;
}

/**
 * The q-quantile (0 <= q <= 1) in MILLISECONDS, or null when the histogram is empty.
 * q outside [0, 1] follows Prometheus: -Infinity below 0, +Infinity above 1.
 */
export function histogramQuantileMs(
  q: number,
  counts: BucketCounts,
  ladderUs: readonly number[] = ISTIO_BUCKETS_US,
): number | null {
  return quantileOfCumulative(q, cumulativeBuckets(counts, ladderUs));
}

/** histogramQuantileMs over an already cumulative histogram (several quantiles, one ladder). */
function quantileOfCumulative(
  q: number,
  buckets: readonly CumulativeBucket[],
): number | null {
  const total = buckets[buckets.length - 1]?.cumulative ?? 0;
  if (total <= 0 || Number.isNaN(q)) return null;
  if (q < 0) return -Infinity;
  if (q > 1) return Infinity;
  const rank = q * total;
  // Search every bucket but +Inf, as Prometheus does (sort.Search over len-1).
  let b = buckets.findIndex(
    (bk, i) => i < buckets.length - 1 && bk.cumulative >= rank,
  );
  if (b < 0) b = buckets.length - 1;
  if (b === buckets.length - 1) {
    // In the +Inf bucket: the highest finite bound.
    return (buckets[buckets.length - 2]?.upperUs ?? 0) / 1000;
  }
  const bucket = buckets[b]!;
  if (b === 0 && bucket.upperUs <= 0) return bucket.upperUs / 1000;
  const prev = b > 0 ? buckets[b - 1]! : undefined;
  const startUs = prev ? prev.upperUs : 0;
  const count = bucket.cumulative - (prev?.cumulative ?? 0);
  const inBucket = rank - (prev?.cumulative ?? 0);
  if (count <= 0) return startUs / 1000;
  return (startUs + (bucket.upperUs - startUs) * (inBucket / count)) / 1000;
}

export interface LatencyPercentiles {
  p50: number | null;
  p90: number | null;
  p95: number | null;
  p99: number | null;
}

/** p50/p90/p95/p99 in ms from rollup buckets (null each when there are no observations). */
export function latencyPercentiles(counts: BucketCounts): LatencyPercentiles {
  const buckets = cumulativeBuckets(counts);
  return {
    p50: quantileOfCumulative(0.5, buckets),
    p90: quantileOfCumulative(0.9, buckets),
    p95: quantileOfCumulative(0.95, buckets),
    p99: quantileOfCumulative(0.99, buckets),
  };
}

/** The bucket (lower, upper] in ms that holds `valueMs` on the default ladder; for tests and UI. */
export function bucketOfMs(valueMs: number): {
  lowerMs: number;
  upperMs: number;
} {
  const us = valueMs * 1000;
  let lower = 0;
  for (const b of ISTIO_BUCKETS_US) {
    if (us <= b) return { lowerMs: lower / 1000, upperMs: b / 1000 };
    lower = b;
  }
  return { lowerMs: lower / 1000, upperMs: Infinity };
}

/** Adds bucket maps (for merging rows of one edge); returns a new object. */
export function mergeBuckets(...maps: BucketCounts[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const m of maps) {
    for (const [k, v] of Object.entries(m)) {
      const key = isInfKey(k) ? INF_BUCKET_KEY : k;
      out[key] = (out[key] ?? 0) + v;
    }
  }
  return out;
}
