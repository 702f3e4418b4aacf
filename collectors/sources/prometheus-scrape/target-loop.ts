/**
 * The scrape loop of one target: a fixed offset inside the interval (hash of the target, so a
 * thousand sidecars are not hit in the same millisecond, as Prometheus spreads them), one scrape
 * per interval, `up`-style health, synthetic `up` / `scrape_duration_seconds` /
 * `scrape_samples_scraped` series, and stale markers for series that vanish, for failed scrapes
 * and for a target that goes away.
 *
 * Backpressure (pull source): when the pipeline refuses, this scrape's samples are dropped and
 * counted; counter state is not committed, so the next scrape's increases cover the gap.
 */
import { createHash } from 'node:crypto';
import { logger } from '~/server/log';
import {
  BackpressureError,
  ShuttingDownError,
  SpoolFullError,
} from '../../pipeline';
import type { Labels, ParsedSample } from '../prometheus-shared/exposition';
import type {
  IngestSample,
  MetricsIngester,
} from '../prometheus-shared/ingest';
import {
  canonicalBound,
  seriesIdOfKey,
  seriesKey,
} from '../prometheus-shared/series';
import { scrapeOnce, ScrapeError } from './scrape';
import type { Target } from './targets';
import { scrapeMetrics } from './metrics';

const log = logger('scrape');

export interface TargetHealth {
  job: string;
  instance: string;
  url: string;
  labels: Labels;
  health: 'up' | 'down' | 'unknown';
  /** ISO time of the last scrape attempt, null before the first. */
  lastScrape: string | null;
  lastScrapeDurationMs: number | null;
  /** Why the last scrape failed ('' when it worked). */
  lastError: string;
  /** Samples in the last successful scrape. */
  samples: number;
  intervalMs: number;
  timeoutMs: number;
}

/** Offset of a target inside its interval, in ms: stable per target, uniform over targets. */
export function jitterOffsetMs(key: string, intervalMs: number): number {
  return (
    createHash('sha256').update(key).digest().readUInt32BE(0) %
    Math.max(1, intervalMs)
  );
}

interface SeriesRef {
  name: string;
  labels: Labels;
  id: string;
  type: IngestSample['type'];
  cumulative: boolean;
}

/**
 * Adds target labels to a scraped sample (target labels win; a clashing scraped label is kept
 * as `exported_<name>`, Prometheus' honor_labels: false) and canonicalizes `le` / `quantile`.
 */
export function withTargetLabels(sample: ParsedSample, target: Labels): Labels {
  const out: Labels = {};
  for (const [k, v] of Object.entries(sample.labels)) {
    if (v === '') continue;
    const value = k === 'le' || k === 'quantile' ? canonicalBound(v) : v;
    out[target[k] !== undefined ? `exported_${k}` : k] = value;
  }
  for (const [k, v] of Object.entries(target)) out[k] = v;
  return out;
}

export class TargetLoop {
  private timer: NodeJS.Timeout | undefined;
  private readonly abort = new AbortController();
  private running: Promise<void> | undefined;
  private previous = new Map<string, SeriesRef>();
  private everSucceeded = false;
  private stopped = false;
  readonly health: TargetHealth;

  constructor(
    readonly target: Target,
    private readonly ingester: MetricsIngester,
    private readonly maxBytes: number,
  ) {
    this.health = {
      job: target.job,
      instance: target.labels.instance ?? '',
      url: target.url,
      labels: target.labels,
      health: 'unknown',
      lastScrape: null,
      lastScrapeDurationMs: null,
      lastError: '',
      samples: 0,
      intervalMs: target.intervalMs,
      timeoutMs: target.timeoutMs,
    };
  }

  start(): void {
    const { intervalMs } = this.target;
    const offset = jitterOffsetMs(this.target.key, intervalMs);
    const now = Date.now();
    // First slot at this target's offset within the current (or next) interval.
    let next = Math.floor(now / intervalMs) * intervalMs + offset;
    if (next < now) next += intervalMs;
    const tick = () => {
      if (this.stopped) return;
      this.running = this.scrape().finally(() => (this.running = undefined));
      next += intervalMs;
      // Skip slots missed while a scrape ran long (never two scrapes of one target at once).
      while (next <= Date.now()) next += intervalMs;
      schedule();
    };
    const schedule = () => {
      this.timer = setTimeout(
        () => {
          if (this.running) void this.running.then(tick);
          else tick();
        },
        Math.max(0, next - Date.now()),
      );
    };
    schedule();
  }

