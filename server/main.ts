/**
 * Meshlens entry point: `npm start` (all roles, embedded ClickHouse) and `npm run demo`.
 * Starts the roles asked for in MESHLENS_ROLES in this one process, logs where each listener and
 * the data are, and on SIGINT/SIGTERM drains the pipeline and stops cleanly.
 *   flags: --demo (feed the simulated mesh), --dev (Next.js dev mode), --migrate-only
 */
import http from 'node:http';
import path from 'node:path';
import type { ScrapeJob } from '~/collectors/sources/prometheus-scrape/config';
import type { AddressInfo } from 'node:net';
import { startAlertEvaluator, type AlertEvaluator } from './alerts/evaluator';
import { ensureWebBuild } from './build-web';
import { ConfigError, parseConfig, setConfig, type Config } from './config';
import { closeDb, getDb } from './db/client';
import { migrate } from './db/migrate';
import { applyRetention } from './db/retention';
import { logger, rootLogger } from './log';
import { handleOps } from './ops';
import { runtime, type ListenerInfo } from './runtime';
import { startSelfTracing } from './telemetry/tracing';

const log = logger('main');

/** The demo mesh's sidecars, found through the file_sd targets file it writes. */
function demoScrapeJob(config: Config): ScrapeJob {
  return {
    name: 'demo-mesh',
    intervalMs: 5000,
    timeoutMs: 4000,
    metricsPath: '/stats/prometheus',
    scheme: 'http',
    staticConfigs: [],
    fileSd: [
      {
        files: [path.join(config.dataDir, 'demo', 'targets.json')],
        refreshMs: 5000,
      },
    ],
    kubernetesSd: [],
  };
}
type Stopper = { name: string; stop: () => Promise<void> };

function loadConfig(): Config {
  try {
    const config = parseConfig();
    setConfig(config);
    return config;
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`meshlens: ${err.message}\n`);
      process.exit(2);
    }
    throw err;
  }
}

