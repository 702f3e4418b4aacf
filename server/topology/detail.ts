/**
 * The figures of one selection of traffic (an edge, a node's inbound or outbound side, a
 * service): totals, a time series with percentiles, response codes and flags (over time too),
 * and the top peers. Pure: it shapes rows ClickHouse already aggregated per (time, code, flags)
 * and per peer; empty time steps are filled so charts keep their x axis.
 */
import { trafficFigures, type TrafficFigures } from './decorate-edge';
import { addMeasures, emptyMeasures, type TrafficMeasures } from './measures';
import { latencyPercentiles } from './percentiles';

/** A group of aggregated traffic (structurally the queries' BreakdownRow). */
export interface GroupRow {
  key: Record<string, string>;
  t?: number;
  measures: TrafficMeasures;
}

export interface SeriesPoint {
  /** Start of the step, epoch ms. */
  t: number;
  requestsPerSecond: number;
  errorRatio: number;
  clientErrorRatio: number;
  connectionsPerSecond: number;
  bytesPerSecond: number;
  p50: number | null;
  p90: number | null;
  p95: number | null;
  p99: number | null;
}

/** Response class of a code: 2xx..5xx, 'no response' (code 0), 'grpc error', or 'tcp'. */
export type CodeClass =
  '1xx' | '2xx' | '3xx' | '4xx' | '5xx' | 'grpc error' | 'no response' | 'tcp';
export const CODE_CLASSES: readonly CodeClass[] = [
  '2xx',
  '3xx',
  '4xx',
  '5xx',
  'grpc error',
  'no response',
  '1xx',
  'tcp',
];

export function codeClassOf(
  protocol: string,
  code: number,
  grpc: string,
): CodeClass {
  if (protocol === 'tcp') return 'tcp';
  if (
    protocol === 'grpc' &&
    grpc !== '' &&
    grpc !== 'OK' &&
    grpc !== '0' &&
    code < 500
  )
    return 'grpc error';
  if (code === 0) return 'no response';
  const c = Math.floor(code / 100);
  return c >= 1 && c <= 5 ? (`${c}xx` as CodeClass) : 'no response';
}

/** '200', '503', '200 Unavailable' (gRPC status on an HTTP 200), '-' (no response), 'tcp'. */
export function codeLabelOf(
  protocol: string,
  code: number,
  grpc: string,
): string {
  if (protocol === 'tcp') return 'tcp';
  const http = code === 0 ? '-' : String(code);
  return protocol === 'grpc' && grpc !== '' ? `${http} ${grpc}` : http;
}

export interface CodeCount {
  label: string;
  class: CodeClass;
  requests: number;
  share: number;
}

export interface FlagCount {
  /** Short flags, comma-joined ('' = none). */
  flags: string;
  requests: number;
  share: number;
}

export interface PeerFigures extends TrafficFigures {
  namespace: string;
  workload: string;
  service: string;
  version: string;
}

export interface TrafficDetail {
  stepSeconds: number;
  totals: TrafficFigures;
  series: SeriesPoint[];
  codes: CodeCount[];
  /** Requests/s per code class and step. */
  codesOverTime: { t: number; rates: Partial<Record<CodeClass, number>> }[];
  flags: FlagCount[];
  /** Requests/s per flag set (none excluded) and step. */
  flagsOverTime: { t: number; rates: Record<string, number> }[];
  sources: PeerFigures[];
  destinations: PeerFigures[];
  /** Latency histogram of the whole window (µs upper bound -> count). */
  histogram: Record<string, number>;
  /** The same histogram per step (the latency heatmap): µs upper bound -> count. */
  heatmap: { t: number; buckets: Record<string, number> }[];
}

export interface DetailInput {
  /** Rows grouped by time, code and flags. */
  rows: readonly GroupRow[];
  sources: readonly GroupRow[];
  destinations: readonly GroupRow[];
  startMs: number;
  endMs: number;
  /** Seconds the whole window covers (for totals). */
  seconds: number;
  stepSeconds: number;
  /** Cap on peers listed per side. */
  topPeers?: number;
}

