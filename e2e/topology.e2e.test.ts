/**
 * The topology page in Chromium against the real process: proxy spans of a small mesh are
 * posted to the OTLP receiver, the page draws their nodes and edges, clicking an edge opens its
 * panel with the true requests/s and error %, and a hostile service name stays text.
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
import { meshSpansBody, type SeedEdge } from './support/mesh-spans';

const SCREENSHOT = path.join(REPO_ROOT, 'test-results', 'topology.png');
const XSS = '<img src=x onerror=alert(1)>';
const MIN = 60_000;
// A window wholly in the past (whole minutes), so rates divide by exactly 300 s.
const END = Math.floor(Date.now() / MIN) * MIN;
const START = END - 5 * MIN;
const SECONDS = 300;

const gateway = {
  namespace: 'istio-system',
  workload: 'istio-ingressgateway',
  service: 'istio-ingressgateway',
  gateway: true,
};
const productpage = {
  namespace: 'bookinfo',
  workload: 'productpage-v1',
  service: 'productpage',
};
const reviews = {
  namespace: 'bookinfo',
  workload: 'reviews-v2',
  service: 'reviews',
};
const EDGES: SeedEdge[] = [
  {
    from: gateway,
    toHost: 'productpage.bookinfo.svc.cluster.local',
    requests: 300,
    errors: 3,
  },
  {
    from: productpage,
    toHost: 'reviews.bookinfo.svc.cluster.local',
    requests: 150,
    errors: 15,
  },
  {
    from: productpage,
    toHost: 'details.bookinfo.svc.cluster.local',
    requests: 120,
    errors: 0,
  },
  {
    from: reviews,
    toHost: 'ratings.bookinfo.svc.cluster.local',
    requests: 60,
    errors: 0,
  },
  { from: productpage, toHost: XSS, requests: 30, errors: 0 },
];
const REVIEWS_EDGE = 'wl:bookinfo/productpage-v1->svc:bookinfo/reviews:http';

let app: AppProcess;
let browser: Browser;
let page: Page;
let pageErrors: { errors: string[] };
const dialogs: string[] = [];

interface ApiEdge {
  source: string;
  target: string;
  requestsPerSecond: number;
  errorRatio: number;
  signal: string;
}

async function apiTopology(): Promise<{
  nodes: { id: string }[];
  edges: ApiEdge[];
}> {
  const res = await fetch(
    `${app.urls.web}/api/v1/topology?start=${START}&end=${END}`,
  );
  expect(res.status).toBe(200);
  return (await res.json()) as { nodes: { id: string }[]; edges: ApiEdge[] };
}

/** Ids of what cytoscape drew (its instance hangs on the container as _cyreg.cy). */
async function drawn(
  p: Page,
): Promise<{ nodes: string[]; edges: { id: string; label: string }[] }> {
  return p.evaluate(() => {
    type El = {
      id(): string;
      data(k: string): unknown;
      hasClass(c: string): boolean;
    };
    type Cy = {
      nodes(): El[] & { map<T>(f: (n: El) => T): T[] };
      edges(): { map<T>(f: (e: El) => T): T[] };
    };
    const cy = (
      document.querySelector('.cy-canvas') as unknown as { _cyreg: { cy: Cy } }
    )._cyreg.cy;
    return {
      nodes: cy.nodes().map((n) => n.id()),
      edges: cy
        .edges()
        .map((e) => ({ id: e.id(), label: String(e.data('label')) })),
    };
  });
}

async function clickElement(p: Page, id: string): Promise<void> {
  const box = await p.locator('.cy-canvas').boundingBox();
  const at = await p.evaluate((elementId) => {
    type Pos = { x: number; y: number };
    type El = {
      isEdge(): boolean;
      renderedMidpoint(): Pos;
      renderedPosition(): Pos;
    };
    const cy = (
      document.querySelector('.cy-canvas') as unknown as {
        _cyreg: { cy: { getElementById(id: string): El } };
      }
    )._cyreg.cy;
    const el = cy.getElementById(elementId);
    return el.isEdge() ? el.renderedMidpoint() : el.renderedPosition();
  }, id);
  await p.mouse.click(box!.x + at.x, box!.y + at.y);
}

