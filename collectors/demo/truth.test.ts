import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateWindow } from './generate';
import { DEFAULT_SCENARIO_PATH } from './index';
import { loadScenario } from './scenario';
import type { SimRequest } from './sim-request';
import { TruthLedger } from './truth';
import { nearestRank, percentiles } from './truth-aggregate';
import { parseLedger } from './truth-file';
import type { EdgeTruth } from './truth-types';

const scenario = loadScenario(DEFAULT_SCENARIO_PATH);
const T0 = Date.UTC(2025, 5, 1, 10, 0, 0);
const meta = {
  scenario: scenario.name,
  seed: 9,
  samplingPercent: scenario.tracing.samplingPercent,
};

/** Brute force, straight from the hops: the figures of one edge, each request counted once. */
function recount(hops: SimRequest[]) {
  const http = hops.filter((r) => r.protocol !== 'tcp');
  const tcp = hops.filter((r) => r.protocol === 'tcp');
  const durations = http
    .map((r) =>
      r.sourcePod.proxied
        ? r.durationMs
        : (r.server?.durationMs ?? r.durationMs),
    )
    .sort((a, b) => a - b);
  const rank = (q: number) =>
    durations[Math.max(0, Math.ceil(q * durations.length) - 1)];
  const flags: Record<string, number> = {};
  for (const r of hops)
    if (r.responseFlags !== '-')
      flags[r.responseFlags] = (flags[r.responseFlags] ?? 0) + 1;
  const policy = (r: SimRequest) =>
    r.server === null ? 'unknown' : r.mtls ? 'mutual_tls' : 'none';
  return {
    requests: http.length,
    errors: http.filter(
      (r) =>
        r.responseCode >= 500 || (r.protocol === 'grpc' && r.grpcStatus !== 0),
    ).length,
    p50: rank(0.5),
    p90: rank(0.9),
    p95: rank(0.95),
    p99: rank(0.99),
    max: durations[durations.length - 1],
    requestBytes: http.reduce((a, r) => a + r.requestBytes, 0),
    responseBytes: http.reduce((a, r) => a + r.responseBytes, 0),
    connections: tcp.length,
    tcpReceived: tcp.reduce((a, r) => a + r.requestBytes, 0),
    mutualTls: http.filter((r) => policy(r) === 'mutual_tls').length,
    plaintext: http.filter((r) => policy(r) === 'none').length,
    unknown: http.filter((r) => policy(r) === 'unknown').length,
    sourceReported: hops.filter((r) => r.sourcePod.proxied).length,
    destinationReported: hops.filter((r) => r.server !== null).length,
    flags,
  };
}

function edgeKey(
  src: string,
  dst: string,
  service: string,
  protocol: string,
): string {
  return `${src} > ${dst} @ ${service} (${protocol})`;
}

function hopKey(r: SimRequest): string {
  const src = r.sourcePod.proxied
    ? `${r.sourcePod.workload.namespace}/${r.sourcePod.workload.name}`
    : 'unknown/unknown';
  const dst = r.destWorkload
    ? `${r.destWorkload.namespace}/${r.destWorkload.name}`
    : 'unknown/unknown';
  return edgeKey(src, dst, r.service.host, r.protocol);
}

function truthKey(e: EdgeTruth): string {
  return edgeKey(
    `${e.source.namespace}/${e.source.workload}`,
    `${e.destination.namespace}/${e.destination.workload}`,
    e.destination.service,
    e.protocol,
  );
}

