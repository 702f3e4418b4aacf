import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateWindow } from './generate';
import { DEFAULT_SCENARIO_PATH } from './index';
import { meshOf } from './mesh';
import {
  EXPOSITION_CONTENT_TYPE,
  MetricsEndpoints,
  type FileSdGroup,
  type MetricsTarget,
} from './metrics-endpoint';
import { ISTIO_BUCKETS, MetricsRegistry } from './metrics-registry';
import { loadScenario } from './scenario';
import { TruthLedger } from './truth';
import type { Truth } from './truth-types';
import { parseExposition, type Sample } from './testdata/exposition-parser';

const scenario = loadScenario(DEFAULT_SCENARIO_PATH);
const mesh = meshOf(scenario);
const T0 = Date.UTC(2025, 5, 1, 10, 0, 0);

interface Scraped extends Sample {
  target: MetricsTarget;
}

describe('metrics endpoints', () => {
  const registry = new MetricsRegistry(scenario.istioVersion);
  const endpoints = new MetricsEndpoints(registry, mesh.proxiedPods);
  const ledger = new TruthLedger({
    scenario: scenario.name,
    seed: 4,
    samplingPercent: 100,
  });
  let targets: MetricsTarget[] = [];
  const scraped: Scraped[] = [];
  let truth: Truth;

  beforeAll(async () => {
    const hops = generateWindow(scenario, T0, T0 + 3 * 60_000, 4);
    ledger.record(hops);
    registry.observe(hops);
    truth = ledger.truth(T0, T0 + 10 * 60_000);
    targets = await endpoints.start();
    for (const target of targets) {
      const res = await fetch(target.url);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe(EXPOSITION_CONTENT_TYPE);
      const exposition = parseExposition(await res.text());
      scraped.push(...exposition.samples.map((s) => ({ ...s, target })));
    }
  });

  afterAll(async () => {
    await endpoints.stop();
  });

  const sum = (
    name: string,
    match: Record<string, string | ((v: string) => boolean)>,
  ) =>
    scraped
      .filter((s) => s.name === name)
      .filter((s) =>
        Object.entries(match).every(([k, want]) =>
          typeof want === 'function'
            ? want(s.labels[k] ?? '')
            : s.labels[k] === want,
        ),
      )
      .reduce((a, s) => a + s.value, 0);

  it('serves one endpoint per proxy and lists them in a file_sd file', () => {
    expect(targets).toHaveLength(mesh.proxiedPods.length);
    expect(targets.every((t) => /^127\.0\.0\.1:\d+$/.test(t.address))).toBe(
      true,
    );
    const file = join(
      mkdtempSync(join(tmpdir(), 'demo-targets-')),
      'targets.json',
    );
    endpoints.writeTargetsFile(file);
    const groups = JSON.parse(readFileSync(file, 'utf8')) as FileSdGroup[];
    expect(groups.map((g) => g.targets[0]).sort()).toEqual(
      targets.map((t) => t.address).sort(),
    );
    const productpage = groups.find((g) => g.labels.app === 'productpage');
    expect(productpage?.labels).toMatchObject({
      namespace: 'bookinfo',
      version: 'v1',
      cluster: 'cluster-1',
    });
    expect(productpage?.labels.pod).toMatch(/^productpage-v1-/);
  });

  it('reports each series on the proxy that would report it', () => {
    const wrong = scraped.filter((s) => {
      if (!s.labels.reporter) return false;
      const own = s.labels.reporter === 'source' ? 'source' : 'destination';
      return (
        s.labels[`${own}_workload`] !== s.target.pod.workload.name ||
        s.labels[`${own}_cluster`] !== s.target.pod.cluster
      );
    });
    expect(wrong).toEqual([]);
    const policies = (reporter: string) =>
      new Set(
        scraped
          .filter((s) => s.labels.reporter === reporter)
          .map((s) => s.labels.connection_security_policy),
      );
    expect(policies('source')).toEqual(new Set(['unknown']));
    expect(policies('destination')).toEqual(new Set(['mutual_tls', 'none']));
  });

  it('counts exactly what the truth says, per edge and reporter', () => {
    const http = truth.edges.filter((e) => e.protocol !== 'tcp');
    expect(http.length).toBeGreaterThan(8);
    for (const e of http) {
      const match = {
        source_workload: e.source.workload,
        source_workload_namespace: e.source.namespace,
        destination_workload: e.destination.workload,
        destination_workload_namespace: e.destination.namespace,
        destination_service: e.destination.service,
      };
      const bySource = sum('istio_requests_total', {
        ...match,
        reporter: 'source',
      });
      const byDestination = sum('istio_requests_total', {
        ...match,
        reporter: 'destination',
      });
      const label = `${e.source.workload} -> ${e.destination.workload}`;
      expect(byDestination, label).toBe(e.destinationReported);
      expect(bySource, label).toBe(e.sourceReported);
      // Count once: source reporter, destination reporter where the source has no proxy.
      expect(
        e.source.workload === 'unknown' ? byDestination : bySource,
        label,
      ).toBe(e.requests);
      expect(
        sum('istio_request_duration_milliseconds_count', {
          ...match,
          reporter: 'destination',
        }),
        label,
      ).toBe(e.destinationReported);
      if (e.destinationLatencyMs) {
        const durationSum = sum('istio_request_duration_milliseconds_sum', {
          ...match,
          reporter: 'destination',
        });
        expect(durationSum, label).toBeCloseTo(
          e.destinationLatencyMs.mean * e.destinationLatencyMs.count,
          6,
        );
        // The exact p50 lies in the bucket where the cumulative count reaches half.
        const n = e.destinationLatencyMs.count;
        const cumulative = ISTIO_BUCKETS.map((le) =>
          sum('istio_request_duration_milliseconds_bucket', {
            ...match,
            reporter: 'destination',
            le: String(le),
          }),
        );
        const i = cumulative.findIndex((c) => c >= Math.ceil(n / 2));
        expect(e.destinationLatencyMs.p50, label).toBeLessThanOrEqual(
          ISTIO_BUCKETS[i] ?? Infinity,
        );
        expect(e.destinationLatencyMs.p50, label).toBeGreaterThan(
          i > 0 ? (ISTIO_BUCKETS[i - 1] ?? 0) : -1,
        );
      }
    }
  });

  it('matches the truth on errors, mTLS, bytes, TCP and circuit breaking', () => {
    const counted = (s: Sample) =>
      s.labels.reporter === 'source' || s.labels.source_workload === 'unknown';
    const requests = scraped.filter(
      (s) => s.name === 'istio_requests_total' && counted(s),
    );
    const isErr = (s: Sample) =>
      Number(s.labels.response_code) >= 500 ||
      (s.labels.request_protocol === 'grpc' &&
        s.labels.grpc_response_status !== '0');
    expect(requests.reduce((a, s) => a + s.value, 0)).toBe(truth.mesh.requests);
    expect(requests.filter(isErr).reduce((a, s) => a + s.value, 0)).toBe(
      truth.mesh.errors,
    );
    const dest = { reporter: 'destination' };
    expect(
      sum('istio_requests_total', {
        ...dest,
        connection_security_policy: 'mutual_tls',
      }),
    ).toBe(truth.mesh.mtls.mutualTlsRequests);
    expect(
      sum('istio_requests_total', {
        ...dest,
        connection_security_policy: 'none',
      }),
    ).toBe(truth.mesh.mtls.plaintextRequests);
    expect(
      sum('istio_response_bytes_sum', { reporter: (r) => r === 'source' }),
    ).toBe(
      truth.edges
        .filter((e) => e.source.workload !== 'unknown')
        .reduce((a, e) => a + e.responseBytes, 0),
    );
    expect(sum('istio_tcp_connections_opened_total', dest)).toBe(
      truth.mesh.tcp.connections,
    );
    expect(
      sum('istio_tcp_connections_closed_total', { reporter: 'source' }),
    ).toBe(truth.mesh.tcp.connections);
    expect(sum('istio_tcp_received_bytes_total', dest)).toBe(
      truth.mesh.tcp.receivedBytes,
    );
    expect(sum('istio_tcp_sent_bytes_total', dest)).toBe(
      truth.mesh.tcp.sentBytes,
    );
    expect(sum('envoy_cluster_upstream_rq_pending_overflow', {})).toBe(
      truth.mesh.responseFlags.UO,
    );
    expect(sum('envoy_cluster_upstream_rq_retry_limit_exceeded', {})).toBe(
      truth.mesh.responseFlags['URX,UF'],
    );
    expect(scraped.filter((s) => s.name === 'istio_build')).toHaveLength(
      targets.length,
    );
  });

  it('answers 404 elsewhere and stops listening on stop()', async () => {
    const t = targets[0];
    if (!t) throw new Error('no target');
    const res = await fetch(`http://${t.address}/metrics`);
    expect(res.status).toBe(404);
    await res.arrayBuffer();
    await endpoints.stop();
    await expect(fetch(t.url)).rejects.toThrow();
  });
});

