/**
 * The scraper's own metrics on Meshlens' registry (served at /metrics): per-target `up`, duration
 * and sample count (labels job, instance: bounded by the number of targets, and removed when a
 * target goes away), failures by low-cardinality reason, and samples dropped under backpressure.
 */
import client from 'prom-client';
import { metrics } from '~/server/telemetry/metrics';
import type { Target } from './targets';

function create() {
  const registry = metrics().registry;
  const existing = <T>(name: string) =>
    registry.getSingleMetric(name) as T | undefined;
  return {
    up:
      existing<client.Gauge<'job' | 'instance'>>('meshlens_scrape_up') ??
      new client.Gauge({
        name: 'meshlens_scrape_up',
        help: 'Whether the last scrape of a target worked (1) or failed (0), like Prometheus up.',
        labelNames: ['job', 'instance'] as const,
        registers: [registry],
      }),
    duration:
      existing<client.Gauge<'job' | 'instance'>>(
        'meshlens_scrape_duration_seconds',
      ) ??
      new client.Gauge({
        name: 'meshlens_scrape_duration_seconds',
        help: 'Duration of the last scrape of a target, in seconds.',
        labelNames: ['job', 'instance'] as const,
        registers: [registry],
      }),
    samples:
      existing<client.Gauge<'job' | 'instance'>>('meshlens_scrape_samples') ??
      new client.Gauge({
        name: 'meshlens_scrape_samples',
        help: 'Samples in the last successful scrape of a target.',
        labelNames: ['job', 'instance'] as const,
        registers: [registry],
      }),
    failures:
      existing<client.Counter<'job' | 'reason'>>(
        'meshlens_scrape_failures_total',
      ) ??
      new client.Counter({
        name: 'meshlens_scrape_failures_total',
        help: 'Failed scrapes by job and reason (timeout, connect, http_status, too_large, parse).',
        labelNames: ['job', 'reason'] as const,
        registers: [registry],
      }),
    lastError:
      existing<client.Gauge<'job' | 'instance' | 'reason'>>(
        'meshlens_scrape_target_error',
      ) ??
      new client.Gauge({
        name: 'meshlens_scrape_target_error',
        help: 'Why the last scrape of a target failed: 1 for the reason (timeout, connect, http_status, too_large, parse); absent while the target is up.',
        labelNames: ['job', 'instance', 'reason'] as const,
        registers: [registry],
      }),
    dropped:
      existing<client.Counter<'job'>>(
        'meshlens_scrape_dropped_samples_total',
      ) ??
      new client.Counter({
        name: 'meshlens_scrape_dropped_samples_total',
        help: 'Scraped samples dropped because the pipeline was full (increases carry over to the next scrape).',
        labelNames: ['job'] as const,
        registers: [registry],
      }),
  };
}

const holder = globalThis as unknown as {
  __meshlensScrapeMetrics?: ReturnType<typeof create>;
  /** The reason currently set per target (job\xffinstance), to clear it when it changes. */
  __meshlensScrapeReasons?: Map<string, string>;
};

export function scrapeMetrics() {
  holder.__meshlensScrapeMetrics ??= create();
  const m = holder.__meshlensScrapeMetrics;
  holder.__meshlensScrapeReasons ??= new Map();
  const reasons = holder.__meshlensScrapeReasons;
  const setReason = (t: Target, reason: string | undefined) => {
    const key = `${t.job}\xff${t.labels.instance ?? ''}`;
    const before = reasons.get(key);
    if (before === reason) return;
    if (before !== undefined) m.lastError.remove({ ...ids(t), reason: before });
    if (reason === undefined) reasons.delete(key);
    else {
      reasons.set(key, reason);
      m.lastError.set({ ...ids(t), reason }, 1);
    }
  };
  const ids = (t: Target) => ({
    job: t.job,
    instance: t.labels.instance ?? '',
  });
  return {
    observe(
      t: Target,
      up: boolean,
      durationMs: number,
      samples: number,
      failure?: string,
    ) {
      m.up.set(ids(t), up ? 1 : 0);
      m.duration.set(ids(t), durationMs / 1000);
      if (up) m.samples.set(ids(t), samples);
      if (failure) m.failures.inc({ job: t.job, reason: failure });
      setReason(t, up ? undefined : (failure ?? 'unknown'));
    },
    dropped(t: Target, n: number) {
      m.dropped.inc({ job: t.job }, n);
    },
    forget(t: Target) {
      m.up.remove(ids(t));
      m.duration.remove(ids(t));
      m.samples.remove(ids(t));
      setReason(t, undefined);
    },
  };
}
