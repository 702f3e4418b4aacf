/**
 * The delivery log (webhook_deliveries): one row per try of a notification to a destination,
 * plus a 'pending' row (Attempt 0) written before the first try so a restart can finish the job.
 * Status: pending | ok | retry (failed, another try follows) | dead_letter (failed for good).
 */
import type { Db } from '../db/client';
import { num } from './edge-selection';
import { queryRows } from './clickhouse';
import { chTime, fromChTime, insertRows } from './alerts-write';

export type DeliveryStatus = 'pending' | 'ok' | 'retry' | 'dead_letter';

export interface DeliveryRow {
  timestamp: Date;
  notificationId: string;
  /** `<type> <url>` of the destination. */
  destination: string;
  attempt: number;
  status: DeliveryStatus;
  httpStatus: number;
  error: string;
  /** The body sent (JSON text). */
  payload: string;
}

interface Row {
  Timestamp: string;
  NotificationId: string;
  Destination: string;
  Attempt: number;
  Status: string;
  HttpStatus: number;
  Error: string;
  Payload: string;
}

const toDelivery = (r: Row): DeliveryRow => ({
  timestamp: fromChTime(r.Timestamp),
  notificationId: r.NotificationId,
  destination: r.Destination,
  attempt: num(r.Attempt),
  status: r.Status as DeliveryStatus,
  httpStatus: num(r.HttpStatus),
  error: r.Error,
  payload: r.Payload,
});

export async function logDeliveries(
  db: Db,
  rows: readonly DeliveryRow[],
): Promise<void> {
  await insertRows(
    db,
    'webhook_deliveries',
    rows.map((d) => ({
      Timestamp: chTime(d.timestamp),
      NotificationId: d.notificationId,
      Destination: d.destination,
      Attempt: d.attempt,
      Status: d.status,
      HttpStatus: d.httpStatus,
      Error: d.error.slice(0, 2000),
      Payload: d.payload,
    })),
  );
}

/** The newest row of every (notification, destination) whose delivery is not finished. */
export async function unfinishedDeliveries(
  db: Db,
  sinceMs: number,
): Promise<DeliveryRow[]> {
  const rows = await queryRows<Row>(db, {
    what: 'reading unfinished alert deliveries',
    query: `SELECT * FROM (
              SELECT Timestamp, NotificationId, Destination, Attempt, Status, HttpStatus, Error, Payload
                FROM {db:Identifier}.webhook_deliveries
               WHERE Timestamp >= fromUnixTimestamp64Milli({since:Int64})
               ORDER BY NotificationId, Destination, Attempt DESC, Timestamp DESC
               LIMIT 1 BY NotificationId, Destination)
             WHERE Status IN ('pending', 'retry')`,
    params: { db: db.database, since: sinceMs },
  });
  return rows.map(toDelivery);
}

/** Which of these notification ids already have a delivery row (any destination). */
export async function knownNotifications(
  db: Db,
  ids: readonly string[],
): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const rows = await queryRows<{ NotificationId: string; Destination: string }>(
    db,
    {
      what: 'reading alert deliveries',
      query: `SELECT DISTINCT NotificationId, Destination FROM {db:Identifier}.webhook_deliveries
             WHERE NotificationId IN {ids:Array(String)}`,
      params: { db: db.database, ids: [...ids] },
    },
  );
  return new Set(rows.map((r) => `${r.NotificationId}\n${r.Destination}`));
}

/** Tries, newest first (optionally of one notification). */
export async function listDeliveries(
  db: Db,
  q: { notificationId?: string; sinceMs: number; limit: number },
): Promise<DeliveryRow[]> {
  const rows = await queryRows<Row>(db, {
    what: 'reading the alert delivery log',
    query: `SELECT Timestamp, NotificationId, Destination, Attempt, Status, HttpStatus, Error, Payload
              FROM {db:Identifier}.webhook_deliveries
             WHERE Timestamp >= fromUnixTimestamp64Milli({since:Int64})
               ${q.notificationId !== undefined ? 'AND NotificationId = {nid:String}' : ''}
             ORDER BY Timestamp DESC, Attempt DESC
             LIMIT {limit:UInt32}`,
    params: {
      db: db.database,
      since: q.sinceMs,
      nid: q.notificationId ?? '',
      limit: q.limit,
    },
  });
  return rows.map(toDelivery);
}