  /** Stops the loop; with `markStale` writes stale markers for the last scraped series. */
  async stop(markStale: boolean): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    this.abort.abort();
    await this.running;
    if (markStale && this.previous.size > 0) {
      await this.store(
        this.staleSamples([...this.previous.values()], Date.now()),
      ).catch(() => undefined);
    }
    scrapeMetrics().forget(this.target);
  }

  private staleSamples(refs: SeriesRef[], tsMs: number): IngestSample[] {
    return refs.map((r) => ({
      name: r.name,
      labels: r.labels,
      seriesId: r.id,
      value: NaN,
      tsMs,
      stale: true,
      type: r.type,
      cumulative: r.cumulative,
    }));
  }

  private syntheticSamples(
    up: boolean,
    durationMs: number,
    scraped: number,
    tsMs: number,
  ): IngestSample[] {
    const gauge = (name: string, value: number): IngestSample => ({
      name,
      labels: this.target.labels,
      value,
      tsMs,
      stale: false,
      type: 'gauge',
      cumulative: false,
    });
    return [
      gauge('up', up ? 1 : 0),
      gauge('scrape_duration_seconds', durationMs / 1000),
      gauge('scrape_samples_scraped', scraped),
    ];
  }

  private async store(samples: IngestSample[]): Promise<void> {
    await this.ingester.ingest(samples);
  }

  /** One scrape and its storage. Never throws. */
  async scrape(): Promise<void> {
    const started = Date.now();
    const m = scrapeMetrics();
    const samples: IngestSample[] = [];
    let current = new Map<string, SeriesRef>();
    let error: ScrapeError | undefined;
    try {
      const result = await scrapeOnce(
        this.target.url,
        this.target.timeoutMs,
        this.maxBytes,
        this.abort.signal,
      );
      for (const s of result.samples) {
        const labels = withTargetLabels(s, this.target.labels);
        const id = seriesIdOfKey(seriesKey(s.name, labels));
        const ref: SeriesRef = {
          name: s.name,
          labels,
          id,
          type: s.type,
          cumulative: s.cumulative,
        };
        if (current.has(id)) continue; // duplicate series in one exposition: keep the first
        current.set(id, ref);
        samples.push({
          name: s.name,
          labels,
          seriesId: id,
          value: s.value,
          tsMs: s.timestampMs ?? started,
          stale: false,
          type: s.type,
          cumulative: s.cumulative,
          // A series that appears on a target we already scraped started at 0 since then.
          startsAtZero: this.everSucceeded && !this.previous.has(id),
        });
      }
    } catch (err) {
      error =
        err instanceof ScrapeError
          ? err
          : new ScrapeError('connect', (err as Error).message);
      current = new Map();
    }
    if (this.stopped) return;
    const durationMs = Date.now() - started;
    const vanished = [...this.previous.values()].filter(
      (r) => !current.has(r.id),
    );
    const batch = [
      ...samples,
      ...this.staleSamples(vanished, started),
      ...this.syntheticSamples(!error, durationMs, samples.length, started),
    ];
    this.health.lastScrape = new Date(started).toISOString();
    this.health.lastScrapeDurationMs = durationMs;
    this.health.health = error ? 'down' : 'up';
    this.health.lastError = error ? error.message : '';
    if (!error) this.health.samples = samples.length;
    m.observe(
      this.target,
      !error,
      durationMs,
      error ? 0 : samples.length,
      error?.kind,
    );
    if (error)
      log.debug(
        { job: this.target.job, url: this.target.url, err: error.message },
        'scrape failed',
      );
    try {
      await this.store(batch);
      this.previous = current;
      if (!error) this.everSucceeded = true;
    } catch (err) {
      if (
        err instanceof BackpressureError ||
        err instanceof ShuttingDownError ||
        err instanceof SpoolFullError
      ) {
        m.dropped(this.target, batch.length);
        this.health.lastError = `${this.health.lastError ? `${this.health.lastError}; ` : ''}samples dropped: ${err.message}`;
        return;
      }
      log.error(
        { err, job: this.target.job, url: this.target.url },
        'storing a scrape failed',
      );
    }
  }
}
