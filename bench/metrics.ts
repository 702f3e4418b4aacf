/**
 * `npx tsx bench/metrics.ts` (npm run bench:metrics): Meshlens vs Debian's Prometheus, same
 * machine, same run, same data.
 *  (a) ingest: samples/s scraping N simulated sidecars (served by a child process), and samples/s
 *      from remote_write bodies (the very same bodies POSTed to Prometheus' remote-write receiver);
 *  (b) the graph question (requests, errors, p95 per edge over the last hour, SERVICES services):
 *      Meshlens' rollup query vs the equivalent PromQL.
 * Env: SIDECARS (50), EDGES_PER_SIDECAR (10), SCRAPE_INTERVAL_MS (1000), PHASE_S (20), SERVICES (200).
 */
import { spawn } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { createPipeline } from '~/collectors/pipeline';
import { startHttpListener } from '~/collectors/http/server';
import { remoteWriteRoutes } from '~/collectors/sources/prometheus-remote-write/receiver';
import { parseExposition } from '~/collectors/sources/prometheus-shared/exposition';
import { startScraper } from '~/collectors/sources/prometheus-scrape/scraper';
import { tempDb } from '~/test/helpers/temp-db';
import { metrics } from '~/server/telemetry/metrics';
import { postWrite } from '~/test/fixtures/metrics/remote-write';
import {
  startPrometheus,
  type PrometheusServer,
} from '~/test/fixtures/metrics/prometheus-server';
import {
  graphBodies,
  graphEdges,
  MESHLENS_GRAPH_SQL,
  PROMQL_GRAPH,
  quantileMs,
} from './metrics-graph';

const SIDECARS = Number(process.env.SIDECARS ?? 50);
const INTERVAL_MS = Number(process.env.SCRAPE_INTERVAL_MS ?? 1000);
const PHASE_MS = Number(process.env.PHASE_S ?? 20) * 1000;
const SERVICES = Number(process.env.SERVICES ?? 200);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const median = (xs: number[]) =>
  [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const fmt = (n: number) => Math.round(n).toLocaleString('en-US');

/** Prometheus' own CPU seconds and samples appended to its TSDB head (all types summed). */
async function promSelf(
  prom: PrometheusServer,
): Promise<{ cpu: number; appended: number }> {
  const samples = parseExposition(
    await (await fetch(`${prom.url}/metrics`)).text(),
    'text',
  );
  const sum = (n: string) =>
    samples.filter((s) => s.name === n).reduce((a, s) => a + s.value, 0);
  return {
    cpu: sum('process_cpu_seconds_total'),
    appended: sum('prometheus_tsdb_head_samples_appended_total'),
  };
}
const cpuSeconds = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
};

// The pipeline as shipped (batch size, batch interval, queue bound: config defaults).
// (MESHLENS_BATCH_MAX_WAIT_MS / _ROWS from the environment override them, to explore.)
const t = await tempDb({
  MESHLENS_LOG_LEVEL: 'warn',
  MESHLENS_MAX_BODY_BYTES: String(256 << 20),
  ...(process.env.MESHLENS_BATCH_MAX_WAIT_MS
    ? { MESHLENS_BATCH_MAX_WAIT_MS: process.env.MESHLENS_BATCH_MAX_WAIT_MS }
    : {}),
  ...(process.env.MESHLENS_BATCH_MAX_ROWS
    ? { MESHLENS_BATCH_MAX_ROWS: process.env.MESHLENS_BATCH_MAX_ROWS }
    : {}),
});
const load = () =>
  os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');
console.log(
  `load average ${load()} (${os.cpus().length} CPUs); pipeline: batch ${t.config.pipeline.batchMaxRows} rows / ${t.config.pipeline.batchMaxWaitMs} ms, queue ${t.config.pipeline.queueMaxRows} rows`,
);
console.log(
  'ingested = stored and queryable: Meshlens rows in metric_samples (insert acknowledged), Prometheus samples appended to its TSDB head; scrape counts leave out the synthetic up/scrape_* series on both sides',
);
const pipeline = createPipeline({ db: t.db, config: t.config });
const child = spawn(
  process.execPath,
  ['--import', 'tsx', path.join(import.meta.dirname, 'metrics-sidecars.ts')],
  {
    env: { ...process.env, SIDECARS: String(SIDECARS) },
    stdio: ['ignore', 'pipe', 'inherit'],
  },
);
const targets = await new Promise<string[]>((resolve) => {
  readline
    .createInterface({ input: child.stdout })
    .once('line', (l) =>
      resolve((JSON.parse(l) as { targets: string[] }).targets),
    );
});
const peers: PrometheusServer[] = [];
/** Starts a Prometheus that the finally block stops even when a phase throws. */
async function startPeer(
  ...args: Parameters<typeof startPrometheus>
): Promise<PrometheusServer> {
  const p = await startPrometheus(...args);
  peers.push(p);
  return p;
}
const countRows = async (where: string) =>
  Number(
    (
      await t.rows<{ n: number }>(
        `SELECT count() n FROM {db:Identifier}.metric_samples WHERE ${where}`,
      )
    )[0]!.n,
  );