describe('truth ledger', () => {
  const hops = generateWindow(scenario, T0, T0 + 5 * 60_000, 9);
  const ledger = new TruthLedger(meta);
  ledger.record(hops);
  ledger.markGenerated(T0, T0 + 5 * 60_000);
  // Deliberately not aligned to minutes or seconds.
  const from = T0 + 17_500;
  const to = T0 + 4 * 60_000 + 42_250;
  const inWindow = hops.filter((r) => r.startMs >= from && r.startMs < to);
  const truth = ledger.truth(from, to);

  it('equals a brute-force recount per edge, counting each request once', () => {
    const byKey = new Map<string, SimRequest[]>();
    for (const r of inWindow)
      byKey.set(hopKey(r), [...(byKey.get(hopKey(r)) ?? []), r]);
    expect(truth.edges.map(truthKey).sort()).toEqual([...byKey.keys()].sort());
    for (const e of truth.edges) {
      const want = recount(byKey.get(truthKey(e)) ?? []);
      const got = {
        requests: e.requests,
        errors: e.errors,
        p50: e.latencyMs?.p50,
        p90: e.latencyMs?.p90,
        p95: e.latencyMs?.p95,
        p99: e.latencyMs?.p99,
        max: e.latencyMs?.max,
        requestBytes: e.requestBytes,
        responseBytes: e.responseBytes,
        connections: e.tcp.connections,
        tcpReceived: e.tcp.receivedBytes,
        mutualTls: e.mtls.mutualTlsRequests,
        plaintext: e.mtls.plaintextRequests,
        unknown: e.mtls.unknownRequests,
        sourceReported: e.sourceReported,
        destinationReported: e.destinationReported,
        flags: e.responseFlags,
      };
      expect(got, truthKey(e)).toEqual(want);
    }
  });

  it('adds up: mesh = sum of edges = hops in the window', () => {
    const httpHops = inWindow.filter((r) => r.protocol !== 'tcp').length;
    expect(truth.mesh.requests).toBe(httpHops);
    expect(truth.edges.reduce((a, e) => a + e.requests, 0)).toBe(httpHops);
    expect(truth.services.reduce((a, s) => a + s.requests, 0)).toBe(httpHops);
    expect(truth.namespaces.reduce((a, n) => a + n.requests, 0)).toBe(httpHops);
    expect(truth.clusterEdges.reduce((a, e) => a + e.requests, 0)).toBe(
      httpHops,
    );
    expect(truth.mesh.requestsPerSec).toBeCloseTo(
      httpHops / ((to - from) / 1000),
      9,
    );
    expect(truth.tracing.traces).toBe(inWindow.filter((r) => r.isRoot).length);
  });

  it('names peers as Istio does and computes mTLS shares without unknowns', () => {
    const legacy = truth.edges.find((e) =>
      e.actualSources.includes('legacy/legacy-client'),
    );
    expect(legacy?.source).toEqual({
      workload: 'unknown',
      namespace: 'unknown',
    });
    expect(legacy?.mtls.requestSharePercent).toBe(0);
    const productpage = truth.services.find(
      (s) => s.service === 'productpage.bookinfo.svc.cluster.local',
    );
    const pp = inWindow.filter((r) => r.service.name === 'productpage');
    const mtls = pp.filter((r) => r.server && r.mtls).length;
    const plain = pp.filter((r) => r.server && !r.mtls).length;
    expect(productpage?.mtls.requestSharePercent).toBeCloseTo(
      (mtls / (mtls + plain)) * 100,
      9,
    );
    const fi = truth.edges.find((e) => e.responseFlags.FI);
    expect(fi?.destination.workload).toBe('unknown');
    expect(fi?.mtls.requestSharePercent).toBeNull();
  });

  it('splits edges by cluster on clusterEdges', () => {
    const ratingsByCluster = truth.clusterEdges.filter(
      (e) =>
        e.source.workload === 'reviews-v2' &&
        e.destination.workload === 'ratings-v1',
    );
    expect(new Set(ratingsByCluster.map((e) => e.destination.cluster))).toEqual(
      new Set(['cluster-1', 'cluster-2']),
    );
    const merged = truth.edges.find(
      (e) =>
        e.source.workload === 'reviews-v2' &&
        e.destination.workload === 'ratings-v1',
    );
    expect(ratingsByCluster.reduce((a, e) => a + e.requests, 0)).toBe(
      merged?.requests,
    );
  });

  it('reads back from its NDJSON file with identical figures', () => {
    const dir = mkdtempSync(join(tmpdir(), 'demo-truth-'));
    const file = join(dir, 'truth.ndjson');
    const written = new TruthLedger(meta, { file });
    written.open(T0);
    written.record(hops);
    written.markGenerated(T0, T0 + 3 * 60_000 + 30_000);
    written.markGenerated(T0 + 3 * 60_000 + 30_000, T0 + 5 * 60_000);
    written.flush();
    const text = readFileSync(file, 'utf8');
    expect(text.split('\n')[0]).toContain('"type":"meta"');
    const back = parseLedger(text, file);
    expect(back.truth(from, to)).toEqual(truth);
    expect(back.coverage).toEqual({ fromMs: T0, untilMs: T0 + 5 * 60_000 });
  });

  it('treats windows as half-open [from, to) to the millisecond', () => {
    const h = inWindow[Math.floor(inWindow.length / 2)];
    if (!h) throw new Error('no hops');
    const startingAt = (t: number) => inWindow.filter((r) => r.startMs === t);
    const count = (tr: ReturnType<typeof ledger.truth>) =>
      tr.mesh.requests + tr.mesh.tcp.connections;
    expect(count(ledger.truth(h.startMs, h.startMs + 1))).toBe(
      startingAt(h.startMs).length,
    );
    expect(count(ledger.truth(h.startMs - 1, h.startMs))).toBe(
      startingAt(h.startMs - 1).length,
    );
    expect(count(ledger.truth(h.startMs - 1, h.startMs + 1))).toBe(
      startingAt(h.startMs).length + startingAt(h.startMs - 1).length,
    );
  });

  it('is empty, not wrong, for a window without traffic', () => {
    const empty = ledger.truth(T0 - 60_000, T0);
    expect(empty.mesh.requests).toBe(0);
    expect(empty.mesh.errorPercent).toBeNull();
    expect(empty.mesh.latencyMs).toBeNull();
    expect(empty.edges).toEqual([]);
  });
});

describe('percentiles', () => {
  it('uses nearest rank on exact values', () => {
    const oneToHundred = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(nearestRank(oneToHundred, 0.5)).toBe(50);
    expect(nearestRank(oneToHundred, 0.99)).toBe(99);
    expect(percentiles([7])).toMatchObject({
      p50: 7,
      p99: 7,
      min: 7,
      max: 7,
      mean: 7,
      count: 1,
    });
    expect(percentiles([3, 1, 2, 10])).toMatchObject({
      p50: 2,
      p90: 10,
      min: 1,
      max: 10,
      mean: 4,
    });
    expect(percentiles([])).toBeNull();
  });
});
