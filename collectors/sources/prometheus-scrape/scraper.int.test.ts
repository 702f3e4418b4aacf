import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPipeline, type Pipeline } from '~/collectors/pipeline';
import { metrics } from '~/server/telemetry/metrics';
import { createCaller } from '~/server/api/root';
import { createInnerContext } from '~/server/api/trpc';
import { tempDb, type TempDb } from '~/test/helpers/temp-db';
import {
  SimulatedSidecar,
  startFixtureServer,
  type FixtureServer,
} from '~/test/fixtures/metrics/sidecar-sim';
import type { ScrapeJob } from './config';
import { startScraper, type Scraper } from './scraper';

let t: TempDb;
let pipeline: Pipeline;
const servers: FixtureServer[] = [];
const scrapers: Scraper[] = [];
let tmp: string;

beforeAll(async () => {
  t = await tempDb({ MESHLENS_BATCH_MAX_WAIT_MS: '20' });
  pipeline = createPipeline({ db: t.db, config: t.config });
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'meshlens-scrape-'));
});
afterAll(async () => {
  await Promise.all(scrapers.map((s) => s.stop()));
  await Promise.all(servers.map((s) => s.close()));
  await pipeline.close();
  await t.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

const job = (
  name: string,
  targets: string[],
  extra: Partial<ScrapeJob> = {},
): ScrapeJob => ({
  name,
  intervalMs: 250,
  timeoutMs: 200,
  metricsPath: '/stats/prometheus',
  scheme: 'http',
  staticConfigs: [{ targets, labels: {} }],
  fileSd: [],
  kubernetesSd: [],
  ...extra,
});

async function until<T>(
  what: string,
  fn: () => Promise<T | undefined> | T | undefined,
  timeoutMs = 15_000,
): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function serve(respond: Parameters<typeof startFixtureServer>[0]) {
  const s = await startFixtureServer(respond);
  servers.push(s);
  return s;
}

async function scraper(jobs: ScrapeJob[]) {
  const s = await startScraper({ config: t.config, pipeline, jobs });
  scrapers.push(s);
  return s;
}

const edge = {
  reporter: 'destination' as const,
  sourceWorkload: 'productpage-v1',
  sourceNamespace: 'bookinfo',
  destinationWorkload: 'reviews-v2',
  destinationNamespace: 'bookinfo',
  destinationService: 'reviews',
};

describe('scraper against fixture endpoints', () => {
  it('stores exact increases across a counter reset, and rollups with latency buckets', async () => {
    const sim = new SimulatedSidecar([
      edge,
      { ...edge, responseCode: '503', responseFlags: 'UF,URX' },
    ]);
    const values: number[] = [];
    let step = 0;
    // each scrape: a few requests; on the 4th, a proxy restart
    const server = await serve(() => {
      step++;
      if (step === 4) sim.reset();
      for (let i = 0; i < step; i++) sim.record(0, 3 + i * 20);
      if (step === 3) sim.record(1, 7000);
      values.push(sim.edges[0]!.requests);
      return { body: sim.render(), gzip: true };
    });
    const s = await scraper([job('reset', [server.hostPort])]);
    await until('6 scrapes stored', async () => {
      await pipeline.flush();
      const [r] = await t.rows<{ n: number }>(
        "SELECT count() n FROM {db:Identifier}.metric_samples WHERE MetricName = 'up' AND Job = 'reset' AND Value = 1",
      );
      return r!.n >= 6 ? true : undefined;
    });
    await s.stop();
    scrapers.splice(scrapers.indexOf(s), 1);
    await pipeline.flush();
    // first sample: no increase; then the difference; after the reset (4th scrape): the new value
    const expected = values.map((v, i) =>
      i === 0 ? null : i === 3 ? v : v - values[i - 1]!,
    );
    const okRows = await t.rows<{ Increase: number | null }>(
      "SELECT Increase FROM {db:Identifier}.metric_samples WHERE MetricName = 'istio_requests_total' AND Job = 'reset' AND Stale = 0 AND SeriesId IN (SELECT SeriesId FROM {db:Identifier}.metric_series WHERE Labels['response_code'] = '200') ORDER BY Timestamp",
    );
    expect(okRows.length).toBeGreaterThanOrEqual(6);
    expect(okRows.map((r) => r.Increase)).toEqual(
      expected.slice(0, okRows.length),
    );
    const [rollup] = await t.rows<{
      requests: number;
      buckets: Record<string, number>;
    }>(
      "SELECT sum(Requests) requests, sumMap(DurationBuckets) buckets FROM {db:Identifier}.edge_rollups_1m WHERE Signal = 'metrics' AND ResponseCode = 200 AND SourceWorkload = 'productpage-v1' AND DestinationWorkload = 'reviews-v2'",
    );
    const sumIncreases = expected
      .slice(1, okRows.length)
      .reduce<number>((a, b) => a + (b ?? 0), 0);
    expect(rollup!.requests).toBe(sumIncreases);
    const bucketTotal = Object.values(rollup!.buckets).reduce(
      (a, b) => a + b,
      0,
    );
    expect(bucketTotal).toBe(sumIncreases);
    // the 503 series appeared on a target already scraped: it started at 0, its first value counts
    const [errors] = await t.rows<{ requests: number; flags: string }>(
      "SELECT sum(Requests) requests, any(ResponseFlags) flags FROM {db:Identifier}.edge_rollups_1m WHERE Signal = 'metrics' AND ResponseCode = 503",
    );
    expect(errors).toEqual({ requests: 1, flags: 'UF,URX' });
  });

  it('gives each failing target its own error while the others go on', async () => {
    const good = await serve(() => ({
      body: '# TYPE ok_total counter\nok_total 1\n',
    }));
    const hanging = await serve(() => ({ body: '', hang: true }));
    const garbage = await serve(() => ({
      body: '<html>502 Bad Gateway</html>\n',
    }));
    const failing = await serve(() => ({ status: 500, body: 'oops' }));
    const s = await scraper([
      job('mixed', [
        good.hostPort,
        hanging.hostPort,
        garbage.hostPort,
        failing.hostPort,
      ]),
    ]);
    const health = await until('every target scraped twice', () => {
      const h = s.targets();
      return h.every((x) => x.lastScrape !== null) && good.scrapes >= 2
        ? h
        : undefined;
    });
    const by = (hp: string) => health.find((h) => h.instance === hp)!;
    expect(by(good.hostPort)).toMatchObject({
      health: 'up',
      lastError: '',
      samples: 1,
    });
    expect(by(hanging.hostPort)).toMatchObject({
      health: 'down',
      lastError: 'no complete answer within 200 ms',
    });
    expect(by(garbage.hostPort).health).toBe('down');
    expect(by(garbage.hostPort).lastError).toMatch(
      /invalid text 0.0.4 exposition: line 1/,
    );
    expect(by(failing.hostPort).lastError).toBe(
      'server returned HTTP status 500 Internal Server Error',
    );
    const exposition = await metrics().registry.metrics();
    expect(exposition).toContain(
      `meshlens_scrape_up{job="mixed",instance="${good.hostPort}"} 1`,
    );
    expect(exposition).toContain(
      `meshlens_scrape_up{job="mixed",instance="${hanging.hostPort}"} 0`,
    );
    expect(exposition).toMatch(
      /meshlens_scrape_failures_total\{job="mixed",reason="timeout"\} [1-9]/,
    );
    // the reason per target, and none for the target that is up
    expect(exposition).toContain(
      `meshlens_scrape_target_error{job="mixed",instance="${hanging.hostPort}",reason="timeout"} 1`,
    );
    expect(exposition).toContain(
      `meshlens_scrape_target_error{job="mixed",instance="${garbage.hostPort}",reason="parse"} 1`,
    );
    expect(exposition).not.toContain(
      `meshlens_scrape_target_error{job="mixed",instance="${good.hostPort}"`,
    );
    // what the Targets page reads over tRPC: the down target and its reason
    const list = await createCaller(createInnerContext()).targets.list();
    expect(list.scraping).toBe(true);
    expect(list.jobs).toContain('mixed');
    const listed = list.targets.find((x) => x.instance === failing.hostPort);
    expect(listed).toMatchObject({
      job: 'mixed',
      health: 'down',
      lastError: 'server returned HTTP status 500 Internal Server Error',
      url: `http://${failing.hostPort}/stats/prometheus`,
    });
    expect(list.targets.find((x) => x.instance === good.hostPort)?.health).toBe(
      'up',
    );
    await pipeline.flush();
    const up = await t.rows<{ Instance: string; v: number }>(
      "SELECT Instance, argMax(Value, Timestamp) v FROM {db:Identifier}.metric_samples WHERE MetricName = 'up' AND Job = 'mixed' GROUP BY Instance ORDER BY Instance",
    );
    expect(up.find((r) => r.Instance === good.hostPort)?.v).toBe(1);
    expect(up.find((r) => r.Instance === garbage.hostPort)?.v).toBe(0);
  });

  it('reads an OpenMetrics answer (counter family without _total, # EOF) and stores exact increases', async () => {
    let n = 0;
    const server = await serve(() => {
      n++;
      return {
        body: `# TYPE om_requests counter\n# HELP om_requests Requests.\nom_requests_total{code="200"} ${n * 5}\nom_requests_created{code="200"} 1.7e9\n# EOF\n`,
        contentType:
          'application/openmetrics-text; version=1.0.0; charset=utf-8',
        gzip: true,
      };
    });
    const s = await scraper([job('openmetrics', [server.hostPort])]);
    const rows = await until('4 OpenMetrics scrapes stored', async () => {
      await pipeline.flush();
      const r = await t.rows<{
        Value: number;
        Increase: number | null;
        MetricType: string;
      }>(
        "SELECT Value, Increase, MetricType FROM {db:Identifier}.metric_samples WHERE MetricName = 'om_requests_total' AND Job = 'openmetrics' AND Stale = 0 ORDER BY Timestamp",
      );
      return r.length >= 4 ? r : undefined;
    });
    await s.stop();
    scrapers.splice(scrapers.indexOf(s), 1);
    expect(rows.every((r) => r.MetricType === 'counter')).toBe(true);
    // values are what was served (5 per scrape), increases the exact differences
    expect(rows[0]!.Increase).toBeNull();
    for (let i = 1; i < rows.length; i++)
      expect(rows[i]!.Increase).toBe(rows[i]!.Value - rows[i - 1]!.Value);
    // 5 per scrape (10 if a scrape under load timed out in between: its count is not lost)
    expect(
      rows.slice(1).every((r) => r.Increase! > 0 && r.Increase! % 5 === 0),
    ).toBe(true);
    const [created] = await t.rows<{ MetricType: string }>(
      "SELECT any(MetricType) MetricType FROM {db:Identifier}.metric_samples WHERE MetricName = 'om_requests_created' AND Job = 'openmetrics'",
    );
    expect(created!.MetricType).toBe('gauge');
  });

  it('follows a watched file_sd file and writes stale markers for a target that goes away', async () => {
    const a = await serve(() => ({ body: 'a_gauge 1\n' }));
    const b = await serve(() => ({ body: 'b_gauge 2\n' }));
    const file = path.join(tmp, 'targets.json');
    fs.writeFileSync(
      file,
      JSON.stringify([
        {
          targets: [a.hostPort, b.hostPort],
          labels: { job: 'sd', cluster: 'east' },
        },
      ]),
    );
    const s = await scraper([
      job('file_sd', [], {
        staticConfigs: [],
        fileSd: [{ files: [file], refreshMs: 60_000 }],
      }),
    ]);
    await until('both targets up', () =>
      s.targets().filter((h) => h.health === 'up').length === 2
        ? true
        : undefined,
    );
    expect(s.targets().map((h) => h.job)).toEqual(['sd', 'sd']);
    fs.writeFileSync(
      file + '.tmp',
      JSON.stringify([
        { targets: [a.hostPort], labels: { job: 'sd', cluster: 'east' } },
      ]),
    );
    fs.renameSync(file + '.tmp', file);
    await until('target b dropped', () =>
      s.targets().length === 1 ? true : undefined,
    );
    await pipeline.flush();
    const stale = await until('a stale marker for b_gauge', async () => {
      await pipeline.flush();
      const r = await t.rows<{ n: number }>(
        "SELECT count() n FROM {db:Identifier}.metric_samples WHERE MetricName = 'b_gauge' AND Stale = 1",
      );
      return r[0]!.n > 0 ? r[0]!.n : undefined;
    });
    expect(stale).toBe(1);
    const [labels] = await t.rows<{ Labels: Record<string, string> }>(
      "SELECT Labels FROM {db:Identifier}.metric_series WHERE MetricName = 'a_gauge'",
    );
    expect(labels!.Labels).toEqual({
      job: 'sd',
      cluster: 'east',
      instance: a.hostPort,
    });
  });

  it('discovers annotated and sidecar pods from a Kubernetes API test double, with a bearer token', async () => {
    const app = await serve(() => ({ body: 'app_metric 1\n' }));
    const appPort = app.hostPort.split(':')[1]!;
    const tokenFile = path.join(tmp, 'token');
    fs.writeFileSync(tokenFile, 'sekret\n');
    const pods = {
      items: [
        {
          metadata: {
            name: 'reviews-v2-abc-12345',
            namespace: 'bookinfo',
            labels: { app: 'reviews', 'security.istio.io/tlsMode': 'istio' },
            annotations: {
              'prometheus.io/scrape': 'true',
              'prometheus.io/port': appPort,
              'prometheus.io/path': '/stats/prometheus',
            },
          },
          status: { phase: 'Running', podIP: '127.0.0.1' },
        },
        {
          metadata: {
            name: 'pending',
            namespace: 'bookinfo',
            annotations: { 'prometheus.io/scrape': 'true' },
          },
          status: { phase: 'Pending' },
        },
        {
          metadata: { name: 'no-metrics', namespace: 'bookinfo' },
          status: { phase: 'Running', podIP: '10.0.0.9' },
        },
      ],
    };
    let auth = '';
    const api = http.createServer((req, res) => {
      auth = String(req.headers.authorization);
      if (req.url !== '/api/v1/namespaces/bookinfo/pods') {
        res.writeHead(404).end();
        return;
      }
      res
        .writeHead(200, { 'content-type': 'application/json' })
        .end(JSON.stringify(pods));
    });
    await new Promise<void>((r) => api.listen(0, '127.0.0.1', r));
    const apiUrl = `http://127.0.0.1:${(api.address() as AddressInfo).port}`;
    const s = await scraper([
      job('kubernetes-pods', [], {
        staticConfigs: [],
        kubernetesSd: [
          {
            role: 'pod',
            apiServer: apiUrl,
            namespaces: ['bookinfo'],
            bearerTokenFile: tokenFile,
            caFile: undefined,
            refreshMs: 60_000,
          },
        ],
      }),
    ]);
    const [target] = await until('the pod target up', () => {
      const h = s.targets();
      return h.length === 1 && h[0]!.health === 'up' ? h : undefined;
    });
    expect(auth).toBe('Bearer sekret');
    expect(target!.url).toBe(`http://127.0.0.1:${appPort}/stats/prometheus`);
    expect(target!.labels).toMatchObject({
      job: 'kubernetes-pods',
      namespace: 'bookinfo',
      pod: 'reviews-v2-abc-12345',
      app: 'reviews',
      security_istio_io_tlsMode: 'istio',
    });
    await new Promise<void>((r) => api.close(() => r()));
  });
});
