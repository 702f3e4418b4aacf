/**
 * The trace explorer in Chromium against the real process: a known Istio-shaped trace is sent to
 * the real OTLP/HTTP receiver, found by service and by tag, opened, and its waterfall checked
 * (parent/child structure, durations, span detail); the read API answers the same trace as OTLP
 * JSON; a 10,000-span trace renders and scrolls.
 */
import fs from 'node:fs';
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
import {
  ACCESS_LOG,
  BIG,
  EXPECTED_ROWS,
  KNOWN,
  T0,
  TRACE,
} from './support/known-trace';

const SHOTS = path.join(REPO_ROOT, 'test-results');

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
  const logs = await fetch(`${app.urls.otlpHttp}/v1/envoy/logs`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-ndjson' },
    body: ACCESS_LOG.join('\n'),
  });
  expect(logs.status).toBe(204);
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
    // The access-log line reviews' proxy wrote for this hop (same request, same upstream cluster).
    const logRows = detail.locator(
      'table[aria-label="Access-log lines"] tbody tr',
    );
    await logRows.first().waitFor();
    expect(await logRows.count()).toBe(1);
    expect(await logRows.first().textContent()).toContain('503');
    expect(await logRows.first().textContent()).toContain('UF,URX');
    await page.screenshot({
      path: path.join(SHOTS, 'traces.png'),
      fullPage: true,
    });
    // The OTLP JSON download: the whole trace, hex ids, as a file named for it.
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Download OTLP JSON' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe(`trace-${TRACE}.otlp.json`);
    const otlp = JSON.parse(fs.readFileSync(await download.path(), 'utf8')) as {
      resourceSpans: { scopeSpans: { spans: { spanId: string }[] }[] }[];
    };
    expect(
      otlp.resourceSpans
        .flatMap((r) =>
          r.scopeSpans.flatMap((x) => x.spans.map((y) => y.spanId)),
        )
        .sort(),
    ).toEqual(KNOWN.map((k) => k.spanId).sort());
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

  it('draws the flame graph: one block per span on the row of its depth, widths by duration', async () => {
    await page.goto(`${app.urls.web}/traces/${TRACE}?view=flame`);
    const blocks = page.locator('.flame-block');
    await blocks.nth(KNOWN.length - 1).waitFor();
    expect(await blocks.count()).toBe(KNOWN.length);
    const drawn = await blocks.evaluateAll((els) =>
      els.map((e) => ({
        span: e.getAttribute('data-span-id') ?? '',
        depth: e.getAttribute('data-depth') ?? '',
        width: e.getBoundingClientRect().width,
        left: e.getBoundingClientRect().left,
      })),
    );
    const byId = new Map(drawn.map((b) => [b.span, b]));
    for (const [id, , depth] of EXPECTED_ROWS)
      expect(byId.get(id!)?.depth).toBe(depth);
    const root = byId.get('0000000000000a01')!;
    // 50 ms of 120 ms; reviews' server span starts 12 ms after the root.
    const reviews = byId.get('0000000000000a04')!;
    expect(reviews.width / root.width).toBeCloseTo(50 / 120, 2);
    expect((reviews.left - root.left) / root.width).toBeCloseTo(12 / 120, 2);
    await page.locator('.flame-block[data-span-id="0000000000000a05"]').click();
    await page.waitForURL(/span=0000000000000a05/);
    await page
      .locator('.span-detail')
      .getByText('UpstreamConnectionFailure')
      .waitFor();
    await page.screenshot({
      path: path.join(SHOTS, 'traces-flame.png'),
      fullPage: true,
    });
  });

  it('finds the trace and the access-log lines of a request id', async () => {
    await page.goto(`${app.urls.web}/traces?requestId=e2e-req-1`);
    await page.locator(`.trace-list tr[data-trace-id="${TRACE}"]`).waitFor();
    expect(await page.locator('.trace-list tbody tr').count()).toBe(1);
    const lines = page.locator(
      'section[aria-label="Access-log lines of the request"] tbody tr',
    );
    await lines.nth(1).waitFor();
    expect(await lines.count()).toBe(2);
    const codes = await lines.evaluateAll((rows) =>
      rows.map((r) => r.querySelectorAll('td')[4]?.textContent),
    );
    expect(codes.sort()).toEqual(['200', '503']);
  });

  it('compares two traces: call paths added, dropped and called more often', async () => {
    // B: the same request, but reviews did not call ratings and productpage called details twice.
    const OTHER = '5bf92f3577b34da6a3ce929d0e0e4737';
    const b = KNOWN.filter((s) => s.spanId !== '0000000000000a05').map((s) => ({
      ...s,
      traceId: OTHER,
      attributes: { ...s.attributes, 'e2e.marker': 'compare' },
    }));
    b.push(
      { ...b[4]!, spanId: '0000000000000a08', startMs: T0 + 96 },
      {
        ...b[5]!,
        spanId: '0000000000000a09',
        parentSpanId: '0000000000000a08',
        startMs: T0 + 97,
      },
    );
    await post(otlpJsonBody(b));
    await waitForTrace(OTHER, b.length);
    await page.goto(`${app.urls.web}/traces/${TRACE}`);
    await page.getByRole('link', { name: 'Compare with…' }).click();
    await page.waitForURL(/\/traces\/compare\?a=/);
    await page.getByLabel('Trace B').fill(OTHER);
    await page.getByRole('button', { name: 'Compare' }).click();
    const rows = page.locator(
      'table[aria-label="Trace structure diff"] tbody tr',
    );
    await rows.nth(6).waitFor();
    const got = await rows.evaluateAll((trs) =>
      trs.map((tr) => {
        const td = tr.querySelectorAll('td');
        return [
          td[0]?.textContent?.split(':')[0],
          td[1]?.textContent,
          td[2]?.textContent,
          tr.getAttribute('data-status'),
        ];
      }),
    );
    expect(got).toEqual([
      ['istio-ingressgateway.istio-system', '1', '1', 'same'],
      ['productpage.bookinfo', '1', '1', 'same'],
      ['productpage.bookinfo', '1', '1', 'same'],
      ['reviews.bookinfo', '1', '1', 'same'],
      ['reviews.bookinfo', '1', '0', 'removed'],
      ['productpage.bookinfo', '1', '2', 'changed'],
      ['details.bookinfo', '1', '2', 'changed'],
    ]);
    await page.screenshot({
      path: path.join(SHOTS, 'traces-compare.png'),
      fullPage: true,
    });
  });

  it('adjusts clock skew and says so, marks events on the bar, and follows a span link', async () => {
    // The server span (another service, another host's clock) is recorded 30 ms before its
    // client parent started: it is shown centred in the parent, 60 ms later than recorded.
    const SKEW = '6bf92f3577b34da6a3ce929d0e0e4738';
    await post(
      otlpJsonBody([
        {
          traceId: SKEW,
          spanId: '000000000000c001',
          name: 'reviews.bookinfo.svc.cluster.local:9080/*',
          service: 'productpage.bookinfo',
          kind: 'Client',
          startMs: T0,
          durationMs: 100,
        },
        {
          traceId: SKEW,
          spanId: '000000000000c002',
          parentSpanId: '000000000000c001',
          name: 'reviews.bookinfo.svc.cluster.local:9080/*',
          service: 'reviews.bookinfo',
          startMs: T0 - 30,
          durationMs: 40,
          events: [{ atMs: T0 - 20, name: 'cache miss' }],
          links: [{ traceId: TRACE, spanId: '0000000000000a05' }],
        },
      ]),
    );
    await waitForTrace(SKEW, 2);
    await page.goto(`${app.urls.web}/traces/${SKEW}`);
    const notice = page.locator('.skew-notice');
    await notice.waitFor();
    expect(await notice.textContent()).toContain(
      'Clock skew adjusted for 1 span',
    );
    const bars = await page.locator('.wf-bar').evaluateAll((els) =>
      els.map((e) => {
        const r = e.getBoundingClientRect();
        return [r.left, r.width];
      }),
    );
    const [[parentLeft, parentWidth], [childLeft, childWidth]] = bars as [
      [number, number],
      [number, number],
    ];
    expect((childLeft - parentLeft) / parentWidth).toBeCloseTo(0.3, 2);
    expect(childWidth / parentWidth).toBeCloseTo(0.4, 2);
    // The event 10 ms into the child span is a mark on its bar.
    const child = page.locator('[data-span-id="000000000000c002"]');
    const mark = await child.locator('.wf-event').boundingBox();
    expect((mark!.x + mark!.width / 2 - parentLeft) / parentWidth).toBeCloseTo(
      0.4,
      1,
    );
    await child.click();
    const detail = page.locator('.span-detail');
    await detail.getByText('later than recorded').waitFor();
    expect(await detail.textContent()).toContain('Shown 60 ms later');
    await detail.getByText('cache miss').waitFor();
    // Unticking "Adjust" shows the recorded times: the child starts before its parent.
    await notice.getByLabel('Adjust').uncheck();
    await expect
      .poll(async () => {
        const [p, c] = await page
          .locator('.wf-bar')
          .evaluateAll((els) => els.map((e) => e.getBoundingClientRect().left));
        return c! < p!;
      })
      .toBe(true);
    // The link opens the linked span of the other trace.
    await detail.getByRole('link', { name: /0000000000000a05/ }).click();
    await page.waitForURL(
      /\/traces\/4bf92f3577b34da6a3ce929d0e0e4736\?span=0000000000000a05/,
    );
    await page
      .locator('.span-detail')
      .getByText('UpstreamConnectionFailure')
      .waitFor();
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
    // How fast is for `npm run bench:traces` (bench/traces-render.ts); here: that it works.
    await page.goto(`${app.urls.web}/traces/${BIG}`);
    await page.locator('[role="treeitem"]').first().waitFor();
    await page.getByRole('button', { name: 'Expand all' }).click();
    const mounted = await page.locator('[role="treeitem"]').count();
    expect(mounted).toBeLessThan(200);
    await page
      .locator('.vrows')
      .evaluate((el) => (el.scrollTop = el.scrollHeight / 2));
    await page.locator('[role="treeitem"][data-depth="4"]').first().waitFor();
    await page.screenshot({ path: path.join(SHOTS, 'traces-large.png') });
  });

  it('logged no errors in the browser console', () => {
    expect(pageErrors.errors).toEqual([]);
  });
});
