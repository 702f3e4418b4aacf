/**
 * The access-log explorer in Chromium against the real process: both sidecars' lines of one
 * request and a line with a hostile path are pushed to the real receiver (/v1/envoy/logs), the
 * trace page's link (/logs?requestId=&from=&to=) opens the two lines with their flags in words,
 * a line opens all its fields, the trace id leads to the trace, and the hostile path stays text.
 */
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureWebBuild } from '../server/build-web';
import {
  REPO_ROOT,
  startApp,
  type AppProcess,
} from '../test/helpers/app-process';
import { collectPageErrors, launchBrowser } from '../test/helpers/browser';

const SHOTS = path.join(REPO_ROOT, 'test-results');
const TRACE = '7a3c5e7f9b1d4c2e8f6a0b1c2d3e4f50';
const REQ = 'e2e-logs-req-1';
const EVIL_REQ = 'e2e-logs-evil-1';
const EVIL_PATH = '/<img src=x onerror=alert(1)>';
const T0 = Date.now() - 60_000;

function line(o: {
  pod: string;
  app: string;
  atMs: number;
  cluster: string;
  sni: string;
  code: number;
  flags: string;
  durationMs: number;
  requestId: string;
  path: string;
}): string {
  return JSON.stringify({
    kubernetes: {
      pod_name: o.pod,
      namespace_name: 'bookinfo',
      container_name: 'istio-proxy',
      labels: { app: o.app, version: 'v1' },
    },
    log: JSON.stringify({
      start_time: new Date(o.atMs).toISOString(),
      method: 'GET',
      path: o.path,
      protocol: 'HTTP/1.1',
      response_code: String(o.code),
      response_flags: o.flags,
      bytes_received: '0',
      bytes_sent: '19',
      duration: String(o.durationMs),
      user_agent: 'e2e',
      request_id: o.requestId,
      authority: 'reviews:9080',
      upstream_host: '10.0.0.9:9080',
      upstream_cluster: o.cluster,
      requested_server_name: o.sni,
      traceparent: `00-${TRACE}-00f067aa0ba902b7-01`,
    }),
  });
}

const LINES = [
  line({
    pod: 'productpage-v1-6b746f74dc-9stvs',
    app: 'productpage',
    atMs: T0,
    cluster: 'outbound|9080||reviews.bookinfo.svc.cluster.local',
    sni: '-',
    code: 503,
    flags: 'UF,URX',
    durationMs: 31,
    requestId: REQ,
    path: '/reviews/0',
  }),
  line({
    pod: 'reviews-v1-545db77b95-xk2lz',
    app: 'reviews',
    atMs: T0 + 2,
    cluster: 'inbound|9080||',
    sni: 'outbound_.9080_._.reviews.bookinfo.svc.cluster.local',
    code: 200,
    flags: '-',
    durationMs: 12,
    requestId: REQ,
    path: '/reviews/0',
  }),
  line({
    pod: 'productpage-v1-6b746f74dc-9stvs',
    app: 'productpage',
    atMs: T0 + 5,
    cluster: 'outbound|9080||reviews.bookinfo.svc.cluster.local',
    sni: '-',
    code: 404,
    flags: 'NR',
    durationMs: 1,
    requestId: EVIL_REQ,
    path: EVIL_PATH,
  }),
];

let app: AppProcess;
let browser: Browser;
let page: Page;
let pageErrors: { errors: string[] };
const dialogs: string[] = [];

async function waitForRows(n: number): Promise<void> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const res = await fetch(
      `${app.urls.web}/api/v1/requests?traceId=${TRACE}&start=${T0 - 60_000}`,
    );
    if (res.status === 200) {
      const body = (await res.json()) as { requests: unknown[] };
      if (body.requests.length >= n) return;
    }
    if (Date.now() > deadline)
      throw new Error('access-log lines did not arrive');
    await new Promise((r) => setTimeout(r, 300));
  }
}