function peers(
  rows: readonly GroupRow[],
  side: 's' | 'd',
  seconds: number,
  top: number,
): PeerFigures[] {
  return rows.slice(0, top).map((r) => ({
    namespace: r.key[`${side}ns`] ?? '',
    workload: r.key[side === 's' ? 'sw' : 'dw'] ?? '',
    service: r.key[side === 's' ? 'ssvc' : 'dsvc'] ?? '',
    version: r.key[side === 's' ? 'sver' : 'dver'] ?? '',
    ...trafficFigures(r.measures, seconds),
  }));
}

/** Shapes the aggregated rows into the side panel's / service page's figures. */
export function buildTrafficDetail(input: DetailInput): TrafficDetail {
  const stepMs = input.stepSeconds * 1000;
  const firstStep = Math.floor(input.startMs / stepMs) * stepMs;
  const byStep = new Map<number, TrafficMeasures>();
  const codeStep = new Map<number, Partial<Record<CodeClass, number>>>();
  const flagStep = new Map<number, Record<string, number>>();
  const codes = new Map<string, { class: CodeClass; requests: number }>();
  const flags = new Map<string, number>();
  const totals = emptyMeasures();
  for (const r of input.rows) {
    const t = r.t ?? firstStep;
    addMeasures(totals, r.measures);
    byStep.set(t, addMeasures(byStep.get(t) ?? emptyMeasures(), r.measures));
    const proto = r.key.proto ?? '';
    const code = Number(r.key.code ?? 0);
    const grpc = r.key.grpc ?? '';
    const count =
      proto === 'tcp' ? r.measures.connections : r.measures.requests;
    const cls = codeClassOf(proto, code, grpc);
    const label = codeLabelOf(proto, code, grpc);
    const c = codes.get(label) ?? { class: cls, requests: 0 };
    c.requests += count;
    codes.set(label, c);
    const cs = codeStep.get(t) ?? {};
    cs[cls] = (cs[cls] ?? 0) + count;
    codeStep.set(t, cs);
    const fl = r.key.flags ?? '';
    flags.set(fl, (flags.get(fl) ?? 0) + count);
    if (fl !== '') {
      const fs = flagStep.get(t) ?? {};
      fs[fl] = (fs[fl] ?? 0) + count;
      flagStep.set(t, fs);
    }
  }
  const step = input.stepSeconds;
  const series: SeriesPoint[] = [];
  const codesOverTime: TrafficDetail['codesOverTime'] = [];
  const flagsOverTime: TrafficDetail['flagsOverTime'] = [];
  const heatmap: TrafficDetail['heatmap'] = [];
  const perSecond = (rec: Record<string, number>) =>
    Object.fromEntries(Object.entries(rec).map(([k, v]) => [k, v / step]));
  for (let t = firstStep; t < input.endMs; t += stepMs) {
    const m = byStep.get(t) ?? emptyMeasures();
    const f = trafficFigures(m, step);
    const p = latencyPercentiles(m.buckets);
    series.push({
      t,
      requestsPerSecond: f.requestsPerSecond,
      errorRatio: f.errorRatio,
      clientErrorRatio: f.clientErrorRatio,
      connectionsPerSecond: f.connectionsPerSecond,
      bytesPerSecond: f.bytesPerSecond,
      ...p,
    });
    codesOverTime.push({ t, rates: perSecond(codeStep.get(t) ?? {}) });
    flagsOverTime.push({ t, rates: perSecond(flagStep.get(t) ?? {}) });
    heatmap.push({ t, buckets: m.buckets });
  }
  const total = totals.requests + totals.connections;
  const top = input.topPeers ?? 10;
  return {
    stepSeconds: step,
    totals: trafficFigures(totals, input.seconds),
    series,
    codes: [...codes.entries()]
      .map(([label, c]) => ({
        label,
        class: c.class,
        requests: c.requests,
        share: total > 0 ? c.requests / total : 0,
      }))
      .sort(
        (a, b) => b.requests - a.requests || a.label.localeCompare(b.label),
      ),
    codesOverTime,
    flags: [...flags.entries()]
      .map(([f, n]) => ({
        flags: f,
        requests: n,
        share: total > 0 ? n / total : 0,
      }))
      .sort(
        (a, b) => b.requests - a.requests || a.flags.localeCompare(b.flags),
      ),
    flagsOverTime,
    sources: peers(input.sources, 's', input.seconds, top),
    destinations: peers(input.destinations, 'd', input.seconds, top),
    histogram: totals.buckets,
    heatmap,
  };
}
