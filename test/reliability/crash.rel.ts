/**
 * Crash: `kill -9` the collector twice while spans arrive over OTLP/HTTP and an access-log file
 * grows. After each restart on the same data folder, every span the collector acknowledged must
 * be stored, and every line of the tailed file stored exactly once (offsets resume, the
 * in-flight range is checked against the store, so nothing is lost or repeated).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { istioLine } from '~/collectors/sources/envoy-access-log/testdata/lines';
import { startApp, type AppProcess } from '~/test/helpers/app-process';
import { recordFigures } from './helpers/figures';
import { SpanSender, SERVICE } from './helpers/span-sender';
import {
  closeStore,
  compareAcked,
  openStore,
  queryRows,
  scrapeMetrics,
  storedSpanIds,
} from './helpers/stored';
import { sleep, waitSettled } from './helpers/wait';

const KILLS = 2;
const INGEST_BEFORE_KILL_MS = 6000;
const LINES_PER_TICK = 200; // every 100 ms: 2,000 lines/s

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'meshlens-crash-'));
const dataDir = path.join(root, 'data');
const logFile = path.join(root, 'logs', 'reviews_istio-proxy.log');
let app: AppProcess | undefined;
let stopWriter: (() => number) | undefined;

afterAll(async () => {
  stopWriter?.();
  await app?.stop();
  await closeStore();
  fs.rmSync(root, { recursive: true, force: true });
});

const env = {
  MESHLENS_DATA_DIR: dataDir,
  MESHLENS_ROLES: 'collector',
  MESHLENS_ACCESS_LOG_FILES: logFile,
};

/** Appends line pairs (client + server sidecar) to the tailed file until stopped. */
function startLineWriter() {
  fs.mkdirSync(path.dirname(logFile), { recursive: true });
  let next = 0;
  const timer = setInterval(() => {
    const lines: string[] = [];
    for (let k = 0; k < LINES_PER_TICK; k++) lines.push(istioLine(next++));
    fs.appendFileSync(logFile, lines.join('\n') + '\n');
  }, 100);
  return {
    stop: () => {
      clearInterval(timer);
      return next;
    },
  };
}

/** Four senders in a loop until `until()` says stop. */
async function sendWhile(sender: SpanSender, until: () => boolean) {
  await Promise.all(
    [0, 1, 2, 3].map(async () => {
      while (!until()) {
        if ((await sender.send(200)) !== 'acked') await sleep(100);
      }
    }),
  );
}

it('keeps every acknowledged span and every tailed line exactly once across kill -9', async () => {
  const writer = startLineWriter();
  stopWriter = writer.stop;
  const senders: SpanSender[] = [];
  let sendersRunning: Promise<void> = Promise.resolve();
  let killed = 0;
  for (let round = 0; round <= KILLS; round++) {
    app = await startApp(env);
    const sender = new SpanSender(
      `${app.urls.otlpHttp}/v1/traces`,
      round * 10_000_000,
    );
    senders.push(sender);
    let stopSending = false;
    sendersRunning = sendWhile(sender, () => stopSending);
    await sleep(INGEST_BEFORE_KILL_MS);
    if (round < KILLS) {
      process.kill(app.pid, 'SIGKILL');
      await app.stop();
      killed++;
      stopSending = true;
      await sendersRunning;
      await sleep(1000); // the file keeps growing while the collector is down
    } else {
      stopSending = true;
      await sendersRunning;
    }
  }
  const linesWritten = writer.stop();
  const metricsUrl = `${app!.urls.web}/metrics`;
  const inserted = async () =>
    (await scrapeMetrics(metricsUrl)).get(
      'meshlens_ingest_rows_total{table="mesh_requests",outcome="inserted"}',
    ) ?? 0;
  await waitSettled(inserted, 3000, 120_000, 'the tailer to catch up');
  expect(await app!.stop()).toBe(0);
  app = undefined;

  const db = await openStore(dataDir);
  const storedSpans = await storedSpanIds(db, SERVICE);
  const { missing: spansLost, duplicated } = compareAcked(
    senders.flatMap((s) => s.ackedIds()),
    storedSpans,
  );
  const acked = senders.reduce((n, s) => n + s.counts.acked, 0);

  const perRid = await queryRows<{ n: number | string; rids: number | string }>(
    db,
    `SELECT n, count() AS rids FROM (
       SELECT RequestId, count() AS n FROM {db:Identifier}.mesh_requests
       WHERE RequestId LIKE 'a%-6d84-929d-98bd-c5aee93b5c88' GROUP BY RequestId)
     GROUP BY n ORDER BY n`,
  );
  const histogram = Object.fromEntries(
    perRid.map((r) => [String(r.n), Number(r.rids)]),
  );
  const linePairs = linesWritten / 2;
  const storedTwice = histogram['2'] ?? 0;
  const linesStored = perRid.reduce(
    (n, r) => n + Number(r.n) * Number(r.rids),
    0,
  );
  const linesLost = linesWritten - Math.min(linesWritten, linesStored);

  recordFigures({
    scenario: 'crash',
    loadHeld: `${acked} spans acked over OTLP/HTTP + ${linesWritten} access-log lines tailed (${LINES_PER_TICK * 10} lines/s)`,
    faultsSurvived: killed,
    inputsTried: 0,
    itemsLost: spansLost + linesLost,
    details: {
      kills: killed,
      spansAcked: acked,
      spansLost,
      spanRowsStoredTwice: duplicated,
      linesWritten,
      linesStored,
      linesLost,
      requestIdsByCopies: histogram,
      senderStatuses: senders.map((s) => s.counts.statuses),
    },
  });
  expect(killed).toBe(KILLS);
  expect(acked).toBeGreaterThan(0);
  expect(spansLost).toBe(0);
  // Each pair (client + server line) shares a request id: exactly two rows per id, no more.
  expect(histogram).toEqual({ '2': linePairs });
  expect(storedTwice).toBe(linePairs);
});
