/**
 * mTLS in Chromium against the real process: Istio metrics of a small mesh are sent over
 * remote_write (details -> catalog in plaintext between two sidecars, a sidecar-less caller ->
 * productpage in plaintext, the rest mutual TLS). The mTLS page lists the plaintext edges with
 * their true volume, and the topology draws the plaintext edge unlocked (mtls-none).
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
import {
  encodeWriteRequest,
  postWrite,
  type RwSeries,
} from '../test/fixtures/metrics/remote-write';

const SCREENSHOT = path.join(REPO_ROOT, 'test-results', 'mtls.png');
const MIN = 60_000;
// A window wholly in the past: samples at :30 of minutes 0..5, increases in minutes 1..5.
const END = Math.floor(Date.now() / MIN) * MIN;
const START = END - 6 * MIN;
const MINUTES_COUNTED = 5;

interface Peer {
  workload: string;
  namespace: string;
  service: string;
  sa: string;
}
const peer = (namespace: string, workload: string, service: string): Peer => ({
  workload,
  namespace,
  service,
  sa: `bookinfo-${service}`,
});
const gateway = peer(
  'istio-system',
  'istio-ingressgateway',
  'istio-ingressgateway',
);
const productpage = peer('bookinfo', 'productpage-v1', 'productpage');
const reviews = peer('bookinfo', 'reviews-v1', 'reviews');
const details = peer('bookinfo', 'details-v1', 'details');
const catalog = peer('bookinfo', 'catalog-v1', 'catalog');

interface Edge {
  from: Peer | null;
  to: Peer;
  mtls: boolean;
  perMinute: number;
}
const EDGES: Edge[] = [
  { from: gateway, to: productpage, mtls: true, perMinute: 60 },
  { from: null, to: productpage, mtls: false, perMinute: 6 },
  { from: productpage, to: reviews, mtls: true, perMinute: 60 },
  { from: productpage, to: details, mtls: true, perMinute: 60 },
  { from: details, to: catalog, mtls: false, perMinute: 30 },
];
const PLAINTEXT_EDGE = 'wl:bookinfo/details-v1->svc:bookinfo/catalog:http';
const LOCKED_EDGE = 'wl:bookinfo/productpage-v1->svc:bookinfo/reviews:http';

const spiffe = (p: Peer) =>
  `spiffe://cluster.local/ns/${p.namespace}/sa/${p.sa}`;

/** Istio's standard labels of one edge as the given reporter fills them. */
function labels(e: Edge, reporter: 'source' | 'destination') {
  const src = e.from;
  return {
    __name__: 'istio_requests_total',
    reporter,
    source_workload: src?.workload ?? 'unknown',
    source_workload_namespace: src?.namespace ?? 'unknown',
    source_canonical_service: src?.service ?? 'unknown',
    source_principal: src && e.mtls ? spiffe(src) : 'unknown',
    destination_workload: e.to.workload,
    destination_workload_namespace: e.to.namespace,
    destination_canonical_service: e.to.service,
    destination_service_name: e.to.service,
    destination_service_namespace: e.to.namespace,
    destination_principal: e.mtls ? spiffe(e.to) : 'unknown',
    request_protocol: 'http',
    response_code: '200',
    response_flags: '-',
    connection_security_policy:
      reporter === 'source' ? 'unknown' : e.mtls ? 'mutual_tls' : 'none',
  };
}

function series(): RwSeries[] {
  const out: RwSeries[] = [];
  for (const e of EDGES)
    for (const reporter of e.from
      ? (['source', 'destination'] as const)
      : (['destination'] as const))
      out.push({
        labels: labels(e, reporter),
        samples: Array.from({ length: MINUTES_COUNTED + 1 }, (_, i) => ({
          value: i * e.perMinute,
          timestamp: START + i * MIN + 30_000,
        })),
      });
  return out;
}

let app: AppProcess;
let browser: Browser;
let page: Page;
let pageErrors: { errors: string[] };

interface ApiEdge {
  source: { namespace: string | null; workload: string | null };
  destination: { namespace: string | null; service: string | null };
  requests: { mtls: number; plaintext: number; unknown: number };
  requestShare: number | null;
  plaintextFirstSeen: string | null;
}

async function apiMtls(): Promise<{
  mesh: { requestShare: number | null };
  plaintextEdges: ApiEdge[];
}> {
  const res = await fetch(
    `${app.urls.web}/api/v1/mtls?start=${START}&end=${END}`,
  );
  expect(res.status).toBe(200);
  return (await res.json()) as Awaited<ReturnType<typeof apiMtls>>;
}

