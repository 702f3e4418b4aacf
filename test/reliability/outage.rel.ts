/**
 * Store outage in server mode: the collector writes to a ClickHouse HTTP endpoint
 * (test/helpers/clickhouse-http.ts: ClickHouse's HTTP interface over a real chDB engine) that first
 * answers errors, then stops answering. The collector must acknowledge spans only once they are
 * in its disk spool, keep the spool under MESHLENS_SPOOL_MAX_BYTES, report it in /metrics,
 * refuse new data (503) past the cap rather than drop acknowledged data, survive a kill -9 with
 * a full spool, and replay everything when the store answers again.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { startApp, type AppProcess } from '~/test/helpers/app-process';
import {
  startClickHouseHttp,
  type ClickHouseHttp,
} from '~/test/helpers/clickhouse-http';
import { recordFigures } from './helpers/figures';
import { SERVICE, SpanSender } from './helpers/span-sender';
import { compareAcked, scrapeMetrics } from './helpers/stored';
import { sleep, waitFor } from './helpers/wait';

const SPOOL_CAP = 1024 * 1024;
const SPANS_PER_REQUEST = 100;

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'meshlens-outage-'));
const dataDir = path.join(root, 'collector');
const spoolDir = path.join(dataDir, 'spool');
let store: ClickHouseHttp | undefined;
let app: AppProcess | undefined;

afterAll(async () => {
  await app?.stop();
  await store?.close();
  fs.rmSync(root, { recursive: true, force: true });
});

function spoolBytesOnDisk(): number {
  if (!fs.existsSync(spoolDir)) return 0;
  let n = 0;
  for (const t of fs.readdirSync(spoolDir)) {
    const dir = path.join(spoolDir, t);
    for (const f of fs.readdirSync(dir))
      n += fs.statSync(path.join(dir, f)).size;
  }
  return n;
}

const metric = async (name: string) =>
  (await scrapeMetrics(`${app!.urls.web}/metrics`)).get(name) ?? 0;

/** Sends requests one after another until `refusalsInARow` requests in a row were refused. */
async function sendUntilRefused(sender: SpanSender, refusalsInARow: number) {
  let row = 0;
  const until = Date.now() + 120_000;
  while (row < refusalsInARow && Date.now() < until) {
    const outcome = await sender.send(SPANS_PER_REQUEST);
    row = outcome === 'refused' ? row + 1 : 0;
  }
  expect(row).toBe(refusalsInARow);
}

it('spools up to the cap during an outage, refuses past it, and replays everything after kill -9 and recovery', async () => {
  fs.mkdirSync(dataDir, { recursive: true });
  store = await startClickHouseHttp(path.join(root, 'store'));
  const env = {
    MESHLENS_DATA_DIR: dataDir,
    MESHLENS_ROLES: 'collector',
    CLICKHOUSE_URL: store.url,
    MESHLENS_SPOOL_MAX_BYTES: String(SPOOL_CAP),
    MESHLENS_INSERT_MAX_ATTEMPTS: '2',
  };
  app = await startApp(env);
  const senders = [new SpanSender(`${app.urls.otlpHttp}/v1/traces`, 0)];

  // 1. Healthy: stored at once.
  for (let i = 0; i < 10; i++) await senders[0]!.send(SPANS_PER_REQUEST);
  expect(senders[0]!.counts.statuses).toEqual({ 200: 10 });
  expect(senders[0]!.counts.acked).toBe(10 * SPANS_PER_REQUEST);

  // 2. The store answers errors: batches go to the spool until the cap, then 503.
  store.setMode('errors');
  await sendUntilRefused(senders[0]!, 5);
  const ackedDuringErrors = senders[0]!.counts.acked - 10 * SPANS_PER_REQUEST;
  const spoolMetric = await metric('meshlens_spool_bytes');
  const spooledRows = await metric(
    'meshlens_ingest_rows_total{table="otel_traces",outcome="spooled"}',
  );
  const onDisk = spoolBytesOnDisk();
  expect(ackedDuringErrors).toBeGreaterThan(0);
  expect(spoolMetric).toBeGreaterThan(0);
  expect(spoolMetric).toBeLessThanOrEqual(SPOOL_CAP);
  expect(onDisk).toBe(spoolMetric);
  expect(spooledRows).toBe(ackedDuringErrors);

  // 3. kill -9 with a full spool; the store now does not answer at all. The restarted
  //    collector (migrations off, as collector replicas run) counts the spool it finds.
  store.setMode('down');
  process.kill(app.pid, 'SIGKILL');
  await app.stop();
  app = await startApp({ ...env, MESHLENS_MIGRATE_ON_START: 'false' });
  expect(await metric('meshlens_spool_bytes')).toBe(onDisk);
  senders.push(new SpanSender(`${app.urls.otlpHttp}/v1/traces`, 10_000_000));
  await sendUntilRefused(senders[1]!, 3);
  expect(spoolBytesOnDisk()).toBeLessThanOrEqual(SPOOL_CAP);
  const healthz = await fetch(`${app.urls.web}/healthz`);
  expect(healthz.status).toBe(200);

  // 4. The store is back: the spool replays (every 5 s) to empty and new spans go straight in.
  store.setMode('ok');
  await waitFor(
    async () => (await metric('meshlens_spool_bytes')) === 0,
    90_000,
    'the spool to replay',
  );
  expect(spoolBytesOnDisk()).toBe(0);
  for (let i = 0; i < 10; i++) await senders[1]!.send(SPANS_PER_REQUEST);
  await sleep(500);
  expect(await app.stop()).toBe(0);
  app = undefined;

  const rows = await (
    await store.client.query({
      query: `SELECT SpanId AS id, count() AS n FROM meshlens.otel_traces
              WHERE ServiceName = {service:String} GROUP BY SpanId`,
      query_params: { service: SERVICE },
      format: 'JSONEachRow',
    })
  ).json<{ id: string; n: number | string }>();
  const stored = new Map(rows.map((r) => [r.id, Number(r.n)]));
  const ackedIds = senders.flatMap((s) => s.ackedIds());
  const { missing, duplicated } = compareAcked(ackedIds, stored);
  const refused = senders.reduce((n, s) => n + s.counts.refused, 0);

  recordFigures({
    scenario: 'store-outage',
    loadHeld: `${ackedIds.length} spans acked; ${ackedDuringErrors} of them while ClickHouse failed, held in a ${SPOOL_CAP / 1024} KiB spool`,
    // Three faults: the store answering errors, the store unreachable, kill -9 with a full spool.
    faultsSurvived: 3,
    inputsTried: 0,
    itemsLost: missing,
    details: {
      spansAcked: ackedIds.length,
      spansAckedDuringOutage: ackedDuringErrors,
      spansRefusedPastCap: refused,
      spoolBytesAtCap: onDisk,
      spoolCapBytes: SPOOL_CAP,
      storeErrorAnswers: store.requests.errors,
      storeResetConnections: store.requests.down,
      spansStoredTwice: duplicated,
      senderStatuses: senders.map((s) => s.counts.statuses),
    },
  });
  expect(refused).toBeGreaterThan(0);
  expect(missing).toBe(0);
});
