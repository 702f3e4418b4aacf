/**
 * The trace explorer in Chromium against the real process: a known Istio-shaped trace is sent to
 * the real OTLP/HTTP receiver, found by service and by tag, opened, and its waterfall checked
 * (parent/child structure, durations, span detail); the read API answers the same trace as OTLP
 * JSON; a 10,000-span trace renders and scrolls.
 */
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureWebBuild } from '../server/build-web';
import {
  generateTrace,
  otlpJsonBody,
  type SpanSpec,
} from '../server/queries/traces-fixtures';
import {
  REPO_ROOT,
  startApp,
  type AppProcess,
} from '../test/helpers/app-process';
import { collectPageErrors, launchBrowser } from '../test/helpers/browser';

const SHOTS = path.join(REPO_ROOT, 'test-results');
const TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';
const BIG = '0af7651916cd43dd8448eb211c80319c';
const T0 = Date.now() - 2 * 60_000;
const rid = { 'guid:x-request-id': 'e2e-req-1', component: 'proxy' };

/** gateway -> productpage -> (reviews -> ratings [UF,URX 503]), (details) */
const KNOWN: SpanSpec[] = [
  {
    traceId: TRACE,
    spanId: '0000000000000a01',
    name: 'productpage.bookinfo.svc.cluster.local:9080/productpage',
    service: 'istio-ingressgateway.istio-system',
    kind: 'Client',
    startMs: T0,
    durationMs: 120,
    attributes: {
      ...rid,
      upstream_cluster: 'outbound|9080||productpage.bookinfo.svc.cluster.local',
      'http.status_code': '200',
    },
  },
  {
    traceId: TRACE,
    spanId: '0000000000000a02',
    parentSpanId: '0000000000000a01',
    name: 'productpage.bookinfo.svc.cluster.local:9080/productpage',
    service: 'productpage.bookinfo',
    startMs: T0 + 2,
    durationMs: 110,
    attributes: {
      ...rid,
      upstream_cluster: 'inbound|9080||',
      'e2e.marker': 'waterfall-1',
    },
  },
  {
    traceId: TRACE,
    spanId: '0000000000000a03',
    parentSpanId: '0000000000000a02',
    name: 'reviews.bookinfo.svc.cluster.local:9080/*',
    service: 'productpage.bookinfo',
    kind: 'Client',
    startMs: T0 + 10,
    durationMs: 60,
    attributes: {
      ...rid,
      upstream_cluster: 'outbound|9080|v2|reviews.bookinfo.svc.cluster.local',
      'http.status_code': '200',
    },
  },
  {
    traceId: TRACE,
    spanId: '0000000000000a04',
    parentSpanId: '0000000000000a03',
    name: 'reviews.bookinfo.svc.cluster.local:9080/*',
    service: 'reviews.bookinfo',
    startMs: T0 + 12,
    durationMs: 50,
    attributes: { ...rid, upstream_cluster: 'inbound|9080||' },
  },
  {
    traceId: TRACE,
    spanId: '0000000000000a05',
    parentSpanId: '0000000000000a04',
    name: 'ratings.bookinfo.svc.cluster.local:9080/*',
    service: 'reviews.bookinfo',
    kind: 'Client',
    startMs: T0 + 20,
    durationMs: 20,
    error: true,
    attributes: {
      ...rid,
      upstream_cluster: 'outbound|9080||ratings.bookinfo.svc.cluster.local',
      response_flags: 'UF,URX',
      'http.status_code': '503',
    },
  },
  {
    traceId: TRACE,
    spanId: '0000000000000a06',
    parentSpanId: '0000000000000a02',
    name: 'details.bookinfo.svc.cluster.local:9080/*',
    service: 'productpage.bookinfo',
    kind: 'Client',
    startMs: T0 + 80,
    durationMs: 15,
    attributes: {
      ...rid,
      upstream_cluster: 'outbound|9080||details.bookinfo.svc.cluster.local',
    },
  },
  {
    traceId: TRACE,
    spanId: '0000000000000a07',
    parentSpanId: '0000000000000a06',
    name: 'details.bookinfo.svc.cluster.local:9080/*',
    service: 'details.bookinfo',
    startMs: T0 + 82,
    durationMs: 10,
    attributes: { ...rid, upstream_cluster: 'inbound|9080||' },
  },
];
/** [span id, parent span id, depth, duration label] in waterfall order. */
const EXPECTED_ROWS = [
  ['0000000000000a01', '', '0', '120 ms'],
  ['0000000000000a02', '0000000000000a01', '1', '110 ms'],
  ['0000000000000a03', '0000000000000a02', '2', '60 ms'],
  ['0000000000000a04', '0000000000000a03', '3', '50 ms'],
  ['0000000000000a05', '0000000000000a04', '4', '20 ms'],
  ['0000000000000a06', '0000000000000a02', '2', '15 ms'],
  ['0000000000000a07', '0000000000000a06', '3', '10 ms'],
];

