/**
 * Embeds in Chromium against the real process (auth off on loopback, the default): a page on
 * another local origin frames /embed/topology with a signed embed token, the graph draws the
 * seeded mesh, a click on a node reaches the host page as a `meshlens:node-clicked` message; a
 * page on an origin the token does not allow is refused the frame; the service card shows the
 * seeded rate; the dashboard says that authentication is off.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser, Frame, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import superjson from 'superjson';
import { ensureWebBuild } from '../server/build-web';
import { startApp, type AppProcess } from '../test/helpers/app-process';
import { collectPageErrors, launchBrowser } from '../test/helpers/browser';
import { meshSpansBody, type SeedEdge } from './support/mesh-spans';

const MIN = 60_000;
const productpage = {
  namespace: 'bookinfo',
  workload: 'productpage-v1',
  service: 'productpage',
};
const EDGES: SeedEdge[] = [
  {
    from: productpage,
    toHost: 'reviews.bookinfo.svc.cluster.local',
    requests: 150,
    errors: 0,
  },
  {
    from: { namespace: 'secretns', workload: 'vault-v1', service: 'vault' },
    toHost: 'ledger.secretns.svc.cluster.local',
    requests: 40,
    errors: 0,
  },
];

let app: AppProcess;
let browser: Browser;
const hosts: http.Server[] = [];

/** A page on its own origin (another port) that frames `src` and records Meshlens messages. */
async function hostPage(src: string): Promise<string> {
  const html = `<!doctype html><html><body><h1>Runbook</h1>
<iframe id="w" src="${src.replace(/"/g, '&quot;')}" width="900" height="600" style="border:0"></iframe>
<script>
  window.__events = [];
  window.addEventListener('message', (e) => {
    if (e.data && typeof e.data.type === 'string' && e.data.type.startsWith('meshlens:'))
      window.__events.push({ origin: e.origin, data: e.data });
  });
</script></body></html>`;
  const server = http.createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html' });
    res.end(html);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  hosts.push(server);
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** Picks a free port for a host page before its URL is known to the token. */
async function reservePort(): Promise<number> {
  const s = http.createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as AddressInfo).port;
  await new Promise((r) => s.close(r));
  return port;
}

async function createEmbed(input: Record<string, unknown>): Promise<string> {
  const res = await fetch(`${app.urls.web}/api/trpc/auth.createEmbed`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(superjson.serialize(input)),
  });
  expect(res.status).toBe(200);
  const body = (await res.json()) as { result: { data: unknown } };
  return superjson.deserialize<{ jwt: string }>(body.result.data as never).jwt;
}

async function events(page: Page): Promise<
  {
    origin: string;
    data: { type: string; node?: { namespace: string; workload: string } };
  }[]
> {
  return page.evaluate(
    () => (window as unknown as { __events: never[] }).__events,
  );
}

async function clickNode(page: Page, frame: Frame, id: string): Promise<void> {
  const frameBox = await page.locator('#w').boundingBox();
  const canvasBox = await frame.locator('.cy-canvas').boundingBox();
  const at = await frame.evaluate((nodeId) => {
    type Cy = {
      getElementById(id: string): {
        renderedPosition(): { x: number; y: number };
      };
    };
    const cy = (
      document.querySelector('.cy-canvas') as unknown as { _cyreg: { cy: Cy } }
    )._cyreg.cy;
    return cy.getElementById(nodeId).renderedPosition();
  }, id);
  expect(frameBox && canvasBox).toBeTruthy();
  await page.mouse.click(canvasBox!.x + at.x, canvasBox!.y + at.y);
}

beforeAll(async () => {
  await ensureWebBuild();
  app = await startApp({ MESHLENS_BATCH_MAX_WAIT_MS: '50' });
  const end = Date.now();
  const res = await fetch(`${app.urls.otlpHttp}/v1/traces`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: meshSpansBody(EDGES, end - 4 * MIN, end - 10_000),
  });
  expect(res.status).toBe(200);
  browser = await launchBrowser();
}, 240_000);

afterAll(async () => {
  await browser?.close();
  for (const s of hosts) await new Promise((r) => s.close(r));
  const code = await app?.stop();
  if (code !== 0) console.error(app?.logs.slice(-40).join('\n'));
  expect(code).toBe(0);
});

