/**
 * Writes to the alert config tables (alert_rules, alert_state, alert_history, silences,
 * webhook_deliveries): plain inserts of versioned rows. ReplacingMergeTree(Version) keeps the
 * newest Version of each key, and every read here takes the newest explicitly (LIMIT 1 BY), so
 * results never depend on when ClickHouse merges.
 */
import type { Db } from '../db/client';
import { toQueryError } from './clickhouse';

let lastVersion = 0;

/** A strictly increasing version for this process: microseconds since the epoch. */
export function nextVersion(nowMs = Date.now()): number {
  lastVersion = Math.max(lastVersion + 1, nowMs * 1000);
  return lastVersion;
}

/** DateTime64(3) as ClickHouse reads it (UTC). */
export const chTime = (d: Date | number): string =>
  new Date(d).toISOString().replace('T', ' ').replace('Z', '');

/** ClickHouse's DateTime64 text (iso output, or plain) as a Date. */
export function fromChTime(v: unknown): Date {
  const s = String(v);
  return new Date(
    /[zZ]|[+-]\d\d:?\d\d$/.test(s) ? s : `${s.replace(' ', 'T')}Z`,
  );
}

/** Inserts rows into one of our tables, or throws a QueryError. */
export async function insertRows(
  db: Db,
  table: string,
  rows: readonly Record<string, unknown>[],
): Promise<void> {
  if (rows.length === 0) return;
  try {
    await db.client.insert({
      table: `${db.database}.${table}`,
      values: [...rows],
      format: 'JSONEachRow',
    });
  } catch (err) {
    throw toQueryError(err, `writing ${table}`);
  }
}
