/**
 * The HMAC key that signs session cookies, login state and embed tokens (HS256 via jose).
 * Made at first start and kept in the `settings` table, so every process of one installation
 * (web, alerts, a restart) signs and verifies with the same key. When two processes race at
 * first start, both re-read after writing and use the newest row, so they agree.
 */
import { randomBytes } from 'node:crypto';
import type { Db } from '../db/client';
import { queryRows, toQueryError } from '../queries/clickhouse';

const KEY = 'auth.signing_key';
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

async function loadOrCreate(db: Db): Promise<Uint8Array> {
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
            Version: Date.now() * 1000,
          },
        ],
      });
    } catch (err) {
      throw toQueryError(err, 'writing the signing key to settings');
    }
    value = await readKey(db);
  }
  if (!value) throw new Error('the signing key could not be stored');
  return new Uint8Array(Buffer.from(value, 'base64url'));
}

/** The installation's signing key (loaded once per process). */
export function signingKey(db: Db): Promise<Uint8Array> {
  if (!holder.__meshlensSigningKey) {
    const loading = loadOrCreate(db);
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
