/**
 * Every decision the overview makes about status data, as pure functions: what to lead with,
 * how counts and sizes read, what each listener serves. Components only render the result.
 */
import type { RouterOutputs } from '../../_trpc/client';

export type StatusOverview = RouterOutputs['status']['overview'];
export type Listener = StatusOverview['listeners'][number];
export type TableStat = StatusOverview['tables'][number];

export interface TableRowView {
  name: string;
  rows: string;
  bytes: string;
  /** Row count for sorting and emphasis; null when ClickHouse does not know it. */
  rowCount: number | null;
  /** Why a count is missing, for a tooltip; empty when it is known. */
  note: string;
}

export interface TablesSummary {
  /** Tables that receive telemetry, by name. */
  telemetry: TableRowView[];
  /** Meshlens's own state (migration ledger, alert rules, users...), by name. */
  config: TableRowView[];
  /** Totals over the telemetry tables whose counts are known. */
  totalRows: string;
  totalBytes: string;
  /** True when a telemetry table holds a row: the overview then leads with the counts. */
  hasData: boolean;
}

const countFormat = new Intl.NumberFormat('en-US');

/** 1234567 -> "1,234,567"; null -> "—" (unknown, not zero). */
export function formatCount(n: number | null): string {
  return n === null ? '—' : countFormat.format(n);
}

const byteUnits = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'] as const;

/** Bytes in binary units with 3 significant digits: 1536 -> "1.50 KiB"; null -> "—". */
export function formatBytes(bytes: number | null): string {
  if (bytes === null) return '—';
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < byteUnits.length - 1) {
    value /= 1024;
    unit += 1;
  }
  const digits = unit === 0 ? 0 : value < 10 ? 2 : value < 100 ? 1 : 0;
  return `${value.toFixed(digits)} ${byteUnits[unit]}`;
}

function toRowView(t: TableStat): TableRowView {
  return {
    name: t.name,
    rows: formatCount(t.rows),
    bytes: formatBytes(t.bytes),
    rowCount: t.rows,
    note:
      t.rows === null
        ? 'ClickHouse keeps no count for this engine (e.g. Distributed): see the local tables'
        : '',
  };
}

/**
 * Table rows for the Data panel, telemetry apart from Meshlens's own state, and totals over
 * the telemetry tables whose counts are known (unknown counts are not taken as zero rows:
 * they are left out of the total).
 */
export function summarizeTables(tables: readonly TableStat[]): TablesSummary {
  const telemetry = tables.filter((t) => t.kind === 'telemetry');
  const totalRows = telemetry.reduce((sum, t) => sum + (t.rows ?? 0), 0);
  const totalBytes = telemetry.reduce((sum, t) => sum + (t.bytes ?? 0), 0);
  return {
    telemetry: telemetry.map(toRowView),
    config: tables.filter((t) => t.kind === 'config').map(toRowView),
    totalRows: formatCount(totalRows),
    totalBytes: formatBytes(totalBytes),
    hasData: totalRows > 0,
  };
}

/** What each listener serves when the process did not say (defaults from DESIGN.md). */
const defaultServes: Record<Listener['name'], string[]> = {
  web: ['UI', '/api/trpc', '/metrics', '/healthz', '/readyz'],
  'otlp-grpc': [
    'OTLP gRPC: traces, logs, metrics',
    'Envoy AccessLogService (ALS)',
  ],
  'otlp-http': [
    '/v1/traces',
    '/v1/logs',
    '/v1/metrics',
    '/api/v1/write (Prometheus remote_write)',
    '/v1/envoy/logs (access-log push)',
  ],
  zipkin: ['/api/v2/spans (Zipkin v2 JSON)'],
};

const listenerTitles: Record<Listener['name'], string> = {
  web: 'Web UI and API',
  'otlp-grpc': 'OTLP gRPC',
  'otlp-http': 'OTLP HTTP',
  zipkin: 'Zipkin',
};

const listenerOrder: Listener['name'][] = [
  'otlp-grpc',
  'otlp-http',
  'zipkin',
  'web',
];

export interface ListenerView {
  name: Listener['name'];
  title: string;
  url: string;
  serves: string[];
}

/** Listeners in the order an operator needs them (ingest first), with what each serves. */
export function describeListeners(
  listeners: readonly Listener[],
): ListenerView[] {
  return [...listeners]
    .sort(
      (a, b) => listenerOrder.indexOf(a.name) - listenerOrder.indexOf(b.name),
    )
    .map((l) => ({
      name: l.name,
      title: listenerTitles[l.name],
      url: l.url,
      serves: l.serves.length > 0 ? l.serves : defaultServes[l.name],
    }));
}

/** The listener with that name, if this process runs it. */
export function findListener(
  listeners: readonly Listener[],
  name: Listener['name'],
): Listener | undefined {
  return listeners.find((l) => l.name === name);
}

/** The port of a listener URL ("http://127.0.0.1:4318" -> 4318), or the fallback. */
export function portOf(url: string | undefined, fallback: number): number {
  if (!url) return fallback;
  const match = /:(\d+)(?:\/|$)/.exec(url.replace(/^[a-z]+:\/\//, ''));
  return match?.[1] ? Number(match[1]) : fallback;
}

/** The host of a listener URL ("grpc://10.0.0.5:4317" -> "10.0.0.5"), brackets removed. */
export function hostOf(url: string | undefined): string | undefined {
  if (!url) return undefined;
  const match = /^[a-z]+:\/\/(\[[^\]]+\]|[^:/]+)/.exec(url);
  return match?.[1]?.replace(/^\[|\]$/g, '');
}