describe('the strict exposition parser used above', () => {
  it('rejects what a scraper would reject', () => {
    const bad = [
      'x 1', // no trailing newline
      'x{a="1" 1\n', // unterminated labels
      'x{a="\\q"} 1\n', // bad escape
      'x{a="1"} one\n', // bad value
      '# TYPE x counter\nx 1\n# TYPE x counter\n', // second TYPE
      'x 1\n# TYPE x counter\n', // TYPE after samples
      'x 1\ny 1\nx{a="2"} 1\n', // family not contiguous
      'x{a="1"} 1\nx{a="1"} 2\n', // duplicate series
      '# TYPE h histogram\nh_bucket{le="1"} 2\nh_bucket{le="+Inf"} 1\nh_sum 1\nh_count 1\n', // not cumulative
      '# TYPE h histogram\nh_bucket{le="1"} 1\nh_bucket{le="+Inf"} 2\nh_sum 1\nh_count 3\n', // +Inf != count
      '# TYPE c counter\nc -1\n', // negative counter
    ];
    for (const text of bad)
      expect(() => parseExposition(text), JSON.stringify(text)).toThrow();
    const good = parseExposition(
      '# TYPE h histogram\nh_bucket{le="0.5"} 1\nh_bucket{le="+Inf"} 2\nh_sum 7\nh_count 2\n',
    );
    expect(good.samples).toHaveLength(4);
  });
});
