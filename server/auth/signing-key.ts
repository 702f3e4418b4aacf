/**
 * The HMAC key that signs session cookies, login state and embed tokens (HS256 via jose).
 * Made at first start and kept in the `settings` table, so every process of one installation
 * (web, alerts, a restart) signs and verifies with the same key. `--migrate-only` makes it, so
 * replicas started after the migrate job find it. When processes still race at first start, the
 * FIRST key written wins: its Version counts down from the epoch (the table keeps the highest
 * Version per key, also after merges), and each writer waits for the others' writes to land
 * before it re-reads, so every replica ends up with the same key.
 */
import { randomBytes } from 'node:crypto';
import type { Db } from '../db/client';
import { queryRows, toQueryError } from '../queries/clickhouse';

const KEY = 'auth.signing_key';
/** Versions count down from here, so an earlier write outranks a later one. */
const VERSION_CEILING = 2n ** 63n;
/** How long a first writer waits for a racing writer's insert before it re-reads. */
const SETTLE_MS = 1_500;
const holder = globalThis as unknown as {
  __meshlensSigningKey?: Promise<Uint8Array>;
};

async function readKey(db: Db): Promise<string | undefined> {
  const [row] = await queryRows<{ Value: string }>(db, {
    what: 'reading the signing key from settings',
    query: `SELECT Value FROM {db:Identifier}.settings WHERE Key = {key:String}
             ORDER BY Version DESC LIMIT 1`,
    params: { db: db.database, key: KEY },
  });
  return row?.Value;
}

/** Reads the key, making it when there is none (not cached: see `signingKey`). */
export async function loadOrCreateSigningKey(db: Db): Promise<Uint8Array> {
  let value = await readKey(db);
  if (!value) {
    try {
      await db.client.insert({
        table: `${db.database}.settings`,
        format: 'JSONEachRow',
        values: [
          {
            Key: KEY,
            Value: randomBytes(32).toString('base64url'),
            Version: String(VERSION_CEILING - BigInt(Date.now()) * 1000n),
          },
        ],
      });
    } catch (err) {
      throw toQueryError(err, 'writing the signing key to settings');
    }
    await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
    value = await readKey(db);
  }
  if (!value) throw new Error('the signing key could not be stored');
  return new Uint8Array(Buffer.from(value, 'base64url'));
}

/** The installation's signing key (loaded once per process). */
export function signingKey(db: Db): Promise<Uint8Array> {
  if (!holder.__meshlensSigningKey) {
    const loading = loadOrCreateSigningKey(db);
    holder.__meshlensSigningKey = loading;
    loading.catch(() => {
      holder.__meshlensSigningKey = undefined;
    });
  }
  return holder.__meshlensSigningKey;
}

/** For tests that switch databases within one process. */
export function forgetSigningKey(): void {
  holder.__meshlensSigningKey = undefined;
}
