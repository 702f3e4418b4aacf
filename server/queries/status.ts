/** Questions about the store itself: which tables exist and how big they are. */
import type { Db } from '../db/client';
import { queryRows } from './clickhouse';

/**
 * Tables that hold Meshlens's own state rather than telemetry: the migration ledger and the
 * config tables of migrations/0006_config_state.sql. Rows in them do not mean data is flowing.
 * Any other table counts as telemetry, so a new signal's table needs no change here.
 */
const CONFIG_TABLES: ReadonlySet<string> = new Set([
  'meshlens_migrations',
  'alert_rules',
  'alert_state',
  'alert_history',
  'silences',
  'users',
  'api_tokens',
  'settings',
  'webhook_deliveries',
]);

export type TableKind = 'telemetry' | 'config';

/** Whether a table holds telemetry or Meshlens's own state. */
export function tableKind(name: string): TableKind {
  return CONFIG_TABLES.has(name) ? 'config' : 'telemetry';
}

/** One table of our database with its size. */
export interface TableStat {
  name: string;
  kind: TableKind;
  /** Row count; null when ClickHouse does not know it (Distributed, Buffer, Merge tables). */
  rows: number | null;
  /** Bytes on disk (compressed); null when not known, as for rows. */
  bytes: number | null;
}

interface SystemTablesRow {
  name: string;
  total_rows: number | string | null;
  total_bytes: number | string | null;
}

function toCount(v: number | string | null): number | null {
  if (v === null) return null;
  const n = typeof v === 'number' ? v : Number(v);
  return Number.isFinite(n) ? n : null;
}

/**
 * Row and byte counts per table of the Meshlens database, by name. Views are skipped: they hold
 * no rows of their own (a materialized view's rows are counted in its target table).
 * Counts come from part metadata, so this is cheap at any table size.
 */
export async function tableStats(db: Db): Promise<TableStat[]> {
  const rows = await queryRows<SystemTablesRow>(db, {
    what: 'reading table sizes from system.tables',
    query: `SELECT name, total_rows, total_bytes
              FROM system.tables
             WHERE database = {db:String}
               AND engine NOT IN ('MaterializedView', 'View')
             ORDER BY name`,
    params: { db: db.database },
  });
  return rows.map((r) => ({
    name: r.name,
    kind: tableKind(r.name),
    rows: toCount(r.total_rows),
    bytes: toCount(r.total_bytes),
  }));
}
