// mTLS coverage (issue 8) against the demo mesh's truth: the scenario's generated hops stored as
// each signal would store them, read back through mtlsCoverage, compared per namespace and per
// edge with the simulator's exact mTLS figures — from metrics alone, from access logs alone,
// from both (plus doubled spans that must never be used), so nothing is counted twice, from
// both when the scraper starts with the window (its first minute partial, so access logs count
// that minute), and from tagged spans alone; Istio's default log format shows plaintext as
// unknown.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DEFAULT_SCENARIO_PATH,
  generateWindow,
  loadScenario,
  type EdgeTruth,
  type Truth,
} from '~/collectors/demo';
import { TruthLedger } from '~/collectors/demo/truth';
import type { MtlsTruth } from '~/collectors/demo/truth-types';
import {
  accessLogRows,
  doubledAs,
  metricsRollupRows,
  minuteText,
} from '~/server/queries/testing/demo-traffic';
import { tempDb, type TempDb } from '~/test/helpers/temp-db';
import { mtlsCoverage, type MtlsCoverage } from './coverage';
import type { GroupCoverage } from './report';
import { tlsAccessLogRows } from './testing/tls-access-logs';

const MIN = 60_000;
const at = (h: number, m: number) => Date.UTC(2025, 0, 1, h, m);
/** One window per way of feeding the same kind of traffic. */
const W = {
  metrics: { fromMs: at(10, 0), toMs: at(10, 5) },
  logs: { fromMs: at(10, 20), toMs: at(10, 25) },
  both: { fromMs: at(10, 40), toMs: at(10, 45) },
  firstScrape: { fromMs: at(12, 0), toMs: at(12, 5) },
  defaultLogs: { fromMs: at(11, 0), toMs: at(11, 5) },
  spans: { fromMs: at(11, 20), toMs: at(11, 25) },
};
type Way = keyof typeof W;

let t: TempDb;
const truths = {} as Record<Way, Truth>;
const views = {} as Record<Way, MtlsCoverage>;
let legacyIp = '';

function generated(fromMs: number, toMs: number) {
  const scenario = loadScenario(DEFAULT_SCENARIO_PATH);
  // One minute more: downstream calls of the last roots start after `toMs`, as in a live mesh.
  const reqs = generateWindow(scenario, fromMs, toMs + MIN, 11);
  const ledger = new TruthLedger(
    { scenario: scenario.name, seed: 11, samplingPercent: 100 },
    { file: null },
  );
  ledger.record(reqs);
  ledger.markGenerated(fromMs, toMs + MIN);
  return { reqs, truth: ledger.truth(fromMs, toMs) };
}

async function insert(table: string, values: readonly object[]) {
  for (let i = 0; i < values.length; i += 20_000)
    await t.db.client.insert({
      table: `${t.db.database}.${table}`,
      values: values.slice(i, i + 20_000),
      format: 'JSONEachRow',
    });
}

beforeAll(async () => {
  t = await tempDb({
    MESHLENS_TTL_ROLLUPS_DAYS: '3650',
    MESHLENS_TTL_REQUESTS_DAYS: '3650',
  });
  const g = {} as Record<Way, ReturnType<typeof generated>>;
  for (const way of Object.keys(W) as Way[]) {
    g[way] = generated(W[way].fromMs, W[way].toMs);
    truths[way] = g[way].truth;
  }
  legacyIp =
    g.logs.reqs.find((r) => r.sourcePod.workload.name === 'legacy-client')
      ?.sourcePod.ip ?? 'not generated';
  const metrics = metricsRollupRows(g.metrics.reqs);
  // The scraper was already running the minute before (so the window's first minute is whole).
  const before = minuteText(W.both.fromMs - MIN);
  const both = [
    ...metricsRollupRows(
      generated(W.both.fromMs - MIN, W.both.fromMs).reqs,
    ).filter((r) => r.Minute === before),
    ...metricsRollupRows(g.both.reqs),
  ];
  // The scraper's first minute: a counter's first scrape has no increase, so that minute holds
  // only part of the requests (here half, which must never be used: logs count that minute).
  const firstMinute = minuteText(W.firstScrape.fromMs);
  const firstScrape = metricsRollupRows(g.firstScrape.reqs).map((r) =>
    r.Minute === firstMinute
      ? {
          ...r,
          Requests: r.Requests / 2,
          Connections: r.Connections / 2,
          SampledRequests: r.SampledRequests / 2,
        }
      : r,
  );
  // Span rollups as 0007 writes them when spans carry Istio's connection_security_policy tag:
  // the same edges and policy, no principals.
  const spans = metricsRollupRows(g.spans.reqs).map((r) => ({
    ...r,
    Signal: 'spans',
    SourcePrincipal: '',
    DestinationPrincipal: '',
  }));
  await insert('edge_rollups_1m', [
    ...metrics,
    ...both,
    ...doubledAs('spans', both),
    ...firstScrape,
    ...doubledAs('spans', firstScrape),
    ...spans,
  ]);
  await insert('mesh_requests', [
    ...tlsAccessLogRows(g.logs.reqs),
    ...tlsAccessLogRows(g.both.reqs),
    ...tlsAccessLogRows(g.firstScrape.reqs),
    ...accessLogRows(g.defaultLogs.reqs),
  ]);
  for (const way of Object.keys(W) as Way[])
    views[way] = await mtlsCoverage(t.db, {
      ...W[way],
      nowMs: at(23, 0),
    });
}, 240_000);

