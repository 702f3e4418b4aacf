/**
 * A lease in a ClickHouse table (migration 0013_leases), so the alerts role can run as several
 * replicas with exactly one evaluating rules at a time. ClickHouse has no compare-and-set on
 * MergeTree tables, so the lease is claimed optimistically:
 *   1. read the newest row of the lease (highest (Version, Holder));
 *   2. if another holder's row has not expired, stand by;
 *   3. otherwise write our row (Version above the one read), wait `settleMs` so rival claims made
 *      at the same moment land, read again: the newest (Version, Holder) is the holder, the
 *      same answer for every replica.
 * A holder renews on every tick and re-checks, so two replicas can overlap for at most one tick
 * (a claim that lands after a rival's re-read); the evaluator's writes are versioned rows, so a
 * doubled tick repeats state, and a notification could go out twice (deliveries are at least once
 * anyway). On a cluster, reads ask for sequential consistency and writes for a quorum, so a
 * replica never decides on a lagging copy of the table.
 */
import os from 'node:os';
import { randomBytes } from 'node:crypto';
import type { Db } from '../db/client';
import { logger } from '../log';

const log = logger('alerts');

export interface LeaseOptions {
  db: Db;
  /** What is leased, e.g. 'alerts-evaluator'. */
  name: string;
  /** How long a claim holds without renewal, in ms (a few evaluation intervals). */
  ttlMs: number;
  /** Wait between writing a claim and reading who won, in ms. */
  settleMs?: number;
  /** This replica's id (default host:pid:random). */
  holder?: string;
}

export interface Lease {
  readonly holder: string;
  /** Claims or renews the lease; true while this replica holds it. */
  tick(now?: Date): Promise<boolean>;
  /** Gives the lease up at once (clean stop), so another replica need not wait for expiry. */
  release(): Promise<void>;
}

interface LeaseRow {
  holder: string;
  expiresMs: number | string;
  version: number | string;
}

export function createLease(opts: LeaseOptions): Lease {
  const { db, name, ttlMs } = opts;
  const settleMs = opts.settleMs ?? 500;
  const holder =
    opts.holder ??
    `${os.hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
  const clustered = db.cluster !== undefined;
  let held = false;

  async function newest(): Promise<LeaseRow | undefined> {
    const rs = await db.client.query({
      query: `SELECT argMax(Holder, (Version, Holder)) AS holder,
                     argMax(toUnixTimestamp64Milli(ExpiresAt), (Version, Holder)) AS expiresMs,
                     max(Version) AS version
              FROM {db:Identifier}.leases WHERE Name = {name:String}
              HAVING count() > 0`,
      query_params: { db: db.database, name },
      format: 'JSONEachRow',
      clickhouse_settings: clustered
        ? { select_sequential_consistency: '1' }
        : {},
    });
    return (await rs.json<LeaseRow>())[0];
  }

  async function write(expiresMs: number, version: number): Promise<void> {
    await db.client.insert({
      table: `${db.database}.leases`,
      values: [
        {
          Name: name,
          Holder: holder,
          ExpiresAt: new Date(expiresMs).toISOString(),
          Version: version,
        },
      ],
      format: 'JSONEachRow',
      clickhouse_settings: clustered ? { insert_quorum: 'auto' } : {},
    });
  }

  const settle = () => new Promise<void>((r) => setTimeout(r, settleMs));

  return {
    holder,
    async tick(now = new Date()) {
      const nowMs = now.getTime();
      const current = await newest();
      const othersValid =
        current !== undefined &&
        current.holder !== holder &&
        Number(current.expiresMs) > nowMs;
      if (othersValid) {
        if (held)
          log.warn({ holder: current.holder }, 'alert evaluator lease lost');
        held = false;
        return false;
      }
      const version = Math.max(Number(current?.version ?? 0) + 1, nowMs);
      await write(nowMs + ttlMs, version);
      // Renewing a lease we hold races nobody (it has not expired); a claim waits for rivals.
      if (
        held &&
        current?.holder === holder &&
        Number(current.expiresMs) > nowMs
      )
        return true;
      await settle();
      const winner = await newest();
      const mine = winner?.holder === holder;
      if (mine !== held)
        log.info(
          { holder: winner?.holder, me: holder },
          mine
            ? 'alert evaluator lease taken: this replica evaluates'
            : 'alert evaluator lease held by another replica',
        );
      held = mine;
      return mine;
    },
    async release() {
      if (!held) return;
      held = false;
      const current = await newest();
      if (current?.holder === holder)
        await write(Date.now(), Number(current.version) + 1).catch(
          (err: unknown) =>
            log.warn(
              { err: (err as Error).message },
              'could not release the alert evaluator lease',
            ),
        );
    },
  };
}
