/**
 * The mTLS view's decisions, pure: URL state, how a share reads (unknown is never 0 %), the
 * coverage bar's segments, the trend's points in percent (gaps where nothing was known) and
 * peer names. Components only render what these return.
 */
import {
  parseTimeRange,
  timeRangeParams,
  type TimeRange,
} from '../../_components/time-range';
import { formatPercent } from '../charts/format';

export interface MtlsState {
  range: TimeRange;
  namespaces: string[];
}

export function parseMtlsState(p: {
  get(name: string): string | null;
}): MtlsState {
  return {
    range: parseTimeRange(p),
    namespaces: (p.get('ns') ?? '').split(',').filter(Boolean),
  };
}

export function mtlsParams(
  patch: Partial<MtlsState>,
): Record<string, string | null> {
  const out: Record<string, string | null> = {};
  if (patch.range) Object.assign(out, timeRangeParams(patch.range));
  if (patch.namespaces)
    out.ns = patch.namespaces.length ? patch.namespaces.join(',') : null;
  return out;
}

/** A share as text: "unknown" when no destination reported a policy (never "0 %"). */
export function shareText(share: number | null | undefined): string {
  return share === null || share === undefined
    ? 'unknown'
    : formatPercent(share);
}

/** A share as text, or a dash when the group had no traffic of that kind at all. */
export function shareOrNone(share: number | null, split: Split): string {
  return split.mtls + split.plaintext + split.unknown > 0
    ? shareText(share)
    : '–';
}

/** Tone of a share: plaintext is bad, partial coverage a warning. */
export function shareTone(
  share: number | null | undefined,
): 'bad' | 'warn' | undefined {
  if (share === null || share === undefined) return undefined;
  if (share <= 0.0005) return 'bad';
  return share < 0.9995 ? 'warn' : undefined;
}

export interface Split {
  mtls: number;
  plaintext: number;
  unknown: number;
}

export interface BarSegment {
  key: 'mtls' | 'plaintext' | 'unknown';
  label: string;
  /** 0..100 of the bar's width. */
  percent: number;
  count: number;
}

/** Segments of a mutual TLS / plaintext / unknown bar (empty segments left out). */
export function barSegments(s: Split): BarSegment[] {
  const total = s.mtls + s.plaintext + s.unknown;
  if (total <= 0) return [];
  const seg = (key: BarSegment['key'], label: string, count: number) => ({
    key,
    label,
    count,
    percent: (count / total) * 100,
  });
  return [
    seg('mtls', 'mutual TLS', s.mtls),
    seg('plaintext', 'plaintext', s.plaintext),
    seg('unknown', 'unknown', s.unknown),
  ].filter((x) => x.count > 0);
}

/** Requests and connections together (what a lock and an alert rule judge). */
export function trafficSplit(c: {
  requests: Split;
  connections: Split;
}): Split {
  return {
    mtls: c.requests.mtls + c.connections.mtls,
    plaintext: c.requests.plaintext + c.connections.plaintext,
    unknown: c.requests.unknown + c.connections.unknown,
  };
}

export interface TrendPointIn {
  t: number;
  requestShare: number | null;
  connectionShare: number | null;
  byteShare: number | null;
  unknownShare: number;
}

export interface TrendChartPoint {
  t: number;
  /** Percent, null where nothing was known (drawn as a gap). */
  requests: number | null;
  connections: number | null;
  bytes: number | null;
  unknown: number;
}

const toPct = (v: number | null) => (v === null ? null : v * 100);

/** Trend points in percent, and which lines have anything to draw. */
export function prepareTrend(points: readonly TrendPointIn[]): {
  points: TrendChartPoint[];
  lines: ('requests' | 'connections' | 'bytes')[];
} {
  const out = points.map((p) => ({
    t: p.t,
    requests: toPct(p.requestShare),
    connections: toPct(p.connectionShare),
    bytes: toPct(p.byteShare),
    unknown: p.unknownShare * 100,
  }));
  const lines = (['requests', 'connections', 'bytes'] as const).filter((k) =>
    out.some((p) => p[k] !== null),
  );
  return { points: out, lines };
}

/** `ns/workload`, or a plain word for a peer no proxy knew. */
export function peerName(p: { namespace: string; workload: string }): string {
  if (!p.workload) return 'unknown (no sidecar)';
  return p.namespace ? `${p.namespace}/${p.workload}` : p.workload;
}

/** `ns/service`; external hosts have no namespace. */
export function serviceName(d: { namespace: string; service: string }): string {
  if (!d.service) return 'unknown';
  return d.namespace ? `${d.namespace}/${d.service}` : d.service;
}

/** Signal names as the view says them. */
export const SIGNAL_WORDS: Record<string, string> = {
  metrics: 'metrics',
  access_log: 'access logs',
  spans: 'traces',
};

/** `2025-01-01 10:04` (local) from epoch ms, dash for none. */
export function minuteText(ms: number | null): string {
  if (ms === null) return '–';
  const d = new Date(ms);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}`;
}

/** Bytes: 512 B, 1.5 KiB, 3.2 MiB. */
export function bytesText(n: number): string {
  if (!Number.isFinite(n)) return '–';
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let v = n;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${i === 0 ? v.toFixed(0) : v.toFixed(1)} ${units[i]}`;
}
