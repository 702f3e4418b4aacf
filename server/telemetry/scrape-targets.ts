/**
 * The scraper's target list, shared with the web role of the same process: the scraper
 * (collectors/sources/prometheus-scrape) registers a provider, the `targets` tRPC router reads it.
 * Kept on globalThis so Next's bundles see the same object (as server/runtime.ts does).
 * When the collector role runs in another process, nothing is registered here: the UI says so.
 */

export type TargetHealthState = 'up' | 'down' | 'unknown';

/** One scrape target as Prometheus' /targets page shows it. */
export interface ScrapeTargetHealth {
  job: string;
  instance: string;
  url: string;
  labels: Record<string, string>;
  health: TargetHealthState;
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

export interface ScrapeTargetsProvider {
  targets(): ScrapeTargetHealth[];
  /** Discovery errors per job ('' when the last discovery worked). */
  discoveryErrors(): Record<string, string>;
  /** Every configured job, with or without targets. */
  jobs(): string[];
}

const holder = globalThis as unknown as {
  __meshlensScrapeTargets?: Set<ScrapeTargetsProvider>;
};

function providers(): Set<ScrapeTargetsProvider> {
  holder.__meshlensScrapeTargets ??= new Set();
  return holder.__meshlensScrapeTargets;
}

/** Registers a scraper; returns the function that removes it (call it on stop). */
export function registerScrapeTargets(p: ScrapeTargetsProvider): () => void {
  providers().add(p);
  return () => providers().delete(p);
}

export interface ScrapeTargetsSnapshot {
  /** False when no scraper runs in this process (collector role elsewhere, or not started). */
  scraping: boolean;
  jobs: string[];
  targets: ScrapeTargetHealth[];
  discoveryErrors: { job: string; error: string }[];
}

export function scrapeTargetsSnapshot(): ScrapeTargetsSnapshot {
  const list = [...providers()];
  const targets = list
    .flatMap((p) => p.targets())
    .sort(
      (a, b) =>
        a.job.localeCompare(b.job) || a.instance.localeCompare(b.instance),
    );
  const jobs = [...new Set(list.flatMap((p) => p.jobs()))].sort();
  const discoveryErrors = list
    .flatMap((p) => Object.entries(p.discoveryErrors()))
    .filter(([, error]) => error !== '')
    .map(([job, error]) => ({ job, error }));
  return { scraping: list.length > 0, jobs, targets, discoveryErrors };
}
