/**
 * Per-edge tallies -> every figure and list of the mTLS view. Pure. Groups are destination-side
 * (traffic INTO a cluster, namespace or service), as Istio's destination reporter sees them.
 */
import type { PolicyRow, TrendRow } from './policy-rows';
import {
  addTally,
  coverageOf,
  emptyTally,
  plaintextCount,
  type Coverage,
  type Tally,
} from './tally';

export interface Peer {
  /** '' when unknown (no sidecar, or outside the mesh). */
  namespace: string;
  workload: string;
  service: string;
}

export type GroupCoverage = Coverage & {
  /** Requests + connections per second (counted, or reported when more). */
  perSecond: number;
};

export type ClusterCoverage = GroupCoverage & { cluster: string };
export type NamespaceCoverage = GroupCoverage & { namespace: string };
export type ServiceCoverage = GroupCoverage & {
  namespace: string;
  service: string;
};

export type EdgeCoverage = GroupCoverage & {
  /** `<source ns>/<workload>-><dest ns>/<service>:<protocol>`. */
  id: string;
  source: Peer;
  destination: { namespace: string; service: string; workloads: string[] };
  protocol: string;
  /** Signals the figures came from: metrics, access_log, spans. */
  signals: string[];
  /** Epoch ms of the first and last minute with plaintext in the window; null without any. */
  plaintextFirstMs: number | null;
  plaintextLastMs: number | null;
};

export type WorkloadCoverage = GroupCoverage & {
  namespace: string;
  workload: string;
  /** Callers that sent it plaintext ('' workload = unknown caller). */
  plaintextCallers: Peer[];
};

export type TrendPoint = Pick<
  Coverage,
  'requestShare' | 'connectionShare' | 'byteShare' | 'unknownShare'
> & { t: number };

export interface CoverageReport {
  mesh: GroupCoverage;
  clusters: ClusterCoverage[];
  namespaces: NamespaceCoverage[];
  services: ServiceCoverage[];
  edges: EdgeCoverage[];
  /** Edges with plaintext traffic, most plaintext first. */
  plaintextEdges: EdgeCoverage[];
  /** Workloads that received both mutual TLS and plaintext (PERMISSIVE in practice). */
  mixedWorkloads: WorkloadCoverage[];
  /** Traffic from callers no proxy knew (no sidecar, or outside the mesh), per destination. */
  sidecarlessSources: EdgeCoverage[];
  trend: TrendPoint[];
}

/** Counted or reported, whichever is more (a caller only the destination saw is not counted). */
function volumePerSecond(t: Tally, seconds: number): number {
  const c = coverageOf(t);
  const n =
    c.requests.mtls +
    c.requests.plaintext +
    c.requests.unknown +
    c.connections.mtls +
    c.connections.plaintext +
    c.connections.unknown;
  return seconds > 0 ? n / seconds : 0;
}

const group = (t: Tally, seconds: number): GroupCoverage => ({
  ...coverageOf(t),
  perSecond: volumePerSecond(t, seconds),
});

function sumBy<K>(
  rows: readonly PolicyRow[],
  keyOf: (r: PolicyRow) => string | null,
  init: (r: PolicyRow) => K,
): Map<string, { meta: K; tally: Tally; rows: PolicyRow[] }> {
  const out = new Map<string, { meta: K; tally: Tally; rows: PolicyRow[] }>();
  for (const r of rows) {
    const k = keyOf(r);
    if (k === null) continue;
    let g = out.get(k);
    if (!g) {
      g = { meta: init(r), tally: emptyTally(), rows: [] };
      out.set(k, g);
    }
    addTally(g.tally, r.tally);
    g.rows.push(r);
  }
  return out;
}

const busiestFirst = <T extends GroupCoverage>(a: T, b: T) =>
  b.perSecond - a.perSecond;

/** `ns/name`, or 'unknown' for an unknown peer. */
export function peerLabel(namespace: string, name: string): string {
  if (!name) return 'unknown';
  return namespace ? `${namespace}/${name}` : name;
}

