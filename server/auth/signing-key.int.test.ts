// Replicas racing at first start end up with one signing key, and the first key written keeps
// winning after later writes and merges (a real embedded engine).
import { afterAll, beforeAll, expect, it } from 'vitest';
import { tempDb, type TempDb } from '~/test/helpers/temp-db';
import { loadOrCreateSigningKey } from './signing-key';

let t: TempDb;
beforeAll(async () => {
  t = await tempDb();
});
afterAll(() => t?.close());

it('gives racing first starts the same key, and keeps it after merges', async () => {
  const [a, b, c] = await Promise.all([
    loadOrCreateSigningKey(t.db),
    loadOrCreateSigningKey(t.db),
    loadOrCreateSigningKey(t.db),
  ]);
  const rows = await t.rows<{ n: string }>(
    `SELECT count() AS n FROM {db:Identifier}.settings WHERE Key = 'auth.signing_key'`,
    { db: t.db.database },
  );
  expect(Number(rows[0]!.n)).toBeGreaterThanOrEqual(2); // they raced: more than one key was written
  expect(Buffer.from(b).equals(Buffer.from(a))).toBe(true);
  expect(Buffer.from(c).equals(Buffer.from(a))).toBe(true);

  await t.rows(`OPTIMIZE TABLE {db:Identifier}.settings FINAL`, {
    db: t.db.database,
  });
  const later = await loadOrCreateSigningKey(t.db);
  expect(Buffer.from(later).equals(Buffer.from(a))).toBe(true);
});