beforeAll(async () => {
  await ensureWebBuild();
  app = await startApp({ MESHLENS_BATCH_MAX_WAIT_MS: '50' });
  const res = await fetch(`${app.urls.otlpHttp}/v1/traces`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: meshSpansBody(EDGES, START + 30_000, END - 30_000),
  });
  expect(res.status).toBe(200);
  browser = await launchBrowser();
  page = await browser.newPage({ viewport: { width: 1500, height: 950 } });
  pageErrors = collectPageErrors(page);
  page.on('dialog', (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
}, 240_000);

afterAll(async () => {
  await browser?.close();
  const code = await app?.stop();
  if (code !== 0) console.error(app?.logs.slice(-40).join('\n'));
  expect(code).toBe(0);
});

describe('the topology page', () => {
  it('serves the seeded edges over /api/v1/topology with exact rates, from traces', async () => {
    const want = 150 / SECONDS;
    let reviewsEdge: ApiEdge | undefined;
    for (let i = 0; i < 60 && !reviewsEdge; i++) {
      reviewsEdge = (await apiTopology()).edges.find(
        (e) => `${e.source}->${e.target}:http` === REVIEWS_EDGE,
      );
      if (!reviewsEdge) await new Promise((r) => setTimeout(r, 500));
    }
    expect(reviewsEdge).toMatchObject({ signal: 'traces', errorRatio: 0.1 });
    expect(reviewsEdge!.requestsPerSecond).toBeCloseTo(want, 9);
  });

  it('draws the nodes and edges of the seeded traffic, with rate labels', async () => {
    await page.goto(`${app.urls.web}/topology?from=${START}&to=${END}`);
    await page.getByText(/\d+ nodes, \d+ edges/).waitFor();
    const g = await drawn(page);
    expect(g.nodes).toEqual(
      expect.arrayContaining([
        'wl:istio-system/istio-ingressgateway',
        'svc:bookinfo/productpage',
        'wl:bookinfo/productpage-v1',
        'svc:bookinfo/reviews',
        'svc:bookinfo/details',
        'wl:bookinfo/reviews-v2',
        'svc:bookinfo/ratings',
        `svc:/${XSS}`,
        'ns:bookinfo',
        'ns:istio-system',
      ]),
    );
    const byId = new Map(g.edges.map((e) => [e.id, e.label]));
    expect(byId.get(REVIEWS_EDGE)).toBe('0.50 rps');
    expect(
      byId.get(
        'wl:istio-system/istio-ingressgateway->svc:bookinfo/productpage:http',
      ),
    ).toBe('1.00 rps');
    expect(byId.get(`wl:bookinfo/productpage-v1->svc:/${XSS}:http`)).toBe(
      '0.10 rps',
    );
  });

  it('fetches the graph once, preloaded with the page, not after the scripts load', async () => {
    // (same page as above) the server component preloads the exact URL the tRPC client asks
    // for; a different URL would show up as a second, 'fetch' request
    const requests = await page.evaluate(() =>
      performance
        .getEntriesByType('resource')
        .filter((r) => r.name.includes('/api/trpc/topology.graph'))
        .map((r) => (r as PerformanceResourceTiming).initiatorType),
    );
    expect(requests).toEqual(['link']);
  });

  it('opens the side panel of a clicked edge with its requests/s and error %', async () => {
    await clickElement(page, REVIEWS_EDGE);
    const panel = page.getByTestId('side-panel');
    await panel
      .getByRole('heading', { name: 'productpage-v1 → reviews' })
      .waitFor();
    await page.waitForURL(/edge=/);
    const figures = panel.getByLabel('Figures for the window');
    await figures.waitFor();
    const stat = (label: string) =>
      figures
        .locator('div', {
          has: page.locator('dt', { hasText: new RegExp(`^${label}$`) }),
        })
        .locator('dd');
    expect(await stat('Requests/s').textContent()).toBe('0.50');
    expect(await stat('Errors').textContent()).toBe('10%');
    await panel.getByRole('table', { name: 'Response codes' }).waitFor();
    expect(
      await panel
        .getByRole('table', { name: 'Response codes' })
        .locator('tbody tr')
        .allTextContents(),
    ).toEqual(['200135' + '90%', '50315' + '10%']);
    expect(
      await panel
        .getByRole('link', { name: 'Traces of this edge' })
        .getAttribute('href'),
    ).toContain(`from=${START}`);
    fs.mkdirSync(path.dirname(SCREENSHOT), { recursive: true });
    await page.screenshot({ path: SCREENSHOT });
  });

  it('lists top paths in the edge panel, saying where paths come from when no access log has them', async () => {
    const section = page
      .getByTestId('side-panel')
      .getByRole('region', { name: 'Top paths' });
    await section.waitFor();
    // This mesh sent only spans: paths need Envoy access logs, and the panel says so.
    await section.getByText(/paths come from\s+Envoy access logs/).waitFor();
  });

  it('colours edges by mTLS state on request, in the URL, with a legend entry', async () => {
    await page.getByLabel('Edge colour').selectOption('mtls');
    await page.waitForURL(/color=mtls/);
    await page.locator('.graph-legend summary').click();
    await page.getByTestId('legend-mtls').waitFor();
    const classes = await page.evaluate((id) => {
      const cy = (
        document.querySelector('.cy-canvas') as unknown as {
          _cyreg: {
            cy: { getElementById(id: string): { classes(): string[] } };
          };
        }
      )._cyreg.cy;
      return cy.getElementById(id).classes();
    }, REVIEWS_EDGE);
    expect(classes).toEqual(expect.arrayContaining(['color-mtls']));
    await page.locator('.graph-legend summary').click();
  });

  it('keeps the selection in the URL, so the view can be shared', async () => {
    await page.reload();
    await page
      .getByTestId('side-panel')
      .getByRole('heading', { name: 'productpage-v1 → reviews' })
      .waitFor();
  });

  it('moves between nodes with the keyboard: arrows, Enter opens, Escape closes', async () => {
    await page.getByTestId('topology-graph').focus();
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('Enter');
    await page.waitForURL(/node=/);
    await page.getByTestId('side-panel').waitFor();
    await page.getByTestId('topology-graph').focus();
    await page.keyboard.press('Escape');
    await page.waitForURL((u) => !u.search.includes('node='));
  });

  it('keeps every node where it was when the graph refreshes', async () => {
    await page.goto(`${app.urls.web}/topology?range=1h&refresh=10s`);
    const header = page.getByText(/\d+ nodes, \d+ edges · updated/);
    await header.waitFor();
    const positions = () =>
      page.evaluate(() => {
        type El = { id(): string; position(): { x: number; y: number } };
        const cy = (
          document.querySelector('.cy-canvas') as unknown as {
            _cyreg: { cy: { nodes(): { map<T>(f: (n: El) => T): T[] } } };
          }
        )._cyreg.cy;
        return cy.nodes().map((n) => [n.id(), n.position()] as const);
      });
    const before = await positions();
    const firstText = await header.textContent();
    await page.waitForFunction(
      (t) => !document.body.innerText.includes(t ?? ''),
      firstText,
      { timeout: 30_000 },
    );
    expect(await positions()).toEqual(before);
  });

  it('draws in the dark theme too', async () => {
    await page.emulateMedia({ colorScheme: 'dark' });
    const surface = () =>
      page.evaluate(() =>
        getComputedStyle(document.documentElement)
          .getPropertyValue('--surface')
          .trim(),
      );
    const dark = await surface();
    await page.emulateMedia({ colorScheme: 'light' });
    expect(dark).not.toBe(await surface());
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.screenshot({ path: SCREENSHOT.replace('.png', '-dark.png') });
    await page.emulateMedia({ colorScheme: 'light' });
  });

  it('shows a hostile service name as text in the node panel', async () => {
    await page.goto(`${app.urls.web}/topology?from=${START}&to=${END}`);
    await page.getByText(/\d+ nodes, \d+ edges/).waitFor();
    await clickElement(page, `svc:/${XSS}`);
    await page
      .getByTestId('side-panel')
      .getByRole('heading', { name: XSS, exact: true })
      .waitFor();
    expect(await page.locator('img[src="x"]').count()).toBe(0);
  });

  it('shows a hostile service name as text in the services list', async () => {
    await page.goto(`${app.urls.web}/services?from=${START}&to=${END}`);
    const table = page.getByRole('table', { name: 'Services' });
    await table.waitFor();
    await table.getByText(XSS, { exact: true }).waitFor();
    expect(await page.locator('img[src="x"]').count()).toBe(0);
    await page.screenshot({
      path: SCREENSHOT.replace('.png', '-services.png'),
    });
    expect(dialogs).toEqual([]);
  });

  it('shows a service page with breakdowns, latency histogram and heatmap, and top paths', async () => {
    await page.goto(
      `${app.urls.web}/services/bookinfo/reviews?from=${START}&to=${END}`,
    );
    await page.getByRole('heading', { name: 'reviews', exact: true }).waitFor();
    await page.getByText('Latency histogram (requests per bucket)').waitFor();
    await page.getByRole('img', { name: 'Latency heatmap' }).waitFor();
    await page.getByRole('region', { name: 'Top paths' }).waitFor();
    await page.getByRole('table', { name: 'Response codes' }).first().waitFor();
    await page.screenshot({
      path: SCREENSHOT.replace('.png', '-service.png'),
      fullPage: true,
    });
  });

  it('logged no errors in the browser console', () => {
    expect(pageErrors.errors).toEqual([]);
  });
});