describe('embeds', () => {
  it('a page on another origin frames the topology and receives a node click', async () => {
    const port = await reservePort();
    const origin = `http://127.0.0.1:${port}`;
    const jwt = await createEmbed({
      name: 'runbook',
      widgets: ['topology'],
      namespaces: ['bookinfo'],
      services: [],
      origins: [origin],
      expiresInHours: 1,
    });
    const hostServer = http.createServer();
    hosts.push(hostServer);
    // Serve the host page on the reserved port (its origin is the one the token allows).
    const src = `${app.urls.web}/embed/topology?token=${jwt}&theme=dark&refresh=10`;
    hostServer.on('request', (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end(`<!doctype html><html><body><h1>Runbook</h1>
<iframe id="w" src="${src}" width="900" height="600" style="border:0"></iframe>
<script>
  window.__events = [];
  window.addEventListener('message', (e) => {
    if (e.data && typeof e.data.type === 'string' && e.data.type.startsWith('meshlens:'))
      window.__events.push({ origin: e.origin, data: e.data });
  });
</script></body></html>`);
    });
    await new Promise<void>((r) => hostServer.listen(port, '127.0.0.1', r));

    const page = await browser.newPage({
      viewport: { width: 1000, height: 700 },
    });
    const errors = collectPageErrors(page);
    await page.goto(origin);
    const frame = page.frameLocator('#w');
    await frame
      .locator('.embed-bar', { hasText: /\d+ nodes/ })
      .waitFor({ timeout: 30_000 });
    const f = page
      .frames()
      .find((x) => x.url().startsWith(`${app.urls.web}/embed/topology`))!;
    // Only bookinfo is drawn; the other namespace's nodes never reach the frame.
    const nodes = await f.evaluate(() => {
      type Cy = { nodes(): { map<T>(fn: (n: { id(): string }) => T): T[] } };
      return (
        document.querySelector('.cy-canvas') as unknown as {
          _cyreg: { cy: Cy };
        }
      )._cyreg.cy
        .nodes()
        .map((n) => n.id());
    });
    expect(nodes).toContain('wl:bookinfo/productpage-v1');
    expect(nodes.join()).not.toContain('secretns');
    // Dark theme from the URL.
    expect(await f.evaluate(() => document.documentElement.dataset.theme)).toBe(
      'dark',
    );

    await expect
      .poll(async () => (await events(page)).map((e) => e.data.type))
      .toContain('meshlens:ready');
    await clickNode(page, f, 'wl:bookinfo/productpage-v1');
    await expect
      .poll(
        async () =>
          (await events(page)).find(
            (e) => e.data.type === 'meshlens:node-clicked',
          ),
        { timeout: 10_000 },
      )
      .toMatchObject({
        origin: app.urls.web,
        data: { node: { namespace: 'bookinfo', workload: 'productpage-v1' } },
      });
    expect(errors.errors).toEqual([]);
    await page.close();
  });

  it('is not shown on an origin the token does not allow', async () => {
    const jwt = await createEmbed({
      name: 'elsewhere',
      widgets: ['topology'],
      namespaces: [],
      services: [],
      origins: ['http://127.0.0.1:1'],
      expiresInHours: 1,
    });
    const origin = await hostPage(
      `${app.urls.web}/embed/topology?token=${jwt}`,
    );
    const page = await browser.newPage();
    await page.goto(origin);
    await page.waitForTimeout(3000);
    // The browser refuses the frame (frame-ancestors): nothing of the widget is in it.
    const frame = page.frames().find((f) => f !== page.mainFrame());
    expect(frame).toBeDefined();
    expect(await frame!.locator('.embed-frame').count()).toBe(0);
    expect(await events(page)).toEqual([]);
    const res = await fetch(`${app.urls.web}/embed/topology?token=${jwt}`);
    expect(res.headers.get('content-security-policy')).toContain(
      'frame-ancestors http://127.0.0.1:1',
    );
    await page.close();
  });

  it('the service card shows the seeded rate; a tampered token shows why it is refused', async () => {
    const jwt = await createEmbed({
      name: 'card',
      widgets: ['service'],
      namespaces: ['bookinfo'],
      services: ['bookinfo/reviews'],
      origins: ['*'],
      expiresInHours: 1,
    });
    const page = await browser.newPage();
    await page.goto(
      `${app.urls.web}/embed/service?token=${jwt}&namespace=bookinfo&service=reviews&theme=light&minutes=15`,
    );
    // 150 requests over the last 15 minutes, the window reading whole minutes: 15 or 16 of them.
    const rate = page.getByTestId('embed-rate');
    await rate.waitFor({ timeout: 30_000 });
    expect(['0.17', '0.16']).toContain((await rate.textContent())?.trim());
    const tampered = `${jwt.slice(0, -4)}AAAA`;
    const refused = await fetch(
      `${app.urls.web}/embed/service?token=${tampered}&namespace=bookinfo&service=reviews`,
    );
    expect(refused.status).toBe(401);
    expect(await refused.text()).toContain('not valid');
    await page.close();
  });

  it('the dashboard says authentication is off', async () => {
    const page = await browser.newPage();
    await page.goto(app.urls.web);
    await page.getByTestId('auth-off').waitFor();
    expect(await page.getByTestId('auth-off').textContent()).toContain(
      'No authentication',
    );
    await page.close();
  });
});
