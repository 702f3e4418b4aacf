/**
 * The trace explorer on the demo mesh (`npm run demo`: Bookinfo spans sent by the simulated
 * sidecars over real OTLP): its traces are found in Chromium by service and by tag, and the
 * waterfall of one of them has the parent/child structure and durations of the stored spans
 * (read independently as OTLP JSON from `GET /api/v1/traces/{id}`).
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatDurationUs } from '../app/_features/traces/view-math';
import { ensureWebBuild } from '../server/build-web';
import { startApp, type AppProcess } from '../test/helpers/app-process';
import { collectPageErrors, launchBrowser } from '../test/helpers/browser';

let app: AppProcess;
let browser: Browser;
let page: Page;
let pageErrors: { errors: string[] };
let fromMs: number;
let toMs: number;

interface Summary {
  traceId: string;
  services: { service: string; spans: number }[];
}

async function search(
  query: string,
): Promise<{ total: number; traces: Summary[] }> {
  const res = await fetch(
    `${app.urls.web}/api/v1/traces?${query}&start=${fromMs}&end=${toMs}&limit=50`,
  );
  expect(res.status).toBe(200);
  return (await res.json()) as { total: number; traces: Summary[] };
}

/** Trace ids of the result list as drawn. */
async function listedIds(): Promise<string[]> {
  await page.locator('.trace-list tbody tr').first().waitFor();
  return page
    .locator('.trace-list tbody tr')
    .evaluateAll((rows) =>
      rows.map((r) => r.getAttribute('data-trace-id') ?? ''),
    );
}

beforeAll(async () => {
  await ensureWebBuild();
  app = await startApp({}, ['--demo']);
  // The demo backfills 10 minutes, then runs live. The window ends 30 s ago, so no span of it
  // is still on its way; wait until its counts hold still and reviews' 503s (ratings fault
  // injection) are among them.
  const deadline = Date.now() + 180_000;
  toMs = Date.now() - 30_000;
  fromMs = toMs - 8 * 60_000;
  let last = '';
  for (;;) {
    const counts = await Promise.all([
      search('service=ratings.bookinfo'),
      search('service=reviews.bookinfo&tags=http.status_code%3D503'),
    ]);
    const now = counts.map((c) => c.total).join(',');
    if (counts.every((c) => c.total > 0) && now === last) break;
    last = now;
    if (Date.now() > deadline)
      throw new Error(`the demo's spans did not settle: ${now}`);
    await new Promise((res) => setTimeout(res, 4000));
  }
  browser = await launchBrowser();
  page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  pageErrors = collectPageErrors(page);
}, 300_000);

afterAll(async () => {
  await browser?.close();
  expect(await app?.stop()).toBe(0);
});

describe('the demo mesh in the trace explorer', () => {
  it('finds the traces of a service: the same page as the read API, each through that service', async () => {
    const api = await search('service=ratings.bookinfo');
    expect(api.total).toBeGreaterThan(0);
    await page.goto(
      `${app.urls.web}/traces?service=ratings.bookinfo&from=${fromMs}&to=${toMs}`,
    );
    expect(await listedIds()).toEqual(api.traces.map((t) => t.traceId));
    for (const t of api.traces)
      expect(t.services.map((s) => s.service)).toContain('ratings.bookinfo');
    const chips = await page
      .locator('.trace-list tbody tr')
      .first()
      .locator('.chip')
      .allTextContents();
    expect(chips.some((c) => c.startsWith('ratings.bookinfo '))).toBe(true);
    // A dot of the duration-over-time scatter opens its trace (dots overlap: whichever is on
    // top at that point is clicked, so the check is that a listed trace opens).
    await page
      .locator('.recharts-scatter-symbol')
      .last()
      .click({ force: true });
    await page.waitForURL(/\/traces\/[0-9a-f]{32}$/);
    const opened = page.url().split('/').pop()!;
    expect(api.traces.map((t) => t.traceId)).toContain(opened);
    await page.locator('[role="treeitem"]').first().waitFor();
  });

  it('finds the traces with a tag through the search form', async () => {
    const api = await search(
      'service=reviews.bookinfo&tags=http.status_code%3D503',
    );
    expect(api.total).toBeGreaterThan(0);
    await page.goto(
      `${app.urls.web}/traces?service=reviews.bookinfo&from=${fromMs}&to=${toMs}`,
    );
    await page.locator('.trace-list tbody tr').first().waitFor();
    await page.locator('input[name="tags"]').fill('http.status_code=503');
    await page.getByRole('button', { name: 'Find traces' }).click();
    await page.waitForURL(/tags=http\.status_code%3D503/);
    await expect
      .poll(listedIds, { timeout: 20_000 })
      .toEqual(api.traces.map((t) => t.traceId));
    // The read API's summaries say each listed trace has a reviews span with that tag.
    for (const t of api.traces)
      expect(t.services.map((x) => x.service)).toContain('reviews.bookinfo');
  });

  it('draws a demo trace with the stored parent/child structure and durations', async () => {
    const [first] = (await search('service=ratings.bookinfo')).traces;
    const id = first!.traceId;
    const otlp = (await (
      await fetch(`${app.urls.web}/api/v1/traces/${id}`)
    ).json()) as {
      resourceSpans: {
        scopeSpans: {
          spans: {
            spanId: string;
            parentSpanId: string;
            startTimeUnixNano: string;
            endTimeUnixNano: string;
          }[];
        }[];
      }[];
    };
    const stored = new Map(
      otlp.resourceSpans
        .flatMap((r) => r.scopeSpans.flatMap((s) => s.spans))
        .map((s) => [
          s.spanId,
          {
            parent: s.parentSpanId,
            durationUs:
              Number(BigInt(s.endTimeUnixNano) - BigInt(s.startTimeUnixNano)) /
              1000,
          },
        ]),
    );
    expect(stored.size).toBeGreaterThan(2);
    await page.goto(`${app.urls.web}/traces/${id}`);
    await page
      .locator('[role="treeitem"]')
      .nth(stored.size - 1)
      .waitFor();
    const rows = await page.locator('[role="treeitem"]').evaluateAll((els) =>
      els.map((e) => ({
        span: e.getAttribute('data-span-id') ?? '',
        parent: e.getAttribute('data-parent-span-id') ?? '',
        depth: Number(e.getAttribute('data-depth')),
        duration: e.querySelector('.wf-duration')?.textContent ?? '',
        service: e.querySelector('.wf-service')?.textContent ?? '',
      })),
    );
    expect(rows).toHaveLength(stored.size);
    const depthOf = new Map<string, number>();
    for (const r of rows) {
      const s = stored.get(r.span)!;
      expect(r.parent).toBe(s.parent);
      expect(r.duration).toBe(formatDurationUs(s.durationUs));
      // Pre-order: a parent is drawn before its children, one level up.
      if (r.parent && stored.has(r.parent))
        expect(r.depth).toBe(depthOf.get(r.parent)! + 1);
      else expect(r.depth).toBe(0);
      depthOf.set(r.span, r.depth);
    }
    // Istio's shape: the ratings sidecar's server span is the child of a reviews client span.
    const byId = new Map(rows.map((r) => [r.span, r]));
    const ratings = rows.filter((r) => r.service === 'ratings.bookinfo');
    expect(ratings.length).toBeGreaterThan(0);
    for (const r of ratings)
      expect(byId.get(r.parent)?.service).toBe('reviews.bookinfo');
  });

  it('logged no errors in the browser console', () => {
    expect(pageErrors.errors).toEqual([]);
  });
});