/** The ops endpoints alone, on the web port, when the web role is not run here. */
async function startOpsServer(
  config: Config,
): Promise<{ url: string; close: () => Promise<void> }> {
  const server = http.createServer((req, res) => {
    void handleOps(req, res).then((done) => {
      if (!done) {
        res.writeHead(404, { 'content-type': 'text/plain' });
        res.end(
          'this process runs without the web role: only /metrics, /healthz and /readyz are served\n',
        );
      }
    });
  });
  await new Promise<void>((resolve) =>
    server.listen(config.ports.web, config.host, resolve),
  );
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${config.host}:${port}`,
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

async function main(): Promise<void> {
  const args = new Set(process.argv.slice(2));
  const config = loadConfig();
  const rt = runtime();
  rt.roles = config.roles;
  const stoppers: Stopper[] = [];
  const tracing = config.env.MESHLENS_SELF_TRACING
    ? startSelfTracing(config)
    : undefined;
  if (tracing) stoppers.push({ name: 'self-tracing', stop: tracing });

  const db = await getDb(config);
  log.info(
    {
      storage: db.mode,
      location: db.location,
      database: db.database,
      cluster: db.cluster ?? null,
      roles: config.roles,
    },
    db.mode === 'embedded'
      ? `embedded ClickHouse, data folder ${db.location}`
      : `ClickHouse server ${db.location}`,
  );
  if (config.env.MESHLENS_MIGRATE_ON_START || args.has('--migrate-only')) {
    const result = await migrate(db, config.ttlDays, {
      onApply: (name) => log.info({ migration: name }, 'migration applied'),
    });
    log.info(
      { applied: result.applied.length, alreadyApplied: result.alreadyApplied },
      'schema is up to date',
    );
    for (const change of await applyRetention(db, config.ttlDays)) {
      log.info(
        change,
        `retention of ${change.table} set to ${change.toDays} days`,
      );
    }
  }
  if (args.has('--migrate-only')) {
    // The replicas started after this job share one signing key instead of racing to make it.
    const { signingKey } = await import('./auth/signing-key');
    await signingKey(db);
    await closeDb();
    return;
  }

  const listeners: ListenerInfo[] = [];
  let pipelineClose: (() => Promise<void>) | undefined;
  let otlpHttpUrl: string | undefined;
  if (config.roles.includes('collector')) {
    const { createPipeline } = await import('~/collectors/pipeline');
    const { startCollectors } = await import('~/collectors/main');
    const pipeline = createPipeline({ db, config });
    pipelineClose = () => pipeline.close();
    const collectors = await startCollectors(config, pipeline);
    stoppers.push({
      name: 'collector listeners',
      stop: () => collectors.close(),
    });
    const { startFileTailers } =
      await import('~/collectors/sources/envoy-access-log');
    const tailers = await startFileTailers({ config, pipeline, db });
    // Tailers stop before the drain: they wait for their batch in flight and save offsets.
    if (tailers)
      stoppers.push({
        name: 'access-log file tailers',
        stop: () => tailers.stop(),
      });
    const { startScraper } =
      await import('~/collectors/sources/prometheus-scrape/scraper');
    const { scrapeJobsFromConfig } =
      await import('~/collectors/sources/prometheus-scrape/config');
    const jobs = scrapeJobsFromConfig(config);
    if (args.has('--demo')) jobs.push(demoScrapeJob(config));
    const scraper = await startScraper({ config, pipeline, jobs });
    stoppers.push({ name: 'scraper', stop: () => scraper.stop() });
    listeners.push(...collectors.listeners);
    otlpHttpUrl = collectors.listeners.find((l) => l.name === 'otlp-http')?.url;
  }

  let evaluator: AlertEvaluator | undefined;
  if (config.roles.includes('alerts')) {
    evaluator = startAlertEvaluator(config.env.MESHLENS_ALERTS_INTERVAL_S);
    stoppers.push({ name: 'alert evaluator', stop: () => evaluator!.stop() });
    const { startAlerting } = await import('./alerts/start');
    const alerting = await startAlerting(evaluator, db, config);
    stoppers.push({ name: 'alert deliveries', stop: () => alerting.stop() });
  }

  if (config.roles.includes('web')) {
    const dev = args.has('--dev');
    if (!dev) {
      await ensureWebBuild(() =>
        log.info('building the web app (first start only, about a minute)'),
      );
    }
    const { startWeb } = await import('./web/server');
    const web = await startWeb({
      host: config.host,
      port: config.ports.web,
      dev,
      handle: handleOps,
    });
    stoppers.push({ name: 'web', stop: () => web.close() });
    listeners.unshift({
      name: 'web',
      url: web.url,
      serves: ['dashboard', '/api/trpc', '/metrics', '/healthz', '/readyz'],
    });
  } else {
    const ops = await startOpsServer(config);
    stoppers.push({ name: 'ops', stop: () => ops.close() });
    listeners.unshift({
      name: 'web',
      url: ops.url,
      serves: ['/metrics', '/healthz', '/readyz'],
    });
  }
  if (pipelineClose)
    stoppers.push({ name: 'pipeline drain', stop: pipelineClose });

  for (const l of listeners)
    log.info(
      { listener: l.name, url: l.url, serves: l.serves },
      'listener ready',
    );
  rt.listeners = listeners;

  rt.ready = true;
  log.info({ web: listeners[0]?.url }, 'meshlens ready');

  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) {
      log.warn('second signal: exiting without draining');
      process.exit(130);
    }
    stopping = true;
    rt.ready = false;
    log.info({ signal }, 'stopping: draining queues (Ctrl-C again to force)');
    void (async () => {
      for (const s of stoppers) {
        try {
          await s.stop();
        } catch (err) {
          log.error({ err, part: s.name }, 'error while stopping');
        }
      }
      await closeDb();
      log.info('stopped cleanly');
      rootLogger().flush();
      process.exit(0);
    })();
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));

  if (args.has('--demo')) {
    if (!otlpHttpUrl)
      throw new Error('--demo needs the collector role (MESHLENS_ROLES)');
    const { startDemo } = await import('~/collectors/demo');
    const demo = await startDemo({
      scenarioPath: config.env.MESHLENS_DEMO_SCENARIO,
      dataDir: config.dataDir,
      otlpHttpUrl: `${otlpHttpUrl}/v1/traces`,
      logsPushUrl: `${otlpHttpUrl}/v1/envoy/logs`,
      backfillMinutes: 10,
      logger: logger('demo'),
    });
    rt.demo = {
      running: true,
      scenario: config.env.MESHLENS_DEMO_SCENARIO ?? 'bookinfo',
    };
    // The demo stops first so nothing is sent into a draining pipeline.
    stoppers.unshift({ name: 'demo', stop: () => demo.stop() });
    log.info({ targetsFile: demo.targetsFile }, 'demo mesh running');
  }
}

main().catch((err: unknown) => {
  log.fatal({ err }, `meshlens failed to start: ${(err as Error).message}`);
  rootLogger().flush();
  setTimeout(() => process.exit(1), 100);
});