beforeAll(async () => {
  await ensureWebBuild();
  app = await startApp();
  const res = await fetch(`${app.urls.otlpHttp}/v1/envoy/logs`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-ndjson' },
    body: LINES.join('\n'),
  });
  expect(res.status).toBe(204);
  await waitForRows(3);
  browser = await launchBrowser();
  page = await browser.newPage({ viewport: { width: 1500, height: 1000 } });
  pageErrors = collectPageErrors(page);
  page.on('dialog', (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
}, 300_000);

afterAll(async () => {
  await browser?.close();
  expect(await app?.stop()).toBe(0);
});

describe('the access-log explorer', () => {
  it('opens from the trace page link with both sidecars’ lines and flags in words', async () => {
    await page.goto(
      `${app.urls.web}/logs?requestId=${REQ}&from=${T0 - 60_000}&to=${T0 + 60_000}`,
    );
    const rows = page.locator('.logs-table tbody tr');
    await rows.first().waitFor();
    expect(await rows.count()).toBe(2);
    const texts = await rows.allTextContents();
    const outbound = texts.find((t) => t.includes('outbound'))!;
    const inbound = texts.find((t) => t.includes('inbound'))!;
    expect(outbound).toContain('productpage-v1.bookinfo → reviews.bookinfo');
    expect(outbound).toContain('503');
    expect(outbound).toContain('31 ms');
    expect(inbound).toContain('200');
    expect(inbound).toContain('12 ms');
    const time = await rows
      .filter({ hasText: 'outbound' })
      .locator('td')
      .first()
      .textContent();
    expect(time).toMatch(/^\d{2}:\d{2}:\d{2}\.\d{3}$/);
    const flags = page.locator('.logs-table abbr.flag');
    expect(await flags.allTextContents()).toEqual(['UF', 'URX']);
    expect(await flags.first().getAttribute('title')).toContain(
      'UpstreamConnectionFailure',
    );
    const legend = await page.locator('.flag-legend').textContent();
    expect(legend).toContain('UpstreamConnectionFailure');
    expect(legend).toContain('UpstreamRetryLimitExceeded');
    // the request id stays in the filter bar (shareable URL state)
    expect(await page.locator('input[name="requestId"]').inputValue()).toBe(
      REQ,
    );
    await page.screenshot({
      path: path.join(SHOTS, 'logs-request.png'),
      fullPage: true,
    });
  });

  it('shows every parsed field of a clicked line', async () => {
    await page
      .locator('.logs-table tbody tr', { hasText: 'outbound' })
      .locator('td')
      .first()
      .click();
    const detail = page.locator('.log-detail');
    await detail.waitFor();
    const text = (await detail.textContent()) ?? '';
    expect(text).toContain('source.workload');
    expect(text).toContain('productpage-v1');
    expect(text).toContain('upstreamCluster');
    expect(text).toContain('outbound|9080||reviews.bookinfo.svc.cluster.local');
    expect(text).toContain('UF,URX (UpstreamConnectionFailure');
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.screenshot({
      path: path.join(SHOTS, 'logs-detail-dark.png'),
      fullPage: true,
    });
    await page.emulateMedia({ colorScheme: 'light' });
  });

  it('links the edge to the topology and the trace id to the trace', async () => {
    const edge = page
      .locator('.logs-table tbody tr', { hasText: 'outbound' })
      .locator('a[href^="/topology"]');
    const href = (await edge.getAttribute('href')) ?? '';
    const q = new URL(href, app.urls.web).searchParams;
    expect(q.get('edge')).toBe(
      'svc:bookinfo/productpage->svc:bookinfo/reviews:http',
    );
    expect(q.get('from')).toBe(String(T0 - 60_000));
    await page
      .locator(`.logs-table a[href="/traces/${TRACE}"]`)
      .first()
      .click();
    await page.waitForURL(`**/traces/${TRACE}`);
    expect(new URL(page.url()).pathname).toBe(`/traces/${TRACE}`);
  });

  it('renders a hostile path as text', async () => {
    await page.goto(
      `${app.urls.web}/logs?q=${encodeURIComponent('<img')}&from=${T0 - 60_000}&to=${T0 + 60_000}`,
    );
    const row = page.locator('.logs-table tbody tr');
    await row.first().waitFor();
    expect(await row.count()).toBe(1);
    expect(await row.locator('.path-cell').textContent()).toContain(EVIL_PATH);
    expect(await page.locator('.logs-table img').count()).toBe(0);
    expect(await row.locator('abbr.flag').getAttribute('title')).toContain(
      'NoRouteFound',
    );
    expect(dialogs).toEqual([]);
  });

  it('explains how to send access logs when the window holds none', async () => {
    await page.goto(`${app.urls.web}/logs?from=1000&to=2000`);
    await page.getByRole('heading', { name: 'No logs to show yet' }).waitFor();
    expect(await page.locator('.empty-state').textContent()).toContain(
      '/v1/envoy/logs',
    );
    expect(pageErrors.errors).toEqual([]);
  });
});
