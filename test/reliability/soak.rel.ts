/**
 * Soak: the demo mesh at 10x its scenario rate for 10 minutes (RELIABILITY_SOAK_S) against one
 * Meshlens process on the embedded engine. The demo runs in this test process and emits as a
 * mesh would: sidecar access-log files (CRI format, rotated at 10 MiB) that the collector tails,
 * OTLP/HTTP spans, and /stats/prometheus endpoints the collector scrapes through file_sd.
 * Memory must level off (RSS curve reported), the collector must not fail (no error logs, no
 * 5xx answers, no dead letters), and everything must be stored, counted against the senders' own
 * counts: every line written exactly once, every span the collector acknowledged. What the
 * senders could not deliver is reported as load not held: the demo's span emitter keeps one
 * export of 1,000 spans in flight and drops the oldest past 50,000 queued, so its rate is bounded
 * by the collector's acknowledgement latency (an acknowledgement means the rows are durable).
 * (Logs go through the file tail rather than the demo's push: its emitter keeps one push of at
 * most 2,000 lines in flight, which falls behind 10x on a busy 2-core machine.)
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { startDemo, type DemoHandle } from '~/collectors/demo';
import { startApp, type AppProcess } from '~/test/helpers/app-process';
import { recordFigures } from './helpers/figures';
import { curve, growthMiB, sampleRss } from './helpers/rss';
import { writeScaledScenario } from './helpers/scaled-scenario';
import {
  closeStore,
  openStore,
  queryRows,
  scrapeMetrics,
} from './helpers/stored';
import { sleep, waitSettled } from './helpers/wait';

const SOAK_S = Number(process.env.RELIABILITY_SOAK_S ?? 600);
const RATE = 10;

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'meshlens-soak-'));
let app: AppProcess | undefined;
let demo: DemoHandle | undefined;

afterAll(async () => {
  await demo?.stop();
  await app?.stop();
  await closeStore();
  fs.rmSync(root, { recursive: true, force: true });
});

const count = async (db: Awaited<ReturnType<typeof openStore>>, sql: string) =>
  Number((await queryRows<{ n: number | string }>(db, sql))[0]?.n ?? 0);

it(`holds the demo mesh at ${RATE}x for ${SOAK_S} s with bounded memory and nothing lost`, async () => {
  const dataDir = path.join(root, 'meshlens');
  const demoDir = path.join(root, 'demo');
  const targetsFile = path.join(demoDir, 'demo', 'targets.json');
  fs.mkdirSync(path.dirname(targetsFile), { recursive: true });
  fs.writeFileSync(targetsFile, '[]\n');
  const scrapeConfig = path.join(root, 'scrape.yaml');
  fs.writeFileSync(
    scrapeConfig,
    [
      'scrape_configs:',
      '  - job_name: demo-mesh',
      '    scrape_interval: 5s',
      '    scrape_timeout: 4s',
      '    metrics_path: /stats/prometheus',
      '    file_sd_configs:',
      `      - files: [${JSON.stringify(targetsFile)}]`,
      '        refresh_interval: 5s',
      '',
    ].join('\n'),
  );
  app = await startApp({
    MESHLENS_DATA_DIR: dataDir,
    MESHLENS_ROLES: 'collector',
    MESHLENS_SCRAPE_CONFIG: scrapeConfig,
    MESHLENS_ACCESS_LOG_FILES: path.join(demoDir, 'demo', 'logs', '*.log'),
  });
  const rss = sampleRss(app.pid, 5000);
  demo = await startDemo({
    scenarioPath: writeScaledScenario(root, RATE),
    dataDir: demoDir,
    otlpHttpUrl: `${app.urls.otlpHttp}/v1/traces`,
    logsPushUrl: null,
    backfillMinutes: 0,
  });
  const startedAt = Date.now();
  await sleep(SOAK_S * 1000);
  await demo.stop();
  const stats = demo.stats();
  const elapsedS = (Date.now() - startedAt) / 1000;
  demo = undefined;
  // The tailer reads to the end of every file, then the counter stops moving.
  await waitSettled(
    async () =>
      (await scrapeMetrics(`${app!.urls.web}/metrics`)).get(
        'meshlens_ingest_rows_total{table="mesh_requests",outcome="inserted"}',
      ) ?? 0,
    5000,
    300_000,
    'the tailer to catch up',
  );
  const health = await fetch(`${app.urls.web}/healthz`);
  expect(health.status).toBe(200);
  const samples = rss.stop();
  const answers = await scrapeMetrics(`${app.urls.web}/metrics`);
  const serverErrors = [...answers]
    .filter(([k]) =>
      /^meshlens_receiver_requests_total\{.*code="5\d\d"/.test(k),
    )
    .filter(([k]) => !k.includes('code="503"'))
    .reduce((n, [, v]) => n + v, 0);
  const errorLines = app.logs.filter((l) => /"level":(50|60)/.test(l));
  expect(await app.stop()).toBe(0);
  app = undefined;

  const db = await openStore(dataDir);
  const lines = await count(
    db,
    `SELECT count() AS n FROM {db:Identifier}.mesh_requests WHERE Signal = 'file'`,
  );
  const spans = await count(
    db,
    `SELECT count() AS n FROM {db:Identifier}.otel_traces`,
  );
  const samplesStored = await count(
    db,
    `SELECT count() AS n FROM {db:Identifier}.metric_samples`,
  );
  const deadLetters = await count(
    db,
    `SELECT count() AS n FROM {db:Identifier}.dead_letters`,
  );

  const logs = stats.logs!;
  const sp = stats.spans!;
  const linesLost = Math.max(0, logs.linesWritten - lines);
  // No per-line key exists (retries share request ids, TCP lines have none): compare counts.
  const linesTwice = Math.max(0, lines - logs.linesWritten);
  const spansLost = Math.max(0, sp.exported - spans);
  const rate = (n: number) => Math.round(n / elapsedS);
  recordFigures({
    scenario: 'soak',
    loadHeld: `demo mesh x${RATE} for ${Math.round(elapsedS)} s: ${rate(logs.linesWritten)} log lines/s + ${rate(sp.exported)} spans/s (${Math.round((100 * sp.exported) / Math.max(1, sp.exported + sp.dropped + sp.queued))} % of generated) + ${rate(samplesStored)} samples/s`,
    faultsSurvived: 0,
    inputsTried: 0,
    itemsLost: linesLost + spansLost,
    details: {
      hopsGenerated: stats.generation.requests,
      tcpConnections: stats.generation.tcpConnections,
      linesWritten: logs.linesWritten,
      linesStored: lines,
      linesStoredExtra: linesTwice,
      fileWriteErrors: logs.fileWriteErrors,
      spansExportedAcked: sp.exported,
      spansStored: spans,
      // Exports the sender timed out on after the collector had stored them (at least once).
      spansStoredExtra: Math.max(0, spans - sp.exported),
      spansDroppedBySender: sp.dropped,
      spanExportFailures: sp.exportFailures,
      metricSamplesStored: samplesStored,
      scrapeEndpointStats: stats.metrics,
      deadLetters,
      errorLogLines: errorLines.length,
      receiver5xxOther503: serverErrors,
      rssMiB: {
        max: Math.max(...samples.map((s) => s.mib)),
        growthSecondHalf: growthMiB(samples),
      },
      rssCurve: curve(samples, 20),
    },
  });
  expect(logs.linesWritten).toBeGreaterThan(0);
  expect(sp.exported).toBeGreaterThan(0);
  expect(samplesStored).toBeGreaterThan(0);
  expect(linesLost).toBe(0);
  expect(linesTwice).toBe(0);
  expect(spansLost).toBe(0);
  // No errors: the collector logged none, answered no 5xx but "busy", dead-lettered nothing.
  expect(errorLines.slice(0, 5)).toEqual([]);
  expect(serverErrors).toBe(0);
  expect(logs.fileWriteErrors).toBe(0);
  expect(deadLetters).toBe(0);
  // Bounded: memory levels off rather than climbing with the minutes.
  expect(growthMiB(samples)).toBeLessThan(150);
});