afterAll(async () => {
  await t?.close();
});

/** A truth edge's destination service as we name it ('reviews', or an external host). */
const shortService = (host: string) =>
  host.endsWith('.svc.cluster.local') ? host.split('.')[0]! : host;

/** a + b of the counts (MUTATES a; the percent fields are not used here). */
function addMtls(a: MtlsTruth, b: MtlsTruth): MtlsTruth {
  for (const f of Object.keys(a) as (keyof MtlsTruth)[])
    if (!f.endsWith('Percent')) (a[f] as number) += b[f] as number;
  return a;
}

/** Truth per caller -> service edge (our edge id), mTLS counts summed over served workloads. */
function truthEdges(truth: Truth): Map<string, MtlsTruth> {
  const out = new Map<string, MtlsTruth>();
  const key = (e: EdgeTruth) => {
    const src =
      e.source.workload === 'unknown'
        ? 'unknown'
        : `${e.source.namespace}/${e.source.workload}`;
    const svc = shortService(e.destination.service);
    const dst = svc.includes('.')
      ? svc
      : `${e.destination.serviceNamespace}/${svc}`;
    return `${src}->${dst}:${e.protocol}`;
  };
  for (const e of truth.edges) {
    const k = key(e);
    const m = out.get(k);
    out.set(k, m ? addMtls(m, e.mtls) : { ...e.mtls });
  }
  return out;
}

const pct = (yes: number, no: number) =>
  yes + no > 0 ? (yes / (yes + no)) * 100 : null;

/** Our edge for a truth key (external hosts are matched without a namespace). */
function ourEdge(view: MtlsCoverage, id: string) {
  const exact = view.edges.find((e) => e.id === id);
  if (exact) return exact;
  const [src, rest] = id.split('->') as [string, string];
  return view.edges.find(
    (e) =>
      e.id.startsWith(`${src}->`) &&
      e.id.endsWith(`/${rest}`) &&
      rest.split(':')[0]!.includes('.'),
  );
}

function expectShares(
  ours: GroupCoverage | undefined,
  want: MtlsTruth,
  label: string,
  tolerance: number,
) {
  expect(ours, `${label} is listed`).toBeDefined();
  if (!ours) return;
  const cases = [
    [
      'requests',
      ours.requestShare,
      pct(want.mutualTlsRequests, want.plaintextRequests),
    ],
    [
      'connections',
      ours.connectionShare,
      pct(want.mutualTlsConnections, want.plaintextConnections),
    ],
    ['bytes', ours.byteShare, pct(want.mutualTlsBytes, want.plaintextBytes)],
  ] as const;
  for (const [what, got, truth] of cases) {
    if (truth === null) expect(got, `${label} ${what} share`).toBeNull();
    else
      expect(
        Math.abs(got! * 100 - truth),
        `${label} ${what} share ${got! * 100} vs ${truth}`,
      ).toBeLessThanOrEqual(tolerance);
  }
}

/** Requests a way may miss: hops across the minute access logs hand over to metrics. */
const COUNT_SLACK: Record<Way, number> = {
  metrics: 0,
  logs: Infinity,
  both: 0,
  firstScrape: 3,
  defaultLogs: Infinity,
  spans: 0,
};

function expectCount(
  got: number | undefined,
  want: number,
  label: string,
  way: Way,
) {
  expect(got, `${label} is listed`).toBeDefined();
  expect(
    Math.abs(got! - want),
    `${label} requests ${got} vs ${want}`,
  ).toBeLessThanOrEqual(COUNT_SLACK[way]);
}

