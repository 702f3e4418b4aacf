/**
 * The one way Prometheus samples (scraped or remote-written) reach the pipeline: series rows
 * (first sight, then refreshed hourly), sample rows with reset-aware counter increases, and edge
 * rollups from Istio's standard metrics. Counter state is committed only after every row of the
 * batch is durable (see counter-state.ts).
 */
import type { Pipeline } from '../../pipeline';
import { BackpressureError } from '../../pipeline';
import type { Labels, MetricType } from './exposition';
import { CounterState } from './counter-state';
import {
  BucketLadders,
  buildEdgeRollups,
  cachedEdgeOf,
  EDGE_ROLLUPS_TABLE,
  isRollupMetric,
  type CachedEdge,
  type EdgeRollupRow,
  type RollupInput,
} from './istio-rollup';
import { isoOfMs, seriesIdOfKey, seriesKey } from './series';

export const SAMPLES_TABLE = 'metric_samples';
export const SERIES_TABLE = 'metric_series';
/** A series row is rewritten this often so metric_series' TTL (on LastSeen) keeps live series. */
const SERIES_REFRESH_MS = 60 * 60 * 1000;

export type SampleSource = 'scrape' | 'remote_write';

interface RollupMeta {
  edge: CachedEdge | undefined;
  ladderKey?: string;
  le?: number;
}

/** One sample, normalized (le/quantile canonical), ready to store. */
export interface IngestSample {
  name: string;
  /** Labels without `__name__`. */
  labels: Labels;
  value: number;
  tsMs: number;
  stale: boolean;
  type: MetricType;
  cumulative: boolean;
  /** Precomputed series id (scrape caches it per line); computed when absent. */
  seriesId?: string;
  /** True when the series began at 0 after its previous observation (new on a known target). */
  startsAtZero?: boolean;
}

export interface MetricSampleRow {
  MetricName: string;
  SeriesId: string;
  Timestamp: string;
  /** A number, or 'nan' / '+inf' / '-inf' (JSON has no such numbers; ClickHouse parses these). */
  Value: number | string;
  Increase: number | null;
  MetricType: MetricType;
  Stale: 0 | 1;
  Source: SampleSource;
  Job: string;
  Instance: string;
}

export interface MetricSeriesRow {
  SeriesId: string;
  MetricName: string;
  Labels: Labels;
  LastSeen: string;
}

export interface IngestResult {
  samples: number;
  newSeries: number;
  rollupRows: number;
}

function valueText(v: number): number | string {
  if (Number.isFinite(v)) return v;
  if (Number.isNaN(v)) return 'nan';
  return v > 0 ? '+inf' : '-inf';
}

export interface MetricsIngesterOptions {
  source: SampleSource;
  /** Counter and series-row state bound (LRU entries). */
  maxSeries: number;
  /** Rows a table queue holds before the pipeline refuses (config.pipeline.queueMaxRows). */
  queueMaxRows: number;
}

export class MetricsIngester {
  readonly counters: CounterState;
  readonly ladders: BucketLadders;
  private readonly seriesWritten = new Map<string, number>();
  private readonly rollupCache = new Map<string, RollupMeta>();

  constructor(
    private readonly pipeline: Pipeline,
    private readonly opts: MetricsIngesterOptions,
  ) {
    this.counters = new CounterState(opts.maxSeries);
    this.ladders = new BucketLadders(
      Math.max(1000, Math.floor(opts.maxSeries / 10)),
    );
  }

  /**
   * Checks every table this batch needs has room, so all offers go in or none do (the pipeline
   * only refuses at offer time). Throws BackpressureError naming the full table.
   */
  private ensureRoom(need: Record<string, number>): void {
    for (const [table, rows] of Object.entries(need)) {
      if (rows === 0) continue;
      const depth = this.pipeline.sink(table).depth;
      if (depth > 0 && depth + rows > this.opts.queueMaxRows)
        throw new BackpressureError(table);
    }
  }

