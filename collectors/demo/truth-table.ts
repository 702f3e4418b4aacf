/** Renders a Truth as plain-text tables (for truth-cli.ts). Pure. */
import type { EdgeTruth, GroupTruth, Percentiles, Truth } from './truth-types';

type Row = string[];

/** Left-aligns the first `leftColumns` columns, right-aligns the rest. */
export function table(header: Row, rows: Row[], leftColumns = 1): string {
  const widths = header.map((h, i) =>
    Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)),
  );
  const line = (r: Row) =>
    r
      .map((cell, i) =>
        i < leftColumns
          ? cell.padEnd(widths[i] ?? 0)
          : cell.padStart(widths[i] ?? 0),
      )
      .join('  ')
      .trimEnd();
  return [
    line(header),
    line(widths.map((w) => '-'.repeat(w))),
    ...rows.map(line),
  ].join('\n');
}

const num = (n: number, digits = 1) =>
  Number.isInteger(n) ? String(n) : n.toFixed(digits);
const pct = (n: number | null) => (n === null ? '-' : n.toFixed(2));
const ms = (p: Percentiles | null, k: 'p50' | 'p90' | 'p95' | 'p99') =>
  p ? String(p[k]) : '-';
const iso = (t: number | null) =>
  t === null ? '-' : new Date(t).toISOString();

function flags(g: GroupTruth): string {
  const f = Object.entries(g.responseFlags).map(([k, v]) => `${k}:${v}`);
  return f.length ? f.join(' ') : '-';
}

function peer(p: {
  workload: string;
  namespace: string;
  cluster?: string;
}): string {
  const base =
    p.workload === 'unknown' && p.namespace === 'unknown'
      ? 'unknown'
      : `${p.namespace}/${p.workload}`;
  return p.cluster ? `${base}@${p.cluster}` : base;
}

function edgeName(e: EdgeTruth): string {
  const dst =
    e.destination.workload === 'unknown'
      ? `unknown (${e.destination.service})`
      : peer(e.destination);
  const via =
    e.source.workload === 'unknown' && e.actualSources.length
      ? ` [${e.actualSources.join(',')}]`
      : '';
  return `${peer(e.source)}${via} -> ${dst}`;
}

const HTTP_HEADER: Row = [
  '',
  'proto',
  'requests',
  'req/s',
  'errors',
  'err%',
  'p50',
  'p90',
  'p95',
  'p99',
  'mTLS%',
  'bytes mTLS%',
  'flags',
];

function httpRow(name: string, proto: string, g: GroupTruth): Row {
  return [
    name,
    proto,
    String(g.requests),
    num(g.requestsPerSec, 2),
    String(g.errors),
    pct(g.errorPercent),
    ms(g.latencyMs, 'p50'),
    ms(g.latencyMs, 'p90'),
    ms(g.latencyMs, 'p95'),
    ms(g.latencyMs, 'p99'),
    pct(g.mtls.requestSharePercent),
    pct(g.mtls.byteSharePercent),
    flags(g),
  ];
}

/** The whole truth as text: summary, HTTP/gRPC edges, TCP edges, services, namespaces. */
export function renderTruth(
  t: Truth,
  opts: { clusters?: boolean } = {},
): string {
  const m = t.mesh;
  const out: string[] = [];
  out.push(
    `Truth of scenario "${t.scenario}" (seed ${t.seed}) from ${iso(t.fromMs)} to ${iso(t.toMs)} (${num(t.windowSeconds)} s)`,
  );
  out.push(
    `Generated traffic known: ${iso(t.coverage.fromMs)} .. ${iso(t.coverage.untilMs)}`,
  );
  out.push(
    `Tracing: sampling ${t.tracing.samplingPercent} %, ${t.tracing.traces} traces (${t.tracing.sampledTraces} sampled), ` +
      `${t.tracing.sampledRequests} requests in sampled traces`,
  );
  out.push(
    'Latency is ms, counted once (source proxy preferred); nearest-rank percentiles. mTLS% excludes unknown.',
  );
  out.push('');
  out.push(table(HTTP_HEADER, [httpRow('mesh', 'all', m)]));
  out.push('');
  const edges = opts.clusters ? t.clusterEdges : t.edges;
  const http = edges.filter((e) => e.protocol !== 'tcp');
  out.push(
    table(
      ['edge (source -> destination)', ...HTTP_HEADER.slice(1)],
      http.map((e) => httpRow(edgeName(e), e.protocol, e)),
    ),
  );
  const tcp = edges.filter((e) => e.protocol === 'tcp');
  if (tcp.length) {
    out.push('');
    out.push(
      table(
        [
          'tcp edge (source -> destination)',
          'connections',
          'conn/s',
          'received B',
          'sent B',
          'p50',
          'p95',
          'mTLS%',
        ],
        tcp.map((e) => [
          edgeName(e),
          String(e.tcp.connections),
          num(e.tcp.connectionsPerSec, 2),
          String(e.tcp.receivedBytes),
          String(e.tcp.sentBytes),
          ms(e.tcp.durationMs, 'p50'),
          ms(e.tcp.durationMs, 'p95'),
          pct(e.mtls.connectionSharePercent),
        ]),
      ),
    );
  }
  out.push('');
  out.push(
    table(
      ['service', ...HTTP_HEADER.slice(1)],
      t.services
        .filter((s) => s.requests > 0)
        .map((s) => httpRow(s.service, '', s)),
    ),
  );
  out.push('');
  out.push(
    table(
      ['namespace (traffic into)', ...HTTP_HEADER.slice(1), 'tcp conn'],
      t.namespaces.map((n) => [
        ...httpRow(n.namespace, '', n),
        String(n.tcp.connections),
      ]),
    ),
  );
  return out.join('\n') + '\n';
}
