/**
 * Counter increases of Istio series -> edge_rollups_1m rows (Signal 'metrics'), one row per
 * (minute, edge key) per batch; the AggregatingMergeTree sums rows of the same key later.
 *
 * Latency buckets: Istio's histogram is cumulative (`le` = upper bound in ms); the rollup wants
 * non-cumulative counts keyed by the upper bound in µs. The increase of the cumulative bucket
 * `le=b_i` adds to key b_i and subtracts from key b_(i+1) (the next larger bound of the same
 * histogram), so the sumMap of a minute is exact even when a remote_write sender splits one
 * histogram's buckets across requests. Bounds are learned per histogram (pods may use custom
 * buckets) from every bucket sample seen, first samples included.
 */
import type { Labels } from './exposition';
import { istioEdgeKey, ISTIO_MEASURES, type EdgeKey } from './istio-edge';
import { seriesKey } from './series';

export const EDGE_ROLLUPS_TABLE = 'edge_rollups_1m';
/** The rollup key of the +Inf bucket (UInt64 max). */
export const INF_BUCKET_KEY = '18446744073709551615';

export interface EdgeRollupRow extends EdgeKey {
  /** Start of the minute, `YYYY-MM-DD HH:MM:00` (UTC). */
  Minute: string;
  Signal: 'metrics';
  Requests: number;
  Connections: number;
  BytesSent: number;
  BytesReceived: number;
  DurationSumMs: number;
  /** Upper bound in µs (decimal text) -> non-cumulative count. */
  DurationBuckets: Record<string, number>;
  SampledRequests: number;
}

/** `le` in ms -> rollup map key in µs. */
export function bucketKeyOfLe(leMs: number): string {
  return leMs === Infinity ? INF_BUCKET_KEY : String(Math.round(leMs * 1000));
}

let lastMinuteStart = NaN;
let lastMinute = '';
export function minuteOfMs(ms: number): string {
  const start = Math.floor(ms / 60_000) * 60_000;
  if (start !== lastMinuteStart) {
    lastMinute = new Date(start).toISOString().slice(0, 19).replace('T', ' ');
    lastMinuteStart = start;
  }
  return lastMinute;
}

/** Known bucket bounds per histogram (labels without `le`), bounded like the counter state. */
export class BucketLadders {
  private readonly ladders = new Map<string, number[]>();
  constructor(private readonly maxHistograms: number) {}

  static keyOf(name: string, labels: Labels): string {
    const rest: Labels = {};
    for (const k in labels) if (k !== 'le') rest[k] = labels[k]!;
    return seriesKey(name, rest);
  }

  /** Records a bound; keeps the ladder sorted. */
  learn(key: string, le: number): void {
    let ladder = this.ladders.get(key);
    if (!ladder) {
      ladder = [];
      this.ladders.set(key, ladder);
      if (this.ladders.size > this.maxHistograms) {
        const oldest = this.ladders.keys().next().value;
        if (oldest !== undefined) this.ladders.delete(oldest);
      }
    }
    if (ladder.includes(le)) return;
    ladder.push(le);
    ladder.sort((a, b) => a - b);
  }

  /** The next larger bound of `le` in that histogram, undefined for the last one. */
  next(key: string, le: number): number | undefined {
    const ladder = this.ladders.get(key);
    if (!ladder) return undefined;
    return ladder.find((b) => b > le);
  }
}

export interface RollupInput {
  name: string;
  labels: Labels;
  tsMs: number;
  increase: number;
  /** BucketLadders.keyOf(name, labels) for bucket samples, when the caller has it already. */
  ladderKey?: string;
  /** istioEdgeKey(labels), when the caller caches it per series. */
  edge?: CachedEdge | undefined;
}

export interface CachedEdge {
  key: EdgeKey;
  text: string;
}

/** The edge key of a label set with its grouping text (cache it per series: labels do not change). */
export function cachedEdgeOf(labels: Labels): CachedEdge | undefined {
  const key = istioEdgeKey(labels);
  return key ? { key, text: keyText(key) } : undefined;
}

const keyText = (k: EdgeKey): string =>
  [
    k.Reporter,
    k.SourceCluster,
    k.SourceNamespace,
    k.SourceWorkload,
    k.SourceService,
    k.SourceVersion,
    k.SourcePrincipal,
    k.DestinationCluster,
    k.DestinationNamespace,
    k.DestinationWorkload,
    k.DestinationService,
    k.DestinationVersion,
    k.DestinationPrincipal,
    k.Protocol,
    k.Mtls,
    k.ResponseCode,
    k.GrpcStatus,
    k.ResponseFlags,
  ].join('\x1f');

/** True when a sample name feeds the rollups (cheap pre-filter). */
export function isRollupMetric(name: string): boolean {
  return ISTIO_MEASURES[name] !== undefined;
}

/**
 * Builds rollup rows from the increases of one batch.
 * `ladders` must already know the bounds of this batch's bucket samples (learn first).
 */
export function buildEdgeRollups(
  inputs: RollupInput[],
  ladders: BucketLadders,
): EdgeRollupRow[] {
  const rows = new Map<string, EdgeRollupRow>();
  for (const input of inputs) {
    const measure = ISTIO_MEASURES[input.name];
    if (!measure || input.increase === 0) continue;
    const edge = input.edge ?? cachedEdgeOf(input.labels);
    if (!edge) continue;
    const key = edge.key;
    const minute = minuteOfMs(input.tsMs);
    const id = `${minute}\x1e${edge.text}`;
    let row = rows.get(id);
    if (!row) {
      row = {
        Minute: minute,
        Signal: 'metrics',
        ...key,
        Requests: 0,
        Connections: 0,
        BytesSent: 0,
        BytesReceived: 0,
        DurationSumMs: 0,
        DurationBuckets: {},
        SampledRequests: 0,
      };
      rows.set(id, row);
    }
    const inc = input.increase;
    switch (measure) {
      case 'requests':
        row.Requests += inc;
        row.SampledRequests += inc;
        break;
      case 'durationSum':
        row.DurationSumMs += inc;
        break;
      case 'bytesSent':
        row.BytesSent += inc;
        break;
      case 'bytesReceived':
        row.BytesReceived += inc;
        break;
      case 'connections':
        row.Connections += inc;
        break;
      case 'durationBucket': {
        const le = Number(
          input.labels.le === '+Inf' ? Infinity : input.labels.le,
        );
        if (Number.isNaN(le)) break;
        const buckets = row.DurationBuckets;
        const k = bucketKeyOfLe(le);
        buckets[k] = (buckets[k] ?? 0) + inc;
        if (le !== Infinity) {
          const next = ladders.next(
            input.ladderKey ?? BucketLadders.keyOf(input.name, input.labels),
            le,
          );
          if (next !== undefined) {
            const nk = bucketKeyOfLe(next);
            buckets[nk] = (buckets[nk] ?? 0) - inc;
          }
        }
        break;
      }
    }
  }
  for (const row of rows.values()) {
    for (const [k, v] of Object.entries(row.DurationBuckets))
      if (v === 0) delete row.DurationBuckets[k];
  }
  return [...rows.values()];
}
