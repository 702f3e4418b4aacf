/**
 * The Targets page in Chromium against the real process: a scrape config with three targets (a
 * simulated sidecar that works, a port nobody listens on, an endpoint serving hostile garbage)
 * shows each target's state and the reason of its failure, as text; the health filter is in the
 * URL; the same reasons are on /metrics.
 */
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
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
import { parseExposition } from '../collectors/sources/prometheus-shared/exposition';
import {
  SimulatedSidecar,
  startFixtureServer,
  type FixtureServer,
} from '../test/fixtures/metrics/sidecar-sim';

const SHOTS = path.join(REPO_ROOT, 'test-results');
const EVIL = '<img src=x onerror=alert(1)>';

let app: AppProcess;
let browser: Browser;
let page: Page;
let pageErrors: { errors: string[] };
const dialogs: string[] = [];
const servers: FixtureServer[] = [];
let tmp: string;
let good: string;
let garbage: string;
let closed: string;
let servedSamples: number;

/** A loopback port that was free a moment ago and has no listener now. */
async function closedPort(): Promise<string> {
  const srv = net.createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const { port } = srv.address() as net.AddressInfo;
  await new Promise<void>((r) => srv.close(() => r()));
  return `127.0.0.1:${port}`;
}

beforeAll(async () => {
  await ensureWebBuild();
  const sim = new SimulatedSidecar([
    {
      reporter: 'destination',
      sourceWorkload: 'productpage-v1',
      sourceNamespace: 'bookinfo',
      destinationWorkload: 'reviews-v1',
      destinationNamespace: 'bookinfo',
      destinationService: 'reviews',
    },
  ]);
  const ok = await startFixtureServer(() => {
    sim.record(0, 12);
    return { body: sim.render() };
  });
  sim.record(0, 12);
  servedSamples = parseExposition(sim.render(), 'text').length;
  const bad = await startFixtureServer(() => ({ body: `${EVIL}\n` }));
  servers.push(ok, bad);
  good = ok.hostPort;
  garbage = bad.hostPort;
  closed = await closedPort();
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'meshlens-targets-e2e-'));
  const configFile = path.join(tmp, 'scrape.yaml');
  fs.writeFileSync(
    configFile,
    [
      'scrape_configs:',
      '  - job_name: mesh',
      '    scrape_interval: 1s',
      '    scrape_timeout: 800ms',
      '    metrics_path: /stats/prometheus',
      `    static_configs: [{ targets: ['${good}', '${closed}', '${garbage}'], labels: { namespace: bookinfo } }]`,
      '',
    ].join('\n'),
  );
  app = await startApp({
    MESHLENS_SCRAPE_CONFIG: configFile,
    MESHLENS_SCRAPE_KUBERNETES: 'false',
  });
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
  await Promise.all(servers.map((s) => s.close()));
  fs.rmSync(tmp, { recursive: true, force: true });
});

const row = (hostPort: string) =>
  page.locator('.targets-job tbody tr', { hasText: hostPort });

describe('the Targets page', () => {
  it('shows each target with its state, and the down ones with their reason', async () => {
    await page.goto(`${app.urls.web}/targets`);
    await row(good).locator('.target-up').waitFor({ timeout: 20_000 });
    await row(closed).locator('.target-down').waitFor({ timeout: 20_000 });
    await row(garbage).locator('.target-down').waitFor({ timeout: 20_000 });
    expect(await page.locator('.targets-job h2').textContent()).toContain(
      '1/3 up',
    );
    expect(await row(good).locator('.target-error').textContent()).toBe('');
    // samples of the last scrape: every sample line the sidecar serves (a known number)
    expect(Number(await row(good).locator('td.num').nth(1).textContent())).toBe(
      servedSamples,
    );
    expect(await row(good).locator('td.num').nth(0).textContent()).toMatch(
      /^\d+ ms$|^\d+\.\d\d s$/,
    );
    expect(await row(closed).locator('.target-error').textContent()).toMatch(
      /^cannot connect: ECONNREFUSED$/,
    );
    // the garbage line is quoted in the reason as text: no element, no script
    const reason = await row(garbage).locator('.target-error').textContent();
    expect(reason).toContain('invalid text 0.0.4 exposition: line 1');
    expect(reason).toContain(EVIL);
    expect(await row(garbage).locator('img').count()).toBe(0);
    expect(dialogs).toEqual([]);
    expect(await row(good).textContent()).toContain('namespace="bookinfo"');
    await page.screenshot({
      path: path.join(SHOTS, 'targets.png'),
      fullPage: true,
    });
  });

  it('keeps the health filter in the URL', async () => {
    await page.getByRole('button', { name: /^Down/ }).click();
    await page.waitForURL(/state=down/);
    await row(good).waitFor({ state: 'detached' });
    expect(await row(closed).count()).toBe(1);
    await page.goto(`${app.urls.web}/targets?state=up`);
    await row(good).waitFor();
    expect(await row(closed).count()).toBe(0);
    expect(pageErrors.errors).toEqual([]);
  });

  it('gives /metrics the same health and reasons', async () => {
    const text = await (await fetch(`${app.urls.web}/metrics`)).text();
    expect(text).toContain(
      `meshlens_scrape_up{job="mesh",instance="${good}"} 1`,
    );
    expect(text).toContain(
      `meshlens_scrape_target_error{job="mesh",instance="${closed}",reason="connect"} 1`,
    );
    expect(text).toContain(
      `meshlens_scrape_target_error{job="mesh",instance="${garbage}",reason="parse"} 1`,
    );
  });
});
