/**
 * Time to first render of large traces in Chromium (the targets: 10,000 spans under 1 s,
 * 100,000 spans under 5 s without freezing the tab), against the real process.
 *
 *   tsx bench/traces-render.ts            # 1, 10,000 and 100,000 spans, 3 loads each
 *   options: --runs 3 --sizes 1,10000,100000
 *
 * The 1-span trace is the page's fixed cost (navigation, scripts, hydration, one query): the
 * part of the others above it is what their size costs.
 *
 * Each trace is sent to the real OTLP/HTTP receiver; each load is a fresh page on
 * `/traces/<id>`. Measured in the page (performance.now() since navigation start):
 *   - first rows: the first waterfall row is in the DOM (MutationObserver);
 *   - longest task: the longest main-thread task during the load (PerformanceObserver
 *     'longtask'); the tab is frozen for that long, so this is the "does not freeze" figure;
 *   - scroll: scrollTop set to the middle of the tree -> the rows there are drawn;
 *   - peer: in the same page, fetching the same trace as OTLP JSON (`/api/v1/traces/<id>`) and
 *     JSON.parse-ing it — the floor any viewer of that trace pays before drawing anything.
 */
import type { Browser, Page } from 'playwright-core';
import { ensureWebBuild } from '~/server/build-web';
import { generateTrace, otlpJsonBody } from '~/server/queries/traces-fixtures';
import { startApp, type AppProcess } from '~/test/helpers/app-process';
import { launchBrowser } from '~/test/helpers/browser';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? (process.argv[i + 1] ?? fallback) : fallback;
}

const RUNS = Number(arg('runs', '3'));
const SIZES = arg('sizes', '1,10000,100000').split(',').map(Number);
const CHUNK = 10_000;

/** Installed before any page script: records when the first row appears, and long tasks. */
const PROBE = `
  window.__probe = { firstRowMs: -1, longTasks: [] };
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) window.__probe.longTasks.push(e.duration);
  }).observe({ type: 'longtask', buffered: true });
  new MutationObserver((_, obs) => {
    if (document.querySelector('[role="treeitem"]')) {
      window.__probe.firstRowMs = performance.now();
      obs.disconnect();
    }
  }).observe(document, { childList: true, subtree: true });
`;

interface Probe {
  firstRowMs: number;
  longTasks: number[];
}

async function sendTrace(app: AppProcess, id: string, n: number) {
  const spans = generateTrace(id, n, { startMs: Date.now() - 60_000 });
  for (let i = 0; i < spans.length; i += CHUNK) {
    const res = await fetch(`${app.urls.otlpHttp}/v1/traces`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: otlpJsonBody(spans.slice(i, i + CHUNK)),
    });
    if (res.status !== 200) throw new Error(`OTLP POST: ${res.status}`);
  }
  const deadline = Date.now() + 120_000;
  for (;;) {
    const res = await fetch(
      `${app.urls.web}/api/v1/traces?service=svc-0.bench&limit=5&start=${Date.now() - 3600_000}&end=${Date.now() + 60_000}`,
    );
    const body = (await res.json()) as {
      traces: { traceId: string; spanCount: number }[];
    };
    if (body.traces.find((t) => t.traceId === id)?.spanCount === n) return;
    if (Date.now() > deadline) throw new Error(`trace ${id} did not arrive`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

async function loadOnce(browser: Browser, url: string, id: string) {
  const page: Page = await browser.newPage({
    viewport: { width: 1400, height: 1000 },
  });
  await page.addInitScript(PROBE);
  await page.goto(url);
  await page.locator('[role="treeitem"]').first().waitFor({ timeout: 60_000 });
  const probe = await page.evaluate(
    () => (window as unknown as { __probe: Probe }).__probe,
  );
  const scrollMs = await page.locator('.vrows').evaluate(async (el) => {
    const t = performance.now();
    el.scrollTop = el.scrollHeight / 2;
    const want = Math.floor(el.scrollHeight / 2 / 24);
    for (;;) {
      await new Promise((r) => requestAnimationFrame(r));
      const row = el.querySelector('[role="treeitem"]');
      const top = row
        ? (row.parentElement?.style.transform.match(/\d+/)?.[0] ?? '0')
        : '0';
      if (Math.abs(Number(top) / 24 - want) < 40) return performance.now() - t;
      if (performance.now() - t > 10_000) return NaN;
    }
  });
  const peerMs = await page.evaluate(async (traceId) => {
    const t = performance.now();
    const res = await fetch(`/api/v1/traces/${traceId}`);
    JSON.parse(await res.text());
    return performance.now() - t;
  }, id);
  const rows = await page.locator('[role="treeitem"]').count();
  await page.close();
  return { ...probe, scrollMs, peerMs, rows };
}

const median = (v: number[]) =>
  [...v].sort((a, b) => a - b)[Math.floor((v.length - 1) / 2)] ?? NaN;

async function main(): Promise<void> {
  await ensureWebBuild();
  const app = await startApp();
  const browser = await launchBrowser();
  const lines: string[] = [];
  try {
    for (const n of SIZES) {
      const id = `be${String(n).padStart(30, '0')}`;
      await sendTrace(app, id, n);
      const url = `${app.urls.web}/traces/${id}`;
      // Warm-up: the page's JS and the server's query path.
      await loadOnce(browser, url, id);
      const runs = [];
      for (let r = 0; r < RUNS; r++)
        runs.push(await loadOnce(browser, url, id));
      const first = median(runs.map((x) => x.firstRowMs));
      const peer = median(runs.map((x) => x.peerMs));
      const longest = median(runs.map((x) => Math.max(0, ...x.longTasks)));
      lines.push(
        `${n.toLocaleString().padStart(7)} spans: first rows ${first.toFixed(0).padStart(5)} ms` +
          ` | longest main-thread task ${longest.toFixed(0).padStart(4)} ms` +
          ` | scroll to middle ${median(runs.map((x) => x.scrollMs)).toFixed(0)} ms` +
          ` | rows in DOM ${runs[0]!.rows}` +
          ` | peer (fetch + parse OTLP JSON) ${peer.toFixed(0)} ms, ratio ${(first / peer).toFixed(2)}`,
      );
    }
  } finally {
    await browser.close();
    await app.stop();
  }
  console.log(`\nChromium, median of ${RUNS} loads`);
  for (const l of lines) console.log(l);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
