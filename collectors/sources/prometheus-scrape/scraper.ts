/**
 * The scraper of the collector role: jobs from config, targets from static / file_sd / Kubernetes
 * discovery, one TargetLoop per target, all samples through one MetricsIngester (source 'scrape').
 * Wired by server/main.ts: `const scraper = await startScraper({ config, pipeline })`, then
 * `scraper.stop()` before the pipeline drains; `scraper.targets()` is the health list for the UI.
 */
import { logger } from '~/server/log';
import { registerScrapeTargets } from '~/server/telemetry/scrape-targets';
import type { Config } from '~/server/config';
import type { Pipeline } from '../../pipeline';
import { MetricsIngester } from '../prometheus-shared/ingest';
import { scrapeJobsFromConfig, type ScrapeJob } from './config';
import { TargetLoop, type TargetHealth } from './target-loop';
import {
  resolveTargets,
  watchFileSd,
  watchKubernetes,
  type Discoverer,
} from './targets';

export type { TargetHealth } from './target-loop';

const log = logger('scrape');

export interface Scraper {
  /** Stops discovery and every loop (in-flight scrapes finish), writing stale markers. */
  stop(): Promise<void>;
  /** Health of every current target, sorted by job then instance. */
  targets(): TargetHealth[];
  /** Discovery errors per job ('' when the last discovery worked). */
  discoveryErrors(): Record<string, string>;
}

export interface ScraperContext {
  config: Config;
  pipeline: Pipeline;
  /** Jobs to run instead of those from config (tests, benchmarks). */
  jobs?: ScrapeJob[];
}

/** Starts discovery and the target loops; rejects with ScrapeConfigError when the config is wrong. */
export function startScraper(ctx: ScraperContext): Promise<Scraper> {
  return new Promise((resolve) => resolve(createScraper(ctx)));
}

function createScraper(ctx: ScraperContext): Scraper {
  const { config, pipeline } = ctx;
  const jobs = ctx.jobs ?? scrapeJobsFromConfig(config);
  const ingester = new MetricsIngester(pipeline, {
    source: 'scrape',
    maxSeries: config.env.MESHLENS_METRICS_MAX_SERIES,
    queueMaxRows: config.pipeline.queueMaxRows,
  });
  const loops = new Map<string, TargetLoop>();
  const discoverers = new Map<string, Discoverer[]>();
  const errors: Record<string, string> = {};
  let stopped = false;
  const pendingStops = new Set<Promise<void>>();

  const sync = () => {
    if (stopped) return;
    const wanted = new Map<string, ReturnType<typeof resolveTargets>[number]>();
    for (const job of jobs) {
      const groups = [
        ...job.staticConfigs,
        ...(discoverers.get(job.name) ?? []).flatMap((d) => d.groups()),
      ];
      for (const t of resolveTargets(job, groups)) wanted.set(t.key, t);
    }
    for (const [key, loop] of loops) {
      if (wanted.has(key)) continue;
      loops.delete(key);
      // A target that went away: its series end now (stale markers), like Prometheus.
      const p = loop.stop(true).finally(() => pendingStops.delete(p));
      pendingStops.add(p);
    }
    for (const [key, target] of wanted) {
      if (loops.has(key)) continue;
      const loop = new TargetLoop(
        target,
        ingester,
        config.pipeline.maxBodyBytes,
      );
      loops.set(key, loop);
      loop.start();
    }
  };

  for (const job of jobs) {
    const list: Discoverer[] = [];
    for (const f of job.fileSd) list.push(watchFileSd(f, sync));
    for (const k of job.kubernetesSd) {
      list.push(
        watchKubernetes(
          k,
          () => {
            errors[job.name] = '';
            sync();
          },
          (err) => {
            if (errors[job.name] !== err.message)
              log.warn(
                { job: job.name, err: err.message },
                'Kubernetes discovery failed',
              );
            errors[job.name] = err.message;
          },
        ),
      );
    }
    discoverers.set(job.name, list);
  }
  sync();
  log.info(
    { jobs: jobs.map((j) => j.name), targets: loops.size },
    'scraper started',
  );

  const scraper: Scraper = {
    async stop() {
      stopped = true;
      unregister();
      for (const list of discoverers.values()) for (const d of list) d.stop();
      await Promise.all([
        ...[...loops.values()].map((l) => l.stop(true)),
        ...pendingStops,
      ]);
      loops.clear();
    },
    targets() {
      return [...loops.values()]
        .map((l) => ({ ...l.health }))
        .sort(
          (a, b) =>
            a.job.localeCompare(b.job) || a.instance.localeCompare(b.instance),
        );
    },
    discoveryErrors: () => ({ ...errors }),
  };
  // The Targets page of this process's web role reads the health from here.
  const unregister = registerScrapeTargets({
    targets: () => scraper.targets(),
    discoveryErrors: () => scraper.discoveryErrors(),
    jobs: () => jobs.map((j) => j.name),
  });
  return scraper;
}
