/**
 * The first screen in a real browser against the real process: navigation, the send-telemetry
 * instructions with the URLs the process bound, the live Data panel, and a view's empty state.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureWebBuild } from '../server/build-web';
import {
  startApp,
  REPO_ROOT,
  type AppProcess,
} from '../test/helpers/app-process';
import { collectPageErrors, launchBrowser } from '../test/helpers/browser';

const SCREENSHOT = path.join(REPO_ROOT, 'test-results', 'shell.png');
const NAV = [
  'Topology',
  'Services',
  'Traces',
  'Logs',
  'mTLS',
  'Alerts',
  'Targets',
];

let app: AppProcess;
let browser: Browser;
let page: Page;
let pageErrors: { errors: string[] };

/** The table names the API reports, read over plain HTTP (superjson wraps the payload). */
async function apiTableNames(web: string): Promise<string[]> {
  const res = await fetch(`${web}/api/trpc/status.overview`);
  expect(res.status).toBe(200);
  const body = (await res.json()) as {
    result: { data: { json: { tables: { name: string }[] } } };
  };
  return body.result.data.json.tables.map((t) => t.name);
}

/** One OTLP/JSON span "now" (ids are hex, as the OTLP JSON mapping asks). */
function otlpSpanBody(): string {
  const endNs = BigInt(Date.now()) * 1_000_000n;
  return JSON.stringify({
    resourceSpans: [
      {
        resource: {
          attributes: [
            { key: 'service.name', value: { stringValue: 'productpage' } },
          ],
        },
        scopeSpans: [
          {
            scope: { name: 'e2e' },
            spans: [
              {
                traceId: '5b8efff798038103d269b633813fc60c',
                spanId: 'eee19b7ec3c1b174',
                name: 'GET /productpage',
                kind: 2,
                startTimeUnixNano: String(endNs - 12_000_000n),
                endTimeUnixNano: String(endNs),
                status: {},
              },
            ],
          },
        ],
      },
    ],
  });
}

beforeAll(async () => {
  // Build first (when stale) so start-up stays within startApp's 90 s.
  await ensureWebBuild();
  app = await startApp();
  browser = await launchBrowser();
  page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  pageErrors = collectPageErrors(page);
}, 240_000);

afterAll(async () => {
  await browser?.close();
  const code = await app?.stop();
  expect(code).toBe(0);
});

describe('the dashboard shell', () => {
  it('shows the navigation, the real endpoints and the live table counts', async () => {
    await page.goto(`${app.urls.web}/`);

    const links = page
      .getByRole('navigation', { name: 'Views' })
      .getByRole('link');
    expect(await links.allTextContents()).toEqual(NAV);

    // The instructions carry the OTLP HTTP address this process actually bound.
    await page
      .locator('#send-telemetry', { hasText: app.urls.otlpHttp })
      .waitFor();
    await page
      .locator('#send-telemetry', { hasText: 'telemetry.istio.io/v1' })
      .waitFor();

    // Nothing received yet: the instructions come first.
    const first = page.locator('.overview-grid > section').first();
    expect(await first.getAttribute('id')).toBe('send-telemetry');

    const names = await apiTableNames(app.urls.web);
    expect(names.length).toBeGreaterThan(0);
    const rows = page.locator(
      '#data table[aria-label="Rows per table"] tbody tr td:first-child',
    );
    await rows.first().waitFor();
    expect((await rows.allTextContents()).sort()).toEqual([...names].sort());
    await page.locator('#data', { hasText: app.dataDir }).waitFor();

    fs.mkdirSync(path.dirname(SCREENSHOT), { recursive: true });
    await page.screenshot({ path: SCREENSHOT, fullPage: true });
  });

  it('refreshes the counts by itself and leads with them once telemetry arrives', async () => {
    const res = await fetch(`${app.urls.otlpHttp}/v1/traces`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: otlpSpanBody(),
    });
    expect(res.status).toBe(200);
    // No reload: the 5 s poll brings the new count and the Data panel moves up.
    await page
      .locator('.overview-grid > section:first-child#data tr', {
        has: page.locator('td:first-child', { hasText: /^otel_traces$/ }),
      })
      .locator('td.num', { hasText: /^1$/ })
      .waitFor({ timeout: 30_000 });
    await page.screenshot({
      path: SCREENSHOT.replace('.png', '-data.png'),
      fullPage: true,
    });
  });

  it('navigates to a view without data yet (mTLS) and explains its empty state', async () => {
    await page
      .getByRole('navigation', { name: 'Views' })
      .getByRole('link', { name: 'mTLS' })
      .click();
    await page.waitForURL(`${app.urls.web}/mtls`);
    await page
      .getByRole('heading', { name: 'No mTLS data to show yet' })
      .waitFor();
    const active = page.locator('.nav-link[aria-current="page"]');
    expect(await active.textContent()).toBe('mTLS');
    expect(await page.locator('.empty-state').textContent()).toContain(
      'npm run demo',
    );
    await page.screenshot({ path: SCREENSHOT.replace('.png', '-mtls.png') });
  });

  it('logged no errors in the browser console', () => {
    expect(pageErrors.errors).toEqual([]);
  });
});
