/**
 * Real peer: Debian's prometheus scrapes a simulated sidecar every second and remote_writes to
 * Meshlens. The numbers stored must be exactly the numbers served, through a counter reset, a
 * series that appears late, and 503s that Prometheus must retry without losing a sample.
 * Needs /usr/bin/prometheus (`apt-get install prometheus`; .ci/run installs it).
 */
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPipeline, type Pipeline } from '~/collectors/pipeline';
import { startHttpListener, type HttpListener } from '~/collectors/http/server';
import { tempDb, type TempDb } from '~/test/helpers/temp-db';
import {
  PROMETHEUS_BIN,
  startPrometheus,
  type PrometheusServer,
} from '~/test/fixtures/metrics/prometheus-server';
import {
  SimulatedSidecar,
  startFixtureServer,
  type FixtureServer,
} from '~/test/fixtures/metrics/sidecar-sim';
import { remoteWriteRoutes } from './receiver';

const hasPrometheus = fs.existsSync(PROMETHEUS_BIN);
if (!hasPrometheus) {
  console.warn(
    `SKIPPED: ${PROMETHEUS_BIN} is missing; install Debian's prometheus package to run the real-peer tests`,
  );
}

let t: TempDb;
let pipeline: Pipeline;
let listener: HttpListener;
let sidecar: FixtureServer;
let prom: PrometheusServer | undefined;
const served: { ok: (number | undefined)[]; err: (number | undefined)[] } = {
  ok: [],
  err: [],
};
let refusedWrites = 0;

const edge = {
  reporter: 'destination' as const,
  sourceWorkload: 'productpage-v1',
  sourceNamespace: 'bookinfo',
  destinationWorkload: 'reviews-v2',
  destinationNamespace: 'bookinfo',
  destinationService: 'reviews',
};

beforeAll(async () => {
  if (!hasPrometheus) return;
  t = await tempDb({ MESHLENS_BATCH_MAX_WAIT_MS: '20' });
  pipeline = createPipeline({ db: t.db, config: t.config });
  const [route] = remoteWriteRoutes({ config: t.config, pipeline });
  // The first three writes are refused as "retry later": Prometheus must resend them.
  listener = await startHttpListener({
    name: 'otlp-http',
    host: '127.0.0.1',
    port: 0,
    routes: [
      {
        ...route!,
        handler: async (req, res) => {
          if (refusedWrites < 3) {
            refusedWrites++;
            req.resume();
            res.writeHead(503, { 'retry-after': '1' }).end('busy');
            return;
          }
          await route!.handler(req, res);
        },
      },
    ],
  });
  const sim = new SimulatedSidecar([
    edge,
    { ...edge, responseCode: '503', responseFlags: 'UF' },
  ]);
  let step = 0;
  sidecar = await startFixtureServer(() => {
    step++;
    if (step === 7) sim.reset(); // a proxy restart
    for (let i = 0; i < (step % 4) + 1; i++)
      sim.record(0, 2 + ((step * 37 + i * 11) % 300));
    if (step >= 3 && step <= 5) sim.record(1, 12_000);
    served.ok.push(sim.edges[0]!.requests || undefined);
    served.err.push(sim.edges[1]!.requests || undefined);
    return { body: sim.render(), gzip: true };
  });
  prom = await startPrometheus({
    global: {
      scrape_interval: '1s',
      scrape_timeout: '900ms',
      evaluation_interval: '1s',
    },
    scrape_configs: [
      {
        job_name: 'sidecar',
        metrics_path: '/stats/prometheus',
        static_configs: [{ targets: [sidecar.hostPort] }],
      },
    ],
    remote_write: [
      {
        url: `${listener.url}/api/v1/write`,
        queue_config: {
          batch_send_deadline: '500ms',
          min_backoff: '100ms',
          max_backoff: '1s',
          capacity: 2000,
          max_samples_per_send: 500,
        },
        metadata_config: { send: true, send_interval: '1s' },
      },
    ],
  });
}, 120_000);

afterAll(async () => {
  if (!hasPrometheus) return;
  await prom?.stop();
  await sidecar.close();
  await listener.close();
  await pipeline.close();
  await t.close();
});