describe.each([
  ['metrics alone', 'metrics', 1e-6],
  // Server lines are stamped when the destination started, a hop's truth when the caller did:
  // a hop across the window's edge may fall on the other side.
  ['access logs alone (JSON with TLS fields)', 'logs', 0.5],
  ['metrics, access logs and doubled spans together', 'both', 1e-6],
  // The minute logs count hands over to metrics: a hop across it may have its server line in
  // the metrics minute (lost) — a few requests, against hundreds a wrong caller would move.
  [
    'access logs in the first scrape minute, then metrics (doubled spans throughout)',
    'firstScrape',
    0.01,
  ],
  ['spans alone (tagged with connection_security_policy)', 'spans', 1e-6],
] as const)('coverage from %s equals the truth', (_name, way, tolerance) => {
  it('per namespace (requests, connections and bytes)', () => {
    const view = views[way];
    for (const n of truths[way].namespaces) {
      const known =
        n.mtls.mutualTlsRequests +
        n.mtls.plaintextRequests +
        n.mtls.mutualTlsConnections +
        n.mtls.plaintextConnections;
      if (known === 0) continue;
      expectShares(
        view.namespaces.find((x) => x.namespace === n.namespace),
        n.mtls,
        `namespace ${n.namespace}`,
        tolerance,
      );
    }
    // The legacy namespace sends plaintext into bookinfo: bookinfo is partly encrypted.
    const bookinfo = view.namespaces.find((x) => x.namespace === 'bookinfo');
    expect(bookinfo?.state).toBe('partial');
  });

  it('per service, and per destination cluster where the signal knows it', () => {
    const view = views[way];
    for (const sv of truths[way].services) {
      const short = shortService(sv.service);
      if (short.includes('.')) continue; // external: no destination report, unknown
      expectShares(
        view.services.find(
          (x) => x.namespace === sv.namespace && x.service === short,
        ),
        sv.mtls,
        `service ${sv.namespace}/${short}`,
        tolerance,
      );
    }
    // Access-log lines carry no cluster (the log path does not say it): where they count a
    // minute its traffic has no cluster (ratings-v1 runs in both), so only whole metrics here.
    if (way === 'logs' || way === 'firstScrape') {
      const none = view.clusters.find((c) => c.cluster === '');
      expect(none?.requests.mtls, 'traffic of logged minutes').toBeGreaterThan(
        0,
      );
      return;
    }
    const byCluster = new Map<string, MtlsTruth[]>();
    for (const e of truths[way].clusterEdges) {
      const c = e.destination.cluster ?? 'unknown';
      byCluster.set(c, [...(byCluster.get(c) ?? []), e.mtls]);
    }
    for (const [cluster, list] of byCluster) {
      if (cluster === 'unknown') continue;
      const sum = list.slice(1).reduce(addMtls, { ...list[0]! });
      expectShares(
        view.clusters.find((c) => c.cluster === cluster),
        sum,
        `cluster ${cluster}`,
        tolerance,
      );
    }
    expect(view.clusters.map((c) => c.cluster)).toEqual(
      expect.arrayContaining(['cluster-1', 'cluster-2']),
    );
  });

  it('per edge, with every plaintext edge listed', () => {
    const view = views[way];
    const want = truthEdges(truths[way]);
    for (const [id, m] of want) {
      const ours = ourEdge(view, id);
      if (
        pct(
          m.mutualTlsRequests + m.mutualTlsConnections,
          m.plaintextRequests + m.plaintextConnections,
        ) === null
      ) {
        // No destination reported: unknown, never counted as either.
        if (ours)
          expect(ours.requestShare ?? ours.connectionShare, id).toBeNull();
        continue;
      }
      expectShares(ours, m, `edge ${id}`, tolerance);
      // Counts too: inbound log evidence on the caller that sent it, unknown where nobody said.
      if (way !== 'logs') {
        expectCount(
          ours?.requests.mtls,
          m.mutualTlsRequests,
          `${id} mTLS`,
          way,
        );
        expectCount(
          ours?.requests.unknown,
          m.unknownRequests,
          `${id} unknown`,
          way,
        );
      }
    }
    const plaintext = [...want]
      .filter(([, m]) => m.plaintextRequests + m.plaintextConnections > 0)
      .map(([id]) => id)
      .sort();
    expect(view.plaintextEdges.map((e) => e.id).sort()).toEqual(plaintext);
    expect(plaintext).toContain('unknown->bookinfo/productpage:http');
    for (const e of view.plaintextEdges) {
      expect(e.plaintextFirstMs).toBeGreaterThanOrEqual(W[way].fromMs);
      expect(e.plaintextLastMs).toBeLessThan(W[way].toMs);
    }
  });

  it('counts each request once: mesh figures equal the truth', () => {
    const mesh = views[way].mesh;
    const m = truths[way].mesh.mtls;
    expectShares(mesh, m, 'mesh', tolerance);
    if (way === 'logs') return;
    expectCount(mesh.requests.mtls, m.mutualTlsRequests, 'mesh mTLS', way);
    expectCount(
      mesh.requests.plaintext,
      m.plaintextRequests,
      'mesh plain',
      way,
    );
    expectCount(mesh.requests.unknown, m.unknownRequests, 'mesh unknown', way);
    expect(mesh.bytes.plaintext).toBeCloseTo(m.plaintextBytes, 6);
    expect(mesh.connections.mtls).toBeCloseTo(m.mutualTlsConnections, 6);
  });

  it('lists the PERMISSIVE workload, the sidecar-less caller and the identities', () => {
    const view = views[way];
    const mixed = view.mixedWorkloads.map(
      (w) => `${w.namespace}/${w.workload}`,
    );
    expect(mixed).toEqual(['bookinfo/productpage-v1']);
    expect(view.mixedWorkloads[0]!.plaintextCallers).toEqual([
      { namespace: '', workload: '', service: '' },
    ]);
    const sidecarless = view.sidecarlessSources.find(
      (e) => e.id === 'unknown->bookinfo/productpage:http',
    );
    expect(sidecarless).toBeDefined();
    // Access logs show the sidecar-less caller's pod address (it writes no outbound line).
    expect(sidecarless!.addresses).toEqual(
      way === 'metrics' || way === 'spans' ? [] : [legacyIp],
    );
    // Spans carry no principals.
    if (way === 'spans') {
      expect(view.identities).toEqual({ workloads: [], edges: [] });
      return;
    }
    const productpage = view.identities.workloads.find(
      (w) => w.workload === 'productpage-v1',
    );
    expect(productpage?.principal).toBe(
      'spiffe://cluster.local/ns/bookinfo/sa/bookinfo-productpage',
    );
    expect(
      view.identities.edges.some(
        (e) =>
          e.sourcePrincipal.endsWith('/sa/bookinfo-productpage') &&
          e.destinationPrincipal.endsWith('/sa/bookinfo-reviews'),
      ),
    ).toBe(true);
  });

  it('draws a trend whose points hold the window share', () => {
    const trend = views[way].trend;
    expect(trend.length).toBe(5);
    for (const p of trend) expect(p.requestShare).toBeGreaterThan(0.5);
  });
});