let app: AppProcess;
let browser: Browser;
let page: Page;
let pageErrors: { errors: string[] };

async function post(body: string): Promise<void> {
  const res = await fetch(`${app.urls.otlpHttp}/v1/traces`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body,
  });
  expect(res.status).toBe(200);
}

async function waitForTrace(id: string, spans: number): Promise<void> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const res = await fetch(`${app.urls.web}/api/v1/traces/${id}`);
    if (res.status === 200) {
      const body = (await res.json()) as {
        resourceSpans: { scopeSpans: { spans: unknown[] }[] }[];
      };
      const n = body.resourceSpans.flatMap((r) =>
        r.scopeSpans.flatMap((s) => s.spans),
      ).length;
      if (n >= spans) return;
    }
    if (Date.now() > deadline) throw new Error(`trace ${id} did not arrive`);
    await new Promise((r) => setTimeout(r, 300));
  }
}

beforeAll(async () => {
  await ensureWebBuild();
  app = await startApp();
  const noise = Array.from({ length: 6 }, (_, i): SpanSpec => ({
    traceId: `${'e'.repeat(31)}${i}`,
    spanId: `000000000000e00${i}`,
    name: 'GET /cart',
    service: 'cart.shop',
    startMs: T0 + i * 1000,
    durationMs: 5 + i,
  }));
  await post(otlpJsonBody([...KNOWN, ...noise]));
  await waitForTrace(TRACE, KNOWN.length);
  browser = await launchBrowser();
  page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  pageErrors = collectPageErrors(page);
}, 300_000);

afterAll(async () => {
  await browser?.close();
  expect(await app?.stop()).toBe(0);
});