try {
  console.log(
    `(a) scraping ${SIDECARS} sidecars every ${INTERVAL_MS} ms for ${PHASE_MS / 1000} s each`,
  );
  const job = {
    name: 'bench',
    intervalMs: INTERVAL_MS,
    timeoutMs: Math.min(INTERVAL_MS, 5000),
    metricsPath: '/stats/prometheus',
    scheme: 'http' as const,
    staticConfigs: [{ targets, labels: {} }],
    fileSd: [],
    kubernetesSd: [],
  };
  const cpu0 = cpuSeconds();
  const scraper = await startScraper({
    config: t.config,
    pipeline,
    jobs: [job],
  });
  await sleep(PHASE_MS);
  await scraper.stop();
  await pipeline.flush();
  const meshCpu = cpuSeconds() - cpu0;
  const meshScraped = await countRows(
    "Source = 'scrape' AND MetricName NOT IN ('up', 'scrape_duration_seconds', 'scrape_samples_scraped') AND Stale = 0",
  );
  const meshRate = meshScraped / (PHASE_MS / 1000);
  const down = scraper.targets().filter((h) => h.health !== 'up').length;
  const failures = (await metrics().registry.getMetricsAsJSON())
    .filter((m) => m.name === 'meshlens_scrape_failures_total')
    .flatMap((m) => m.values.map((v) => `${v.labels.reason} ${v.value}`))
    .join(', ');
  const [meshUp] = await t.rows<{ n: number; ok: number }>(
    "SELECT count() n, sum(Value) ok FROM {db:Identifier}.metric_samples WHERE MetricName = 'up' AND Source = 'scrape' AND Stale = 0",
  );

  const promScrape = await startPeer({
    global: {
      scrape_interval: `${INTERVAL_MS}ms`,
      scrape_timeout: `${Math.min(INTERVAL_MS, 5000)}ms`,
    },
    scrape_configs: [
      {
        job_name: 'bench',
        metrics_path: '/stats/prometheus',
        static_configs: [{ targets }],
      },
    ],
  });
  // same phase length; both start cold (first scrape of each target at its jittered slot)
  const p0 = await promSelf(promScrape);
  await sleep(PHASE_MS);
  const endSec = Date.now() / 1000;
  const p1 = await promSelf(promScrape);
  // appended to the head in the phase, minus the 5 report series per scrape (up, scrape_*)
  const [ups] = await promScrape.query<{ value: [number, string] }>(
    `sum(count_over_time(up{job="bench"}[${PHASE_MS}ms]))`,
    endSec,
  );
  const [upOk] = await promScrape.query<{ value: [number, string] }>(
    `sum(sum_over_time(up{job="bench"}[${PHASE_MS}ms]))`,
    endSec,
  );
  await promScrape.stop();
  const promCpuS = p1.cpu - p0.cpu;
  const promSamples =
    p1.appended - p0.appended - 5 * Number(ups?.value[1] ?? 0);
  const promRate = promSamples / (PHASE_MS / 1000);
  console.log(
    `  Meshlens   ${fmt(meshRate)} samples/s stored, ${((meshCpu / PHASE_MS) * 1000 * 100).toFixed(0)}% CPU (${down} targets not up at the end; scrapes stored ${meshUp!.n}, of which up ${meshUp!.ok}; failures: ${failures || 'none'})`,
  );
  console.log(
    `  Prometheus ${fmt(promRate)} samples/s stored, ${((promCpuS / PHASE_MS) * 1000 * 100).toFixed(0)}% CPU (scrapes ${ups?.value[1] ?? 0}, of which up ${upOk?.value[1] ?? 0})`,
  );
  console.log(
    `  ratio Meshlens/Prometheus: throughput ${(meshRate / promRate).toFixed(2)}x, CPU per sample ${(meshCpu / Math.max(1, meshScraped) / (promCpuS / Math.max(1, promSamples))).toFixed(2)}x (load average ${load()})`,
  );
  for (const table of ['edge_rollups_1m', 'metric_samples', 'metric_series']) {
    await t.db.client.command({
      query: `TRUNCATE TABLE ${t.db.database}.${table}`,
    });
  }

  console.log(
    `(a+b) remote_write of the graph data: ${SERVICES} services, last 60 minutes, 1 sample/min per series`,
  );
  const edges = graphEdges(SERVICES);
  const startMs = Math.floor((Date.now() - 59 * 60_000) / 60_000) * 60_000;
  // Prometheus' queue manager runs up to queue_config.max_shards (default 50) senders when it falls
  // behind; both receivers get the same bodies over the same number of concurrent shards.
  const shards = Number(process.env.RW_SHARDS ?? 50);
  const { bodies, samples } = graphBodies(edges, startMs, 60, shards);
  const mb = bodies.flat().reduce((a, b) => a + b.length, 0) / 1e6;
  console.log(
    `  ${edges.length} edges, ${fmt(samples)} samples in ${bodies.flat().length} bodies over ${bodies.length} shards (${mb.toFixed(1)} MB snappy)`,
  );
  const listener = await startHttpListener({
    name: 'otlp-http',
    host: '127.0.0.1',
    port: 0,
    routes: remoteWriteRoutes({ config: t.config, pipeline }),
  });
  const promRw = await startPeer({ global: { scrape_interval: '1h' } }, [
    '--web.enable-remote-write-receiver',
  ]);
  const send = async (url: string) => {
    const started = performance.now();
    // one sender per shard, each in time order (Prometheus' queue manager does the same)
    await Promise.all(
      bodies.map(async (shard) => {
        for (const body of shard) {
          const res = await postWrite(url, body);
          if (res.status !== 204)
            throw new Error(`${url} answered ${res.status}: ${res.body}`);
        }
      }),
    );
    return (performance.now() - started) / 1000;
  };
  // CPU of this process (receiver + pipeline + embedded ClickHouse, and the sending client)
  const rwCpu0 = cpuSeconds();
  const meshRw = await send(`${listener.url}/api/v1/write`);
  const meshRwCpu = cpuSeconds() - rwCpu0;
  const promRw0 = await promSelf(promRw);
  const promRwS = await send(`${promRw.url}/api/v1/write`);
  const promRwCpu = (await promSelf(promRw)).cpu - promRw0.cpu;
  console.log(
    `  Meshlens   ${fmt(samples / meshRw)} samples/s (acknowledged = durable), ${((meshRwCpu / meshRw) * 100).toFixed(0)}% CPU incl. the sending client`,
  );
  console.log(
    `  Prometheus ${fmt(samples / promRwS)} samples/s, ${((promRwCpu / promRwS) * 100).toFixed(0)}% CPU`,
  );
  console.log(
    `  ratio Meshlens/Prometheus: ${(promRwS / meshRw).toFixed(2)}x (load average ${load()})`,
  );

  await pipeline.flush();
  const runs = 5;
  const meshTimes: number[] = [];
  let meshRows: {
    requests: number;
    errors: number;
    buckets: Record<string, number>;
    DestinationService: string;
    SourceWorkload: string;
  }[] = [];
  for (let i = 0; i < runs; i++) {
    const s = performance.now();
    meshRows = await t.rows(MESHLENS_GRAPH_SQL);
    for (const r of meshRows) quantileMs(0.95, r.buckets);
    meshTimes.push(performance.now() - s);
  }
  const promTimes: number[] = [];
  let promResults: unknown[][] = [];
  for (let i = 0; i < runs; i++) {
    const s = performance.now();
    promResults = await Promise.all(PROMQL_GRAPH.map((q) => promRw.query(q)));
    promTimes.push(performance.now() - s);
  }
  const meshRequests = meshRows.reduce((a, r) => a + r.requests, 0);
  const promRequests = (promResults[0] as { value: [number, string] }[]).reduce(
    (a, r) => a + Number(r.value[1]),
    0,
  );
  console.log(
    `(b) graph question, median of ${runs}: ${meshRows.length} edges (Prometheus ${promResults[0]!.length})`,
  );
  console.log(
    `  Meshlens   ${median(meshTimes).toFixed(1)} ms (one SQL over edge_rollups_1m + p95 from buckets)`,
  );
  console.log(
    `  Prometheus ${median(promTimes).toFixed(1)} ms (three PromQL queries, run in parallel)`,
  );
  console.log(
    `  ratio Prometheus/Meshlens time: ${(median(promTimes) / median(meshTimes)).toFixed(2)}x (load average ${load()})`,
  );
  console.log(
    `  total requests: Meshlens ${fmt(meshRequests)} (exact increases), Prometheus ${fmt(promRequests)} (increase() extrapolates)`,
  );
  await listener.close();
  await promRw.stop();
} finally {
  await Promise.all(peers.map((p) => p.stop()));
  child.kill('SIGTERM');
  await pipeline.close();
  await t.close();
}