describe('a window read in 10-minute buckets', () => {
  it('attributes inbound log lines to the same callers as a window read in minutes', async () => {
    // Both windows hold every line of the access-logs-only traffic (10:20 to about 10:26) and
    // nothing else; the wider one is read from edge_rollups_10m (rollup-levels.ts).
    // (Unknown callers' unknown aside: in a minute with server lines only — the traffic's
    // last — rule 1 counts them, in a bucket the callers' lines of earlier minutes are there.)
    const counts = (v: MtlsCoverage) =>
      Object.fromEntries(
        v.edges
          .filter((e) => e.source.workload !== '' || e.requestShare !== null)
          .map((e) => [
            e.id,
            [
              e.requests.mtls,
              e.requests.plaintext,
              e.source.workload === '' ? null : e.requests.unknown,
            ],
          ]),
      );
    const minutes = await mtlsCoverage(t.db, {
      fromMs: at(10, 19),
      toMs: at(10, 29),
      nowMs: at(23, 0),
    });
    const buckets = await mtlsCoverage(t.db, {
      fromMs: at(10, 10),
      toMs: at(10, 30),
      nowMs: at(23, 0),
    });
    expect(
      counts(minutes)['bookinfo/productpage-v1->bookinfo/reviews:http']?.[0],
    ).toBeGreaterThan(0);
    expect(counts(buckets)).toEqual(counts(minutes));
  });
});

describe("Istio's default log format (no TLS fields)", () => {
  it('shows plaintext as unknown, never as either', () => {
    const view = views.defaultLogs;
    const truth = truths.defaultLogs;
    // Only mTLS is visible (Istio's SNI on the inbound line); plaintext stays unknown.
    expect(view.plaintextEdges).toEqual([]);
    expect(view.mesh.requests.plaintext).toBe(0);
    expect(view.mesh.requestShare).toBe(1);
    expect(view.mesh.requests.mtls).toBeGreaterThan(0);
    const catalog = view.edges.find(
      (e) => e.id === 'bookinfo/details-v1->bookinfo/catalog:grpc',
    );
    expect(catalog?.requestShare).toBeNull();
    expect(catalog?.requests.unknown).toBeGreaterThan(0);
    const ns = truth.namespaces.find((n) => n.namespace === 'bookinfo')!;
    expect(
      Math.abs(view.mesh.requests.mtls - ns.mtls.mutualTlsRequests) /
        ns.mtls.mutualTlsRequests,
    ).toBeLessThanOrEqual(0.02);
  });
});
