/**
 * `npm run bench:ui` (issue 6): in headless Chromium, the time from navigation to an
 * interactive topology graph for 100, 500 and 1,000 services, and the topology API's p50/p95
 * with 10 million requests in the window.
 *
 * The synthetic meshes (bench/synthetic-mesh.ts) are written into one embedded data folder, one
 * hour each, in three separate hours; then the real process (server/main.ts) starts on that
 * folder and Chromium opens /topology for each hour. "Interactive" = the graph controller has
 * laid the graph out (`data-drawn-nodes` on the canvas) and the page's main thread answers.
 * The API is timed twice per size: computed (`Cache-Control: no-cache`: the rollup query and
 * graph building run every time) and repeated (the graph cached while the window's rollup parts
 * are unchanged, server/queries/rollup-cache.ts).
 * Peer measured in the same run: the API for an empty window (HTTP + router + the parts lookup
 * that finds no rows; no rollup query runs). The load average is printed before and after.
 * Targets: 1,000 services interactive under 2 s; API p95 under 300 ms.
 * Run: `npm run bench:ui [-- runs]` (default 3 page loads and 20 API calls per size).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseConfig, setConfig } from '~/server/config';
import { ensureWebBuild } from '~/server/build-web';
import { closeDb, getDb } from '~/server/db/client';
import { migrate } from '~/server/db/migrate';
import { startApp } from '~/test/helpers/app-process';
import { launchBrowser } from '~/test/helpers/browser';
import { writeSyntheticMesh } from './synthetic-mesh';

const SIZES = [100, 500, 1000];
const REQUESTS = 10_000_000;
const MINUTES = 60;
const HOUR = 3600_000;
const pageRuns = Number(process.argv[2] ?? 3);
const apiRuns = 20;

const q = (xs: number[], p: number) =>
  [...xs].sort((a, b) => a - b)[
    Math.min(xs.length - 1, Math.ceil(p * xs.length) - 1)
  ]!;

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'meshlens-bench-ui-'));
const env = {
  MESHLENS_DATA_DIR: dataDir,
  CLICKHOUSE_DATABASE: 'meshlens_bench',
  MESHLENS_TTL_ROLLUPS_DAYS: '3650',
};
// Whole hours in the past: size i gets hour [base + 2i h, base + 2i h + 1 h).
const base = Math.floor(Date.now() / HOUR) * HOUR - 7 * HOUR;
const windows = SIZES.map((services, i) => ({
  services,
  fromMs: base + 2 * i * HOUR + 17 * 60_000, // ragged start: minutes + 10-minute buckets
  toMs: base + 2 * i * HOUR + 17 * 60_000 + MINUTES * 60_000,
}));

const load = () =>
  os
    .loadavg()
    .map((x) => x.toFixed(2))
    .join(' ');
console.log(`load average (1, 5, 15 min): ${load()}`);
const config = parseConfig(env);
setConfig(config);
const db = await getDb(config);
await migrate(db, config.ttlDays);
for (const w of windows) {
  const t0 = performance.now();
  const rows = await writeSyntheticMesh(db, {
    services: w.services,
    startMs: w.fromMs,
    minutes: MINUTES,
    totalRequests: REQUESTS,
  });
  console.log(
    `${w.services} services: ${rows.toLocaleString('en-US')} rollup rows, ${REQUESTS.toLocaleString('en-US')} requests in ${MINUTES} min (${Math.round(performance.now() - t0)} ms to load)`,
  );
}
await closeDb();

await ensureWebBuild();
const app = await startApp(env);
const browser = await launchBrowser();
try {
  const api = async (fromMs: number, toMs: number, fresh = true) => {
    const s = performance.now();
    const res = await fetch(
      `${app.urls.web}/api/v1/topology?start=${fromMs}&end=${toMs}`,
      fresh ? { headers: { 'cache-control': 'no-cache' } } : {},
    );
    const body = (await res.json()) as { nodes?: unknown[]; edges?: unknown[] };
    if (res.status !== 200) throw new Error(`API ${res.status}`);
    return { ms: performance.now() - s, body };
  };
  const emptyFrom = base - 3 * HOUR;
  await api(emptyFrom, emptyFrom + MINUTES * 60_000);
  const floor: number[] = [];
  for (let i = 0; i < apiRuns; i++)
    floor.push((await api(emptyFrom, emptyFrom + MINUTES * 60_000)).ms);
  console.log(
    `API, empty window (floor): p50 ${q(floor, 0.5).toFixed(0)} ms, p95 ${q(floor, 0.95).toFixed(0)} ms`,
  );

  for (const w of windows) {
    const first = await api(w.fromMs, w.toMs); // warm-up
    const ms: number[] = [];
    for (let i = 0; i < apiRuns; i++) ms.push((await api(w.fromMs, w.toMs)).ms);
    console.log(
      `API /api/v1/topology, ${w.services} services (${first.body.nodes?.length} nodes, ${first.body.edges?.length} edges, 10M requests), computed: p50 ${q(ms, 0.5).toFixed(0)} ms, p95 ${q(ms, 0.95).toFixed(0)} ms (${apiRuns} calls)`,
    );
    const cached: number[] = [];
    for (let i = 0; i < apiRuns; i++)
      cached.push((await api(w.fromMs, w.toMs, false)).ms);
    console.log(
      `API /api/v1/topology, ${w.services} services, repeated (cached): p50 ${q(cached, 0.5).toFixed(0)} ms, p95 ${q(cached, 0.95).toFixed(0)} ms (${apiRuns} calls)`,
    );

    const loads: number[] = [];
    let drawn = 0;
    for (let i = 0; i < pageRuns; i++) {
      const context = await browser.newContext({
        viewport: { width: 1500, height: 950 },
      });
      const page = await context.newPage();
      const s = performance.now();
      await page.goto(
        `${app.urls.web}/topology?from=${w.fromMs}&to=${w.toMs}&refresh=off`,
      );
      const handle = await page.waitForFunction(
        () => {
          const el = document.querySelector<HTMLElement>(
            '[data-testid="topology-graph"]',
          );
          const n = Number(el?.dataset.drawnNodes ?? 0);
          return n > 0 ? n : false;
        },
        undefined,
        { timeout: 120_000, polling: 'raf' },
      );
      drawn = Number(await handle.jsonValue());
      // the main thread is free again: a frame is rendered after the layout
      await page.evaluate(
        () => new Promise<void>((r) => requestAnimationFrame(() => r())),
      );
      loads.push(performance.now() - s);
      await context.close();
    }
    console.log(
      `page: navigation -> interactive graph, ${w.services} services (${drawn} nodes incl. boxes): median ${q(loads, 0.5).toFixed(0)} ms, min ${Math.min(...loads).toFixed(0)} ms (${pageRuns} loads)`,
    );
  }
  console.log(`load average (1, 5, 15 min): ${load()}`);
} finally {
  await browser.close();
  await app.stop();
  fs.rmSync(dataDir, { recursive: true, force: true });
}