/** What a correct backend stores as increases for a served sequence (undefined = series absent). */
function expectedIncreases(values: (number | undefined)[]): (number | null)[] {
  const out: (number | null)[] = [];
  let prev: number | undefined;
  for (const v of values) {
    if (v === undefined) continue;
    out.push(prev === undefined ? null : v < prev ? v : v - prev);
    prev = v;
  }
  return out;
}

async function storedSamples(code: string) {
  return t.rows<{ Value: number; Increase: number | null; MetricType: string }>(
    `SELECT Value, Increase, MetricType FROM {db:Identifier}.metric_samples
     WHERE MetricName = 'istio_requests_total' AND Stale = 0 AND Source = 'remote_write'
       AND SeriesId IN (SELECT SeriesId FROM {db:Identifier}.metric_series WHERE Labels['response_code'] = {code:String} AND Labels['job'] = 'sidecar')
     ORDER BY Timestamp`,
    { code },
  );
}

describe.skipIf(!hasPrometheus)(
  "Debian's prometheus scraping a sidecar and remote-writing to Meshlens",
  () => {
    it('stores exactly the served numbers, increases included, with nothing lost to 503s', async () => {
      const deadline = Date.now() + 90_000;
      let rows = await storedSamples('200');
      while (rows.length < 10) {
        if (Date.now() > deadline)
          throw new Error(
            `only ${rows.length} samples arrived; prometheus log:\n${prom!.logs().slice(-3000)}`,
          );
        await new Promise((r) => setTimeout(r, 500));
        await pipeline.flush();
        rows = await storedSamples('200');
      }
      expect(refusedWrites).toBe(3);
      const servedOk = served.ok.filter((v) => v !== undefined);
      // Prometheus scraped in order and retried every refused write: the stored values are a prefix of what was served.
      expect(rows.map((r) => r.Value)).toEqual(servedOk.slice(0, rows.length));
      expect(rows.map((r) => r.Increase)).toEqual(
        expectedIncreases(servedOk).slice(0, rows.length),
      );
      expect(rows.some((r, i) => i > 0 && r.Value < rows[i - 1]!.Value)).toBe(
        true,
      ); // the reset is in there
      expect(rows[0]!.MetricType).toBe('counter');

      // Prometheus' own TSDB holds the same raw values.
      const [matrix] = await prom!.query<{ values: [number, string][] }>(
        'istio_requests_total{response_code="200"}[10m]',
      );
      expect(
        matrix!.values.map(([, v]) => Number(v)).slice(0, rows.length),
      ).toEqual(rows.map((r) => r.Value));

      // The 503 series appeared at the 3rd scrape (1, 2, 3, then 3 until the restart removed it).
      const errRows = await storedSamples('503');
      const servedErr = served.err.filter((v) => v !== undefined);
      expect(servedErr).toEqual([1, 2, 3, 3]);
      expect(errRows.map((r) => r.Value)).toEqual(servedErr);
      expect(errRows.map((r) => r.Increase)).toEqual([null, 1, 1, 0]);

      // Edge rollups hold the sum of the increases of the rows stored so far (and the buckets add up to it).
      await pipeline.flush();
      const [rollup] = await t.rows<{
        requests: number;
        buckets: Record<string, number>;
        mtls: string;
      }>(
        "SELECT sum(Requests) requests, sumMap(DurationBuckets) buckets, any(Mtls) mtls FROM {db:Identifier}.edge_rollups_1m WHERE Signal = 'metrics' AND ResponseCode = 200",
      );
      const allRows = await storedSamples('200');
      const total = allRows.reduce((a, r) => a + (r.Increase ?? 0), 0);
      expect(rollup!.requests).toBe(total);
      expect(Object.values(rollup!.buckets).reduce((a, b) => a + b, 0)).toBe(
        total,
      );
      expect(rollup!.mtls).toBe('yes');
      const [errors] = await t.rows<{
        requests: number;
        buckets: Record<string, number>;
      }>(
        "SELECT sum(Requests) requests, sumMap(DurationBuckets) buckets FROM {db:Identifier}.edge_rollups_1m WHERE Signal = 'metrics' AND ResponseCode = 503",
      );
      expect(errors).toEqual({ requests: 2, buckets: { '30000000': 2 } });
    });
  },
);
