/**
 * Time window and filters of a traffic query, turned into bound parameters and fixed SQL
 * fragments over the columns of `selected` (edge-selection.ts). Values only ever travel as
 * parameters; the SQL text is chosen from the constants below, never built from input.
 */

const MINUTE_MS = 60_000;

/** A query window in epoch ms; `nowMs` caps rates so a live window is not diluted by the future. */
export interface WindowInput {
  fromMs: number;
  toMs: number;
  nowMs?: number;
}

/** The whole minutes a window reads and the seconds its rates are divided by. */
export interface ResolvedWindow {
  /** Start of the first minute read (epoch ms). */
  startMs: number;
  /** End of the last minute read (exclusive, epoch ms). */
  endMs: number;
  /** Seconds covered: from startMs to endMs, or to now when the window reaches the present. */
  seconds: number;
}

/**
 * Rollups are per minute: a window reads every minute it touches. Rates divide by the time those
 * minutes cover, up to now for the minute in progress (whose data is still arriving).
 */
export function resolveWindow(w: WindowInput): ResolvedWindow {
  if (!(w.toMs > w.fromMs))
    throw new RangeError('the window must end after it starts');
  const startMs = Math.floor(w.fromMs / MINUTE_MS) * MINUTE_MS;
  const endMs = Math.ceil(w.toMs / MINUTE_MS) * MINUTE_MS;
  const now = w.nowMs ?? Date.now();
  const coveredEnd = Math.max(startMs + 1000, Math.min(endMs, now));
  return { startMs, endMs, seconds: (coveredEnd - startMs) / 1000 };
}

/** Database and window as DateTime parameters (epoch seconds): {db}, {from}, {to}. */
export function windowParams(
  db: string,
  w: ResolvedWindow,
): Record<string, unknown> {
  return {
    db,
    from: Math.floor(w.startMs / 1000),
    to: Math.floor(w.endMs / 1000),
  };
}

/** One side of an edge; every given field must match. '' matches unknown peers. */
export interface PeerMatch {
  namespace?: string | undefined;
  workload?: string | undefined;
  service?: string | undefined;
  version?: string | undefined;
}

export interface TrafficFilter {
  /** Traffic with either end in one of these namespaces. */
  namespaces?: readonly string[] | undefined;
  protocols?: readonly string[] | undefined;
  /** Traffic INTO services of these namespaces (service lists). */
  destinationNamespaces?: readonly string[] | undefined;
  /** Traffic with either end in this cluster. */
  cluster?: string | undefined;
  source?: PeerMatch | undefined;
  destination?: PeerMatch | undefined;
}

const SIDES = {
  source: {
    namespace: 'sns',
    workload: 'sw',
    service: 'ssvc',
    version: 'sver',
  },
  destination: {
    namespace: 'dns',
    workload: 'dw',
    service: 'dsvc',
    version: 'dver',
  },
} as const;

type Field = keyof PeerMatch;
const FIELDS: readonly Field[] = [
  'namespace',
  'workload',
  'service',
  'version',
];

export interface FilterSql {
  /** ` AND ...` conditions on `selected` (empty string for none). */
  sql: string;
  /** The part that may narrow the rows read (selectedRollupsCte): the destination service. */
  baseSql: '' | ' AND dsvc = {f_destination_service:String}';
  params: Record<string, unknown>;
}

/** The WHERE conditions (to append after a leading condition) and their parameters. */
export function filterSql(f: TrafficFilter): FilterSql {
  const parts: string[] = [];
  const params: Record<string, unknown> = {};
  if (f.namespaces && f.namespaces.length > 0) {
    parts.push(
      '(sns IN {f_namespaces:Array(String)} OR dns IN {f_namespaces:Array(String)})',
    );
    params.f_namespaces = [...f.namespaces];
  }
  if (f.destinationNamespaces && f.destinationNamespaces.length > 0) {
    parts.push('dns IN {f_dns:Array(String)}');
    params.f_dns = [...f.destinationNamespaces];
  }
  if (f.protocols && f.protocols.length > 0) {
    parts.push('proto IN {f_protocols:Array(String)}');
    params.f_protocols = [...f.protocols];
  }
  if (f.cluster !== undefined && f.cluster !== '') {
    parts.push('(scl = {f_cluster:String} OR dcl = {f_cluster:String})');
    params.f_cluster = f.cluster;
  }
  for (const side of ['source', 'destination'] as const) {
    const match = f[side];
    if (!match) continue;
    for (const field of FIELDS) {
      const value = match[field];
      if (value === undefined) continue;
      const column = SIDES[side][field];
      const name = `f_${side}_${field}`;
      parts.push(`${column} = {${name}:String}`);
      params[name] = value;
    }
  }
  const baseSql =
    f.destination?.service !== undefined
      ? ' AND dsvc = {f_destination_service:String}'
      : '';
  return { sql: parts.map((p) => ` AND ${p}`).join(''), baseSql, params };
}

/** Step of a time series: whole minutes, about `points` points over the window. */
export function seriesStepSeconds(w: ResolvedWindow, points = 60): number {
  const span = (w.endMs - w.startMs) / 1000;
  const raw = Math.max(60, span / points);
  const nice = [
    60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600, 43200, 86400,
  ];
  return nice.find((s) => s >= raw) ?? 86400;
}
