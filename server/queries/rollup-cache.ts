/**
 * An in-process cache of answers computed from the edge rollups, valid exactly as long as the
 * rows they were computed from: each answer is stored with the version of the rollup data of its
 * time range, i.e. the names of the active parts of edge_rollups_1m/10m/1h whose Minute range
 * overlaps it (system.parts; an insert, merge, mutation or TTL drop touching the range changes
 * that list, since part names are never reused). A later read of the same key with the same
 * version gets the stored answer; any other version recomputes. Reading the version costs a few
 * ms, against ~0.1-1 s for the topology query it saves; a range no part overlaps is known empty
 * without running the query at all.
 * Concurrent reads of one key share one computation. Entries live `MAX_AGE_MS` at most, and at
 * most `MAX_ENTRIES` are kept (least recently used first out). Answers are shared between
 * callers: they must not be mutated.
 * Not used on a cluster (system.parts lists one node's parts), nor where system.parts cannot be
 * read: there every read computes.
 */
import type { Db } from '../db/client';
import { queryRows } from './clickhouse';

const TABLES = ['edge_rollups_1m', 'edge_rollups_10m', 'edge_rollups_1h'];
const MAX_ENTRIES = 16;
const MAX_AGE_MS = 5 * 60_000;

/** What the rollup parts say about a time range. */
export interface RollupVersion {
  /** Sorted `table/part/rows` of the active parts overlapping the range. */
  version: string;
  /** No part overlaps the range: every read of it is empty. */
  empty: boolean;
}

interface Entry {
  version: string;
  storedAt: number;
  value: Promise<unknown>;
}

const entries = new Map<string, Entry>();

/** The version of the rollup rows with Minute in [fromMs, toMs); null where it cannot be known. */
export async function rollupVersion(
  db: Db,
  fromMs: number,
  toMs: number,
): Promise<RollupVersion | null> {
  if (db.cluster) return null;
  const rows = await queryRows<{ parts: string[]; tables: number }>(db, {
    what: 'reading which rollup parts cover the window',
    query: `SELECT
      (SELECT arraySort(groupArray(concat(table, '/', name, '/', toString(rows))))
         FROM system.parts
        WHERE database = {db:String} AND table IN {tables:Array(String)} AND active
          AND max_time >= {from:DateTime} AND min_time < {to:DateTime}) AS parts,
      (SELECT toUInt32(count()) FROM system.tables
        WHERE database = {db:String} AND name IN {tables:Array(String)}) AS tables`,
    params: {
      db: db.database,
      tables: TABLES,
      from: Math.floor(fromMs / 1000),
      to: Math.floor(toMs / 1000),
    },
  }).catch(() => null); // e.g. no grant on system.parts: answer uncached
  // without the tables, the query itself says what is wrong (missing-schema)
  if (rows === null || rows[0]?.tables !== TABLES.length) return null;
  const parts = rows[0].parts;
  return { version: parts.join(','), empty: parts.length === 0 };
}

export interface CachedRead<T> {
  /** Everything the answer depends on besides the rollup rows (database, window, filters...). */
  key: string;
  /** The Minute range [fromMs, toMs) of every rollup row the answer may read. */
  fromMs: number;
  toMs: number;
  /** Compute even when a stored answer is current (the answer is stored again). */
  fresh?: boolean;
  /** The answer when no rollup row lies in the range (no query runs). */
  whenEmpty: () => T;
  compute: () => Promise<T>;
}

/** The stored answer for `key` if the range's rollup rows are unchanged, else a computed one. */
export async function cachedRead<T>(db: Db, r: CachedRead<T>): Promise<T> {
  const v = await rollupVersion(db, r.fromMs, r.toMs);
  if (v === null) return r.compute();
  if (v.empty) return r.whenEmpty();
  const now = Date.now();
  const hit = entries.get(r.key);
  if (
    !r.fresh &&
    hit &&
    hit.version === v.version &&
    now - hit.storedAt < MAX_AGE_MS
  ) {
    entries.delete(r.key); // re-insert: most recently used last
    entries.set(r.key, hit);
    return hit.value as Promise<T>;
  }
  const value = r.compute();
  const entry: Entry = { version: v.version, storedAt: now, value };
  entries.delete(r.key);
  entries.set(r.key, entry);
  while (entries.size > MAX_ENTRIES) {
    const oldest = entries.keys().next().value;
    if (oldest === undefined) break;
    entries.delete(oldest);
  }
  value.catch(() => {
    if (entries.get(r.key) === entry) entries.delete(r.key);
  });
  return value;
}
