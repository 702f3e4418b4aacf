import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDb, type TempDb } from '~/test/helpers/temp-db';
import { createLease } from './lease';

let t: TempDb;
beforeAll(async () => {
  t = await tempDb();
});
afterAll(async () => {
  await t?.close();
});

const lease = (name: string, holder: string, ttlMs = 60_000) =>
  createLease({ db: t.db, name, holder, ttlMs, settleMs: 50 });

describe('alerts lease (0013_leases)', () => {
  it('lets one replica hold it, renew it, and hand it over on release', async () => {
    const a = lease('handover', 'replica-a');
    const b = lease('handover', 'replica-b');
    expect(await a.tick()).toBe(true);
    expect(await b.tick()).toBe(false);
    expect(await a.tick()).toBe(true);
    expect(await b.tick()).toBe(false);
    await a.release();
    expect(await b.tick()).toBe(true);
    expect(await a.tick()).toBe(false);
  });

  it('gives exactly one of several simultaneous claimants the lease', async () => {
    const replicas = ['r1', 'r2', 'r3', 'r4'].map((h) => lease('race', h));
    const won = await Promise.all(replicas.map((r) => r.tick()));
    expect(won.filter(Boolean)).toHaveLength(1);
    // Every later tick agrees on the same holder.
    const again = await Promise.all(replicas.map((r) => r.tick()));
    expect(again).toEqual(won);
  });

  it('is taken over once the holder stops renewing and its claim expires', async () => {
    const a = lease('expiry', 'replica-a', 300);
    const b = lease('expiry', 'replica-b', 300);
    expect(await a.tick()).toBe(true);
    expect(await b.tick()).toBe(false);
    await new Promise((r) => setTimeout(r, 400));
    expect(await b.tick()).toBe(true);
    expect(await a.tick()).toBe(false);
  });
});