/** Classes of drawn edges (cytoscape hangs on the container as _cyreg.cy). */
async function edgeClasses(p: Page): Promise<Record<string, string[]>> {
  return p.evaluate(() => {
    type El = { id(): string; classes(): string[] };
    const cy = (
      document.querySelector('.cy-canvas') as unknown as {
        _cyreg: { cy: { edges(): { map<T>(f: (e: El) => T): T[] } } };
      }
    )._cyreg.cy;
    return Object.fromEntries(cy.edges().map((e) => [e.id(), e.classes()]));
  });
}

beforeAll(async () => {
  await ensureWebBuild();
  app = await startApp({ MESHLENS_BATCH_MAX_WAIT_MS: '50' });
  const res = await postWrite(
    `${app.urls.otlpHttp}/api/v1/write`,
    encodeWriteRequest(series()),
  );
  expect(res.status).toBe(204);
  browser = await launchBrowser();
  page = await browser.newPage({ viewport: { width: 1500, height: 1000 } });
  pageErrors = collectPageErrors(page);
}, 240_000);

afterAll(async () => {
  await browser?.close();
  const code = await app?.stop();
  if (code !== 0) console.error(app?.logs.slice(-40).join('\n'));
  expect(code).toBe(0);
});

describe('the mTLS page', () => {
  it('serves the true shares and plaintext edges over /api/v1/mtls', async () => {
    let body = await apiMtls();
    for (let i = 0; i < 60 && body.plaintextEdges.length < 2; i++) {
      await new Promise((r) => setTimeout(r, 500));
      body = await apiMtls();
    }
    const plain = Object.fromEntries(
      body.plaintextEdges.map((e) => [
        `${e.source.workload ?? 'unknown'}->${e.destination.service}`,
        e.requests.plaintext,
      ]),
    );
    expect(plain).toEqual({
      'details-v1->catalog': 30 * MINUTES_COUNTED,
      'unknown->productpage': 6 * MINUTES_COUNTED,
    });
    const yes = 180 * MINUTES_COUNTED;
    const no = 36 * MINUTES_COUNTED;
    expect(body.mesh.requestShare).toBeCloseTo(yes / (yes + no), 9);
  });

  it('lists the plaintext edges, the PERMISSIVE workload and the identities', async () => {
    await page.goto(`${app.urls.web}/mtls?from=${START}&to=${END}`);
    const table = page.getByRole('table', { name: 'Plaintext edges' });
    await table.waitFor();
    const rows = await table.locator('tbody tr').allTextContents();
    expect(rows).toHaveLength(2);
    expect(rows[0]).toContain('bookinfo/details-v1');
    expect(rows[0]).toContain('bookinfo/catalog');
    expect(rows[0]).toContain('150');
    expect(rows[1]).toContain('unknown (no sidecar)');
    const mixed = page.getByRole('table', { name: 'Workloads receiving both' });
    expect(await mixed.locator('tbody tr').allTextContents()).toEqual([
      expect.stringContaining('bookinfo/productpage-v1'),
    ]);
    await page
      .getByRole('table', { name: 'Who calls whom by identity' })
      .getByText(spiffe(reviews))
      .waitFor();
    const figures = page.getByLabel('Mesh mTLS coverage');
    expect(
      await figures
        .locator('div', {
          has: page.locator('dt', { hasText: /^Requests over mTLS$/ }),
        })
        .locator('dd')
        .textContent(),
    ).toBe('83.3%');
    fs.mkdirSync(path.dirname(SCREENSHOT), { recursive: true });
    await page.screenshot({ path: SCREENSHOT, fullPage: true });
  });

  it('keeps the window in the URL and says what to do when it is empty', async () => {
    await page.goto(
      `${app.urls.web}/mtls?from=${START - 120 * MIN}&to=${START - 60 * MIN}`,
    );
    await page
      .getByRole('heading', { name: 'No mTLS data to show yet' })
      .waitFor();
  });

  it('draws the plaintext edge unlocked on the topology, the mTLS edge locked', async () => {
    await page.goto(`${app.urls.web}/topology?from=${START}&to=${END}`);
    await page.getByText(/\d+ nodes, \d+ edges/).waitFor();
    const classes = await edgeClasses(page);
    expect(classes[PLAINTEXT_EDGE]).toContain('mtls-none');
    expect(classes[LOCKED_EDGE]).toContain('mtls-full');
  });

  it('logged no errors in the browser console', () => {
    expect(pageErrors.errors).toEqual([]);
  });
});
