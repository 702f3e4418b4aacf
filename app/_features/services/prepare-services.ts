/** The service list's sorting and text filter, and its URL state. Pure. */
import {
  parseTimeRange,
  timeRangeParams,
  type TimeRange,
} from '../../_components/time-range';

export const SORT_KEYS = [
  'service',
  'namespace',
  'requestsPerSecond',
  'errorRatio',
  'clientErrorRatio',
  'p50',
  'p95',
  'p99',
  'mtlsShare',
] as const;
export type SortKey = (typeof SORT_KEYS)[number];

export interface ServiceRowIn {
  namespace: string;
  service: string;
  requestsPerSecond: number;
  connectionsPerSecond: number;
  errorRatio: number;
  clientErrorRatio: number;
  latencyMs: { p50: number | null; p95: number | null; p99: number | null };
  mtlsShare: number | null;
}

function value(r: ServiceRowIn, key: SortKey): string | number | null {
  switch (key) {
    case 'service':
      return r.service;
    case 'namespace':
      return r.namespace;
    case 'requestsPerSecond':
      return r.requestsPerSecond + r.connectionsPerSecond;
    case 'p50':
    case 'p95':
    case 'p99':
      return r.latencyMs[key];
    default:
      return r[key];
  }
}

/** Sorted copy; nulls (no latency, unknown mTLS) always last; ties by namespace/service. */
export function sortServices<R extends ServiceRowIn>(
  rows: readonly R[],
  key: SortKey,
  dir: 'asc' | 'desc',
): R[] {
  const sign = dir === 'asc' ? 1 : -1;
  return [...rows].sort((a, b) => {
    const va = value(a, key);
    const vb = value(b, key);
    if (va === null && vb !== null) return 1;
    if (vb === null && va !== null) return -1;
    let c = 0;
    if (typeof va === 'string' && typeof vb === 'string')
      c = va.localeCompare(vb);
    else if (typeof va === 'number' && typeof vb === 'number') c = va - vb;
    return (
      c * sign ||
      a.namespace.localeCompare(b.namespace) ||
      a.service.localeCompare(b.service)
    );
  });
}

/** Rows whose service or namespace contains the text (case-insensitive). */
export function filterServices<R extends ServiceRowIn>(
  rows: readonly R[],
  text: string,
): R[] {
  const q = text.trim().toLowerCase();
  if (!q) return [...rows];
  return rows.filter(
    (r) =>
      r.service.toLowerCase().includes(q) ||
      r.namespace.toLowerCase().includes(q),
  );
}

export interface ServicesState {
  range: TimeRange;
  namespaces: string[];
  sort: SortKey;
  dir: 'asc' | 'desc';
  search: string;
}

export function parseServicesState(p: {
  get(name: string): string | null;
}): ServicesState {
  const sort =
    SORT_KEYS.find((k) => k === p.get('sort')) ?? 'requestsPerSecond';
  const dir =
    p.get('dir') === 'asc'
      ? 'asc'
      : p.get('dir') === 'desc'
        ? 'desc'
        : sort === 'service' || sort === 'namespace'
          ? 'asc'
          : 'desc';
  return {
    range: parseTimeRange(p),
    namespaces: (p.get('ns') ?? '').split(',').filter(Boolean),
    sort,
    dir,
    search: p.get('q') ?? '',
  };
}

export function servicesParams(
  patch: Partial<ServicesState>,
): Record<string, string | null> {
  const out: Record<string, string | null> = {};
  if (patch.range) Object.assign(out, timeRangeParams(patch.range));
  if (patch.namespaces)
    out.ns = patch.namespaces.length ? patch.namespaces.join(',') : null;
  if (patch.sort)
    out.sort = patch.sort === 'requestsPerSecond' ? null : patch.sort;
  if (patch.dir) out.dir = patch.dir;
  if (patch.search !== undefined) out.q = patch.search || null;
  return out;
}