function edgesOf(rows: readonly PolicyRow[], seconds: number): EdgeCoverage[] {
  const edges = sumBy(
    rows,
    (r) =>
      `${peerLabel(r.sourceNamespace, r.sourceWorkload)}->${peerLabel(r.destinationNamespace, r.destinationService)}:${r.protocol}`,
    (r) => ({
      source: {
        namespace: r.sourceNamespace,
        workload: r.sourceWorkload,
        service: r.sourceService,
      },
      destination: {
        namespace: r.destinationNamespace,
        service: r.destinationService,
      },
      protocol: r.protocol,
    }),
  );
  const out: EdgeCoverage[] = [];
  for (const [id, g] of edges) {
    const known = g.rows.filter((r) => r.plaintextFirstMs !== null);
    const first = known.map((r) => r.plaintextFirstMs!);
    const last = known.map((r) => r.plaintextLastMs!);
    const hasPlain = plaintextCount(g.tally) > 0;
    out.push({
      ...group(g.tally, seconds),
      id,
      ...g.meta,
      destination: {
        ...g.meta.destination,
        workloads: [
          ...new Set(
            g.rows.map((r) => r.destinationWorkload).filter((w) => w !== ''),
          ),
        ].sort(),
      },
      signals: [...new Set(g.rows.map((r) => r.signal))].sort(),
      plaintextFirstMs: hasPlain && first.length ? Math.min(...first) : null,
      plaintextLastMs: hasPlain && last.length ? Math.max(...last) : null,
    });
  }
  return out.filter((e) => e.perSecond > 0).sort(busiestFirst);
}

function mixedOf(
  rows: readonly PolicyRow[],
  seconds: number,
): WorkloadCoverage[] {
  const byWorkload = sumBy(
    rows.filter((r) => r.destinationWorkload !== ''),
    (r) => `${r.destinationNamespace}/${r.destinationWorkload}`,
    (r) => ({
      namespace: r.destinationNamespace,
      workload: r.destinationWorkload,
    }),
  );
  const out: WorkloadCoverage[] = [];
  for (const g of byWorkload.values()) {
    const c = group(g.tally, seconds);
    const yes = c.requests.mtls + c.connections.mtls;
    const no = c.requests.plaintext + c.connections.plaintext;
    if (yes <= 0 || no <= 0) continue;
    const callers = new Map<string, PolicyRow>();
    for (const r of g.rows)
      if (plaintextCount(r.tally) > 0)
        callers.set(peerLabel(r.sourceNamespace, r.sourceWorkload), r);
    out.push({
      ...c,
      ...g.meta,
      plaintextCallers: [...callers.values()].map((r) => ({
        namespace: r.sourceNamespace,
        workload: r.sourceWorkload,
        service: r.sourceService,
      })),
    });
  }
  return out.sort(busiestFirst);
}

function trendOf(rows: readonly TrendRow[]): TrendPoint[] {
  const byT = new Map<number, Tally>();
  for (const r of rows) {
    const tally = byT.get(r.t) ?? emptyTally();
    byT.set(r.t, addTally(tally, r.tally));
  }
  return [...byT.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([t, tally]) => {
      const c = coverageOf(tally);
      return {
        t,
        requestShare: c.requestShare,
        connectionShare: c.connectionShare,
        byteShare: c.byteShare,
        unknownShare: c.unknownShare,
      };
    });
}

/** Every figure of the view from attributed per-edge rows and the trend rows. */
export function buildCoverageReport(
  rows: readonly PolicyRow[],
  trend: readonly TrendRow[],
  seconds: number,
): CoverageReport {
  const mesh = emptyTally();
  for (const r of rows) addTally(mesh, r.tally);
  const clusters = [
    ...sumBy(
      rows,
      (r) => r.destinationCluster,
      (r) => ({
        cluster: r.destinationCluster,
      }),
    ).values(),
  ].map((g) => ({ ...group(g.tally, seconds), ...g.meta }));
  const namespaces = [
    ...sumBy(
      rows,
      (r) => r.destinationNamespace,
      (r) => ({
        namespace: r.destinationNamespace,
      }),
    ).values(),
  ].map((g) => ({ ...group(g.tally, seconds), ...g.meta }));
  const services = [
    ...sumBy(
      rows,
      (r) => `${r.destinationNamespace}\x1f${r.destinationService}`,
      (r) => ({
        namespace: r.destinationNamespace,
        service: r.destinationService,
      }),
    ).values(),
  ].map((g) => ({ ...group(g.tally, seconds), ...g.meta }));
  const edges = edgesOf(rows, seconds);
  return {
    mesh: group(mesh, seconds),
    clusters: clusters.filter((c) => c.perSecond > 0).sort(busiestFirst),
    namespaces: namespaces.filter((c) => c.perSecond > 0).sort(busiestFirst),
    services: services.filter((c) => c.perSecond > 0).sort(busiestFirst),
    edges,
    plaintextEdges: edges
      .filter((e) => e.requests.plaintext + e.connections.plaintext > 0)
      .sort(
        (a, b) =>
          b.requests.plaintext +
          b.connections.plaintext -
          (a.requests.plaintext + a.connections.plaintext),
      ),
    mixedWorkloads: mixedOf(rows, seconds),
    sidecarlessSources: edges.filter((e) => e.source.workload === ''),
    trend: trendOf(trend),
  };
}
