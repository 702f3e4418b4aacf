/**
 * Chart data from the API's traffic detail: every decision (which series, units, top-N, colours,
 * gaps) is made here; the recharts components only draw. Pure.
 */
import { formatMs } from './format';

export interface SeriesPointIn {
  t: number;
  requestsPerSecond: number;
  errorRatio: number;
  connectionsPerSecond: number;
  bytesPerSecond: number;
  p50: number | null;
  p90: number | null;
  p95: number | null;
  p99: number | null;
}

export interface RedPoint {
  t: number;
  /** Requests/s that succeeded (not 5xx / gRPC error). */
  ok: number;
  /** Errors/s. */
  errors: number;
}

/** Requests split into ok and errors per second (stacked areas), TCP as connections/s. */
export function redPoints(
  series: readonly SeriesPointIn[],
  tcp: boolean,
): RedPoint[] {
  return series.map((p) => {
    if (tcp) return { t: p.t, ok: p.connectionsPerSecond, errors: 0 };
    const errors = p.requestsPerSecond * p.errorRatio;
    return { t: p.t, ok: p.requestsPerSecond - errors, errors };
  });
}

export interface LatencyPoint {
  t: number;
  p50: number | null;
  p90: number | null;
  p95: number | null;
  p99: number | null;
}

export function latencyPoints(
  series: readonly SeriesPointIn[],
): LatencyPoint[] {
  return series.map((p) => ({
    t: p.t,
    p50: p.p50,
    p90: p.p90,
    p95: p.p95,
    p99: p.p99,
  }));
}

export interface StackedSeries {
  keys: string[];
  points: ({ t: number } & Record<string, number>)[];
}

/**
 * Rates per key over time, the `top` busiest keys kept and the rest summed as "other";
 * `order` puts known keys first (e.g. code classes 2xx, 3xx, ...).
 */
export function stackedRates(
  overTime: readonly { t: number; rates: Partial<Record<string, number>> }[],
  opts: { top?: number; order?: readonly string[] } = {},
): StackedSeries {
  const totals = new Map<string, number>();
  for (const p of overTime)
    for (const [k, v] of Object.entries(p.rates))
      totals.set(k, (totals.get(k) ?? 0) + (v ?? 0));
  const ranked = [...totals.entries()]
    .filter(([, v]) => v > 0)
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  const top = opts.top ?? 6;
  let keys = ranked.slice(0, top).map(([k]) => k);
  const rest = new Set(ranked.slice(top).map(([k]) => k));
  if (opts.order)
    keys = [...keys].sort(
      (a, b) => rank(opts.order!, a) - rank(opts.order!, b),
    );
  if (rest.size > 0) keys.push('other');
  const points = overTime.map((p) => {
    const point: { t: number } & Record<string, number> = { t: p.t };
    for (const k of keys) point[k] = 0;
    for (const [k, v] of Object.entries(p.rates)) {
      const key = rest.has(k) ? 'other' : k;
      if (key in point) point[key] = (point[key] ?? 0) + (v ?? 0);
    }
    return point;
  });
  return { keys, points };
}

function rank(order: readonly string[], k: string): number {
  const i = order.indexOf(k);
  return i < 0 ? order.length : i;
}

/** CSS colour of a response-code class. */
export function codeClassColor(cls: string): string {
  switch (cls) {
    case '2xx':
      return 'var(--ok)';
    case '3xx':
      return 'var(--accent)';
    case '4xx':
      return 'var(--warn)';
    case '5xx':
      return 'var(--bad)';
    case 'grpc error':
      return '#a4459c';
    case 'tcp':
      return 'var(--graph-tcp)';
    default:
      return 'var(--muted)';
  }
}

const PALETTE = [
  '#3567d6',
  '#d9822b',
  '#a4459c',
  '#2aa198',
  '#cf3c3c',
  '#6c71c4',
  '#859900',
  '#8a94a6',
];

/** A stable colour for the i-th series of a chart. */
export function paletteColor(i: number): string {
  return PALETTE[i % PALETTE.length]!;
}

export interface HistogramBar {
  label: string;
  count: number;
}

/** Latency histogram bars in bucket order, labelled by upper bound ('≤ 25 ms', '> 3600 s'). */
export function histogramBars(
  buckets: Readonly<Record<string, number>>,
): HistogramBar[] {
  const rows = Object.entries(buckets)
    .map(([k, v]) => ({
      us: Number(k) >= 1.8e19 ? Infinity : Number(k),
      count: v,
    }))
    .filter((r) => r.count > 0 && !Number.isNaN(r.us))
    .sort((a, b) => a.us - b.us);
  let prev = 0;
  return rows.map((r) => {
    const label =
      r.us === Infinity
        ? `> ${formatMs(prev / 1000)}`
        : `≤ ${formatMs(r.us / 1000)}`;
    prev = r.us === Infinity ? prev : r.us;
    return { label, count: r.count };
  });
}

/** An SVG path for a sparkline of `values` in a w x h box (flat line when all zero). */
export function sparklinePath(
  values: readonly number[],
  w: number,
  h: number,
): string {
  if (values.length === 0) return '';
  const max = Math.max(...values, 0);
  const step = values.length > 1 ? w / (values.length - 1) : 0;
  return values
    .map((v, i) => {
      const x = i * step;
      const y = max > 0 ? h - 1 - (v / max) * (h - 2) : h - 1;
      return `${i === 0 ? 'M' : 'L'}${x.toFixed(1)},${y.toFixed(1)}`;
    })
    .join(' ');
}
