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
import type { ScrapeTargetHealth } from '~/server/telemetry/scrape-targets';
import {
  BackpressureError,
  ShuttingDownError,
  SpoolFullError,
} from '../../pipeline';
import type {
  IngestSample,
  MetricsIngester,
} from '../prometheus-shared/ingest';
import { scrapeOnce, ScrapeError } from './scrape';
import { parseScrape, TargetSeriesCache } from './fast-scrape';
import type { SeriesRef } from './scrape-samples';

export { scrapeSamples, withTargetLabels } from './scrape-samples';
import type { Target } from './targets';
import { scrapeMetrics } from './metrics';

const log = logger('scrape');

/** Health of one target (the Targets page and Prometheus' /targets show the same). */
export type TargetHealth = ScrapeTargetHealth;

/** Offset of a target inside its interval, in ms: stable per target, uniform over targets. */
export function jitterOffsetMs(key: string, intervalMs: number): number {
  return (
    createHash('sha256').update(key).digest().readUInt32BE(0) %
    Math.max(1, intervalMs)
  );
}

/**
 * Scrapes of one target that may wait for their insert before newer ones are dropped: inserts
 * of all targets are grouped (group commit), so while storage is slower than the interval the
 * wait grows and batches grow with it; the pipeline's queue bound (BackpressureError) is the
 * real limit, this one only keeps a single stuck target from holding many scrapes.
 */
const MAX_STORES_WAITING = 10;
const NO_SERIES: ReadonlyMap<string, SeriesRef> = new Map();

export class TargetLoop {
  private timer: NodeJS.Timeout | undefined;
  private readonly abort = new AbortController();
  private running: Promise<void> | undefined;
  private previous = new Map<string, SeriesRef>();
  private everSucceeded = false;
  private readonly seriesCache = new TargetSeriesCache();
  /** The storage of the scrapes parsed so far, in order (settles, never rejects). */
  private stored: Promise<void> = Promise.resolve();
  private storesWaiting = 0;
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

  /** Resolves once every scrape parsed so far is stored (or dropped). */
  async idle(): Promise<void> {
    await this.running;
    await this.stored;
  }

  /** Stops the loop; with `markStale` writes stale markers for the last scraped series. */
  async stop(markStale: boolean): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    this.abort.abort();
    await this.running;
    await this.stored;
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

  /**
   * One scrape: fetch and parse now, then store after this target's previous scrape is stored
   * (counter increases and "new series" need the previous scrape committed). The next scrape
   * does not wait for the storage, as Prometheus' scrape loop does not wait for its TSDB: a
   * target is scraped every interval even while an insert takes longer than the interval. When
   * two scrapes already wait for storage, this one's samples are dropped and counted (the next
   * stored scrape's increases cover them). Resolves when the scrape is parsed; never throws.
   */
  async scrape(): Promise<void> {
    const started = Date.now();
    const m = scrapeMetrics();
    let samples: IngestSample[] = [];
    let current = new Map<string, SeriesRef>();
    let error: ScrapeError | undefined;
    try {
      const { result } = await scrapeOnce(
        this.target.url,
        this.target.timeoutMs,
        this.maxBytes,
        this.abort.signal,
        (text, format) =>
          parseScrape(
            text,
            format,
            this.target.labels,
            this.seriesCache,
            started,
            NO_SERIES,
            false,
          ),
      );
      ({ samples, current } = result);
    } catch (err) {
      error =
        err instanceof ScrapeError
          ? err
          : new ScrapeError('connect', (err as Error).message);
      current = new Map();
    }
    if (this.stopped) return;
    const durationMs = Date.now() - started;
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
    if (this.storesWaiting >= MAX_STORES_WAITING) {
      m.dropped(this.target, samples.length);
      this.health.lastError = `${this.health.lastError ? `${this.health.lastError}; ` : ''}samples dropped: storage is behind (${MAX_STORES_WAITING} scrapes of this target wait for their insert)`;
      return;
    }
    this.storesWaiting++;
    const scraped = { samples, current, error, started, durationMs };
    this.stored = this.stored
      .then(() => this.storeScrape(scraped))
      .finally(() => this.storesWaiting--);
  }

  /** Stores one parsed scrape against the previous stored one. Never throws. */
  private async storeScrape(s: {
    samples: IngestSample[];
    current: Map<string, SeriesRef>;
    error: ScrapeError | undefined;
    started: number;
    durationMs: number;
  }): Promise<void> {
    const { samples, current, error, started, durationMs } = s;
    for (const x of samples)
      // A series that appears on a target we already scraped started at 0 since then.
      x.startsAtZero = this.everSucceeded && !this.previous.has(x.seriesId!);
    const vanished = [...this.previous.values()].filter(
      (r) => !current.has(r.id),
    );
    const batch = [
      ...samples,
      ...this.staleSamples(vanished, started),
      ...this.syntheticSamples(!error, durationMs, samples.length, started),
    ];
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
        scrapeMetrics().dropped(this.target, batch.length);
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