  /** Stores a batch; resolves when durable. Rejects with the pipeline's errors (nothing committed). */
  async ingest(samples: IngestSample[]): Promise<IngestResult> {
    const now = Date.now();
    const ids = samples.map(
      (s) => s.seriesId ?? seriesIdOfKey(seriesKey(s.name, s.labels)),
    );
    const cumulativeIdx: number[] = [];
    for (let i = 0; i < samples.length; i++)
      if (samples[i]!.cumulative) cumulativeIdx.push(i);
    const plan = this.counters.plan(
      cumulativeIdx.map((i) => {
        const s = samples[i]!;
        return {
          id: ids[i]!,
          value: s.value,
          tsMs: s.tsMs,
          stale: s.stale,
          startsAtZero: s.startsAtZero === true,
        };
      }),
    );
    const increases = new Array<number | null>(samples.length).fill(null);
    cumulativeIdx.forEach(
      (sampleIdx, k) => (increases[sampleIdx] = plan.increases[k] ?? null),
    );

    const sampleRows: MetricSampleRow[] = new Array<MetricSampleRow>(
      samples.length,
    );
    const seriesRows: MetricSeriesRow[] = [];
    const rollupInputs: RollupInput[] = [];
    for (let i = 0; i < samples.length; i++) {
      const s = samples[i]!;
      const id = ids[i]!;
      const inc = increases[i] ?? null;
      sampleRows[i] = {
        MetricName: s.name,
        SeriesId: id,
        Timestamp: isoOfMs(s.tsMs),
        Value: s.stale ? 'nan' : valueText(s.value),
        Increase: inc,
        MetricType: s.type,
        Stale: s.stale ? 1 : 0,
        Source: this.opts.source,
        Job: s.labels.job ?? '',
        Instance: s.labels.instance ?? '',
      };
      const written = this.seriesWritten.get(id);
      if (
        !s.stale &&
        (written === undefined || now - written > SERIES_REFRESH_MS)
      ) {
        seriesRows.push({
          SeriesId: id,
          MetricName: s.name,
          Labels: s.labels,
          LastSeen: isoOfMs(now),
        });
      }
      if (isRollupMetric(s.name)) {
        const meta = this.rollupMeta(id, s);
        if (meta.ladderKey !== undefined && meta.le !== undefined)
          this.ladders.learn(meta.ladderKey, meta.le);
        if (inc !== null && inc !== 0) {
          rollupInputs.push({
            name: s.name,
            labels: s.labels,
            tsMs: s.tsMs,
            increase: inc,
            ladderKey: meta.ladderKey,
            edge: meta.edge,
          });
        }
      }
    }
    const rollups = buildEdgeRollups(rollupInputs, this.ladders);
    this.ensureRoom({
      [SAMPLES_TABLE]: sampleRows.length,
      [SERIES_TABLE]: seriesRows.length,
      [EDGE_ROLLUPS_TABLE]: rollups.length,
    });
    // Series rows in flight count as written, so batches offered meanwhile (other scrapes of
    // the same series while this insert runs) do not write them again; forgotten on failure.
    for (const row of seriesRows) this.rememberSeries(row.SeriesId, now);
    try {
      await Promise.all([
        this.pipeline.sink<MetricSampleRow>(SAMPLES_TABLE).offer(sampleRows),
        this.pipeline.sink<MetricSeriesRow>(SERIES_TABLE).offer(seriesRows),
        this.pipeline.sink<EdgeRollupRow>(EDGE_ROLLUPS_TABLE).offer(rollups),
      ]);
    } catch (err) {
      for (const row of seriesRows) this.seriesWritten.delete(row.SeriesId);
      throw err;
    }
    plan.commit();
    return {
      samples: sampleRows.length,
      newSeries: seriesRows.length,
      rollupRows: rollups.length,
    };
  }

  /** Edge key and histogram ladder key of an Istio series, computed once per series (bounded cache). */
  private rollupMeta(id: string, s: IngestSample): RollupMeta {
    let meta = this.rollupCache.get(id);
    if (!meta) {
      meta = { edge: cachedEdgeOf(s.labels) };
      if (s.name.endsWith('_bucket') && s.labels.le !== undefined) {
        const le = s.labels.le === '+Inf' ? Infinity : Number(s.labels.le);
        if (!Number.isNaN(le)) {
          meta.le = le;
          meta.ladderKey = BucketLadders.keyOf(s.name, s.labels);
        }
      }
      if (this.rollupCache.size >= this.opts.maxSeries)
        this.rollupCache.clear();
      this.rollupCache.set(id, meta);
    }
    return meta;
  }

  private rememberSeries(id: string, now: number): void {
    this.seriesWritten.delete(id);
    this.seriesWritten.set(id, now);
    if (this.seriesWritten.size > this.opts.maxSeries) {
      const oldest = this.seriesWritten.keys().next().value;
      if (oldest !== undefined) this.seriesWritten.delete(oldest);
    }
  }
}