describe('the trace explorer', () => {
  it('finds the known trace by service', async () => {
    await page.goto(`${app.urls.web}/traces?service=details.bookinfo`);
    const row = page.locator(`.trace-list tr[data-trace-id="${TRACE}"]`);
    await row.waitFor();
    expect(await page.locator('.trace-list tbody tr').count()).toBe(1);
    expect(await row.textContent()).toContain(
      'istio-ingressgateway.istio-system',
    );
    expect(await row.locator('.chip').allTextContents()).toEqual([
      'productpage.bookinfo 3',
      'reviews.bookinfo 2',
      'details.bookinfo 1',
      'istio-ingressgateway.istio-system 1',
    ]);
    await page.locator('.recharts-scatter-symbol').first().waitFor();
    await page.screenshot({
      path: path.join(SHOTS, 'traces-search.png'),
      fullPage: true,
    });
  });

  it('finds it by tag through the search form and opens it', async () => {
    await page.goto(`${app.urls.web}/traces`);
    await page.locator('.trace-list tbody tr').first().waitFor();
    expect(await page.locator('.trace-list tbody tr').count()).toBe(7);
    await page.locator('input[name="tags"]').fill('e2e.marker=waterfall-1');
    await page.getByRole('button', { name: 'Find traces' }).click();
    await page.waitForURL(/tags=e2e\.marker%3Dwaterfall-1/);
    await page
      .locator('.trace-list tbody tr')
      .nth(1)
      .waitFor({ state: 'detached' });
    expect(
      await page.locator('.trace-list tbody tr').getAttribute('data-trace-id'),
    ).toBe(TRACE);
    await page
      .locator(`.trace-list tr[data-trace-id="${TRACE}"] a.trace-link`)
      .click();
    await page.waitForURL(`${app.urls.web}/traces/${TRACE}`);
  });

  it('draws the waterfall with the right parent/child structure and durations', async () => {
    await page
      .locator('[role="treeitem"]')
      .nth(EXPECTED_ROWS.length - 1)
      .waitFor();
    const rows = await page
      .locator('[role="treeitem"]')
      .evaluateAll((els) =>
        els.map((e) => [
          e.getAttribute('data-span-id'),
          e.getAttribute('data-parent-span-id'),
          e.getAttribute('data-depth'),
          e.querySelector('.wf-duration')?.textContent ?? '',
        ]),
      );
    expect(rows).toEqual(EXPECTED_ROWS);
    // The error span is marked, and the critical path is drawn.
    expect(
      await page.locator('.wf-row.is-error').getAttribute('data-span-id'),
    ).toBe('0000000000000a05');
    expect(await page.locator('.wf-critical').count()).toBeGreaterThan(3);
    // Collapse reviews' server span: its child disappears.
    await page.locator('[data-span-id="0000000000000a04"] .wf-toggle').click();
    expect(await page.locator('[role="treeitem"]').count()).toBe(6);
    await page.locator('[data-span-id="0000000000000a04"] .wf-toggle').click();
    expect(await page.locator('[role="treeitem"]').count()).toBe(7);
  });

  it('shows a span with its Istio fields decoded, and screenshots the page', async () => {
    await page.locator('[data-span-id="0000000000000a05"]').click();
    const detail = page.locator('.span-detail');
    await detail.waitFor();
    await detail.getByText('UpstreamConnectionFailure').waitFor();
    expect(await detail.textContent()).toContain('UpstreamRetryLimitExceeded');
    expect(await detail.textContent()).toContain(
      'outbound|9080||ratings.bookinfo.svc.cluster.local',
    );
    const edge = await detail
      .getByRole('link', { name: 'This edge in the topology' })
      .getAttribute('href');
    expect(decodeURIComponent(edge ?? '')).toContain(
      'edge=svc:bookinfo/reviews->svc:bookinfo/ratings:http',
    );
    expect(
      await detail
        .getByRole('link', { name: /Access-log lines/ })
        .getAttribute('href'),
    ).toContain('requestId=e2e-req-1');
    await page.screenshot({
      path: path.join(SHOTS, 'traces.png'),
      fullPage: true,
    });
    await page.getByRole('tab', { name: 'Statistics' }).click();
    await page
      .locator('table[aria-label="Trace statistics"] tbody tr')
      .first()
      .waitFor();
    expect(
      await page
        .locator('table[aria-label="Trace statistics"] tbody tr')
        .count(),
    ).toBe(7);
  });

  it('answers the read API: OTLP JSON by id, 404 for an unknown id, summaries by service', async () => {
    const res = await fetch(
      `${app.urls.web}/api/v1/traces/${TRACE.toUpperCase()}`,
    );
    const body = (await res.json()) as {
      resourceSpans: {
        scopeSpans: { spans: { traceId: string; kind: number }[] }[];
      }[];
    };
    const spans = body.resourceSpans.flatMap((r) =>
      r.scopeSpans.flatMap((s) => s.spans),
    );
    expect(spans).toHaveLength(7);
    expect(spans.every((s) => s.traceId === TRACE)).toBe(true);
    expect(
      (await fetch(`${app.urls.web}/api/v1/traces/${'f'.repeat(32)}`)).status,
    ).toBe(404);
    expect((await fetch(`${app.urls.web}/api/v1/traces/xyz`)).status).toBe(400);
    const list = (await (
      await fetch(
        `${app.urls.web}/api/v1/traces?service=reviews&tags=http.status_code%3D503`,
      )
    ).json()) as {
      total: number;
      traces: { traceId: string; errorCount: number }[];
    };
    expect(list.total).toBe(1);
    expect(list.traces[0]).toMatchObject({ traceId: TRACE, errorCount: 1 });
  });

  it('opens a 10,000-span trace and scrolls it with only a window of rows in the page', async () => {
    await post(otlpJsonBody(generateTrace(BIG, 10_000, { startMs: T0 })));
    await waitForTrace(BIG, 10_000);
    const t = Date.now();
    await page.goto(`${app.urls.web}/traces/${BIG}`);
    await page.locator('[role="treeitem"]').first().waitFor();
    const firstRenderMs = Date.now() - t;
    console.log(
      `10,000-span trace: first rows drawn ${firstRenderMs} ms after navigation`,
    );
    await page.getByRole('button', { name: 'Expand all' }).click();
    const mounted = await page.locator('[role="treeitem"]').count();
    expect(mounted).toBeLessThan(200);
    await page
      .locator('.vrows')
      .evaluate((el) => (el.scrollTop = el.scrollHeight / 2));
    await page.locator('[role="treeitem"][data-depth="4"]').first().waitFor();
    expect(firstRenderMs).toBeLessThan(15_000);
    await page.screenshot({ path: path.join(SHOTS, 'traces-large.png') });
  });

  it('logged no errors in the browser console', () => {
    expect(pageErrors.errors).toEqual([]);
  });
});
