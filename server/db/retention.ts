/**
 * Keeps table TTLs in step with MESHLENS_TTL_*_DAYS after the tables exist: migrations set the
 * TTL when a table is created, and this changes it (ALTER TABLE ... MODIFY TTL) when the
 * configured retention differs. Which table follows which setting is read from the migration
 * templates themselves (`TTL <expr> + toIntervalDay({{ttl_days:KEY}})`), so there is no list to
 * keep in step.
 */
import type { Db } from './client';
import { readMigrations } from './migrate';
import { splitStatements } from './render-sql';

export interface TtlRule {
  /** Table as named in the templates (the storage table is NAME_local on a cluster). */
  table: string;
  /** The expression before `+ toIntervalDay(...)`, e.g. toDateTime(Timestamp). */
  expression: string;
  /** Key of Config.ttlDays. */
  key: string;
}

/** Every table whose TTL follows a setting, from the migration files. */
export function ttlRules(dir?: string): TtlRule[] {
  const rules: TtlRule[] = [];
  for (const file of readMigrations(dir)) {
    for (const statement of splitStatements(file.sql)) {
      const table =
        /CREATE\s+TABLE\s+(?:IF\s+NOT\s+EXISTS\s+)?\{\{local:(\w+)\}\}/i.exec(
          statement,
        )?.[1];
      const ttl =
        /\bTTL\s+(.+?)\s*\+\s*toIntervalDay\(\{\{ttl_days:(\w+)\}\}\)/s.exec(
          statement,
        );
      if (table && ttl)
        rules.push({ table, expression: ttl[1]!.trim(), key: ttl[2]! });
    }
  }
  return rules;
}

export interface RetentionChange {
  table: string;
  fromDays: number | undefined;
  toDays: number;
}

/** Applies the configured retention to tables whose TTL differs; returns what changed. */
export async function applyRetention(
  db: Db,
  ttlDays: Record<string, number>,
  dir?: string,
): Promise<RetentionChange[]> {
  const changes: RetentionChange[] = [];
  const stored = (table: string) => (db.cluster ? `${table}_local` : table);
  // One look at every table's definition, not one query per table.
  const rs = await db.client.query({
    query: `SELECT name, create_table_query AS q FROM system.tables
            WHERE database = {db:String}`,
    query_params: { db: db.database },
    format: 'JSONEachRow',
  });
  const definitions = new Map(
    (await rs.json<{ name: string; q: string }>()).map((r) => [r.name, r.q]),
  );
  for (const rule of ttlRules(dir)) {
    const days = ttlDays[rule.key];
    if (days === undefined) continue;
    const q = definitions.get(stored(rule.table));
    if (q === undefined) continue;
    const current = /toIntervalDay\((\d+)\)/.exec(q)?.[1];
    const fromDays = current === undefined ? undefined : Number(current);
    if (fromDays === days) continue;
    const onCluster = db.cluster ? ` ON CLUSTER \`${db.cluster}\`` : '';
    // Identifiers come from our own migration files and the validated database name.
    await db.client.command({
      query: `ALTER TABLE \`${db.database}\`.\`${stored(rule.table)}\`${onCluster} MODIFY TTL ${rule.expression} + toIntervalDay(${days})`,
    });
    changes.push({ table: rule.table, fromDays, toDays: days });
  }
  return changes;
}
