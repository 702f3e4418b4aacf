// The topology answer is cached while the rollup rows of its window are unchanged: a repeated
// read reuses it, rows written into the window (or the minute before it) replace it, rows
// written elsewhere do not, and `fresh` recomputes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDb, type TempDb } from '~/test/helpers/temp-db';
import { rollupVersion } from './rollup-cache';
import { topologyGraph } from './topology';

let t: TempDb;
const BASE_MS = Date.UTC(2025, 0, 1, 10, 0, 0);
const MIN = 60_000;
const window = {
  fromMs: BASE_MS,
  toMs: BASE_MS + 30 * MIN,
  nowMs: BASE_MS + 120 * MIN,
};

function minute(ms: number): string {
  return new Date(ms).toISOString().slice(0, 19).replace('T', ' ');
}

/** Source-reported metrics: productpage -> reviews, `requests` in the minute at `ms`. */
async function write(ms: number, requests: number): Promise<void> {
  await t.db.client.insert({
    table: `${t.db.database}.edge_rollups_1m`,
    values: [
      {
        Minute: minute(ms),
        Signal: 'metrics',
        Reporter: 'source',
        SourceNamespace: 'bookinfo',
        SourceWorkload: 'productpage-v1',
        SourceService: 'productpage',
        SourceVersion: 'v1',
        DestinationNamespace: 'bookinfo',
        DestinationWorkload: 'reviews-v1',
        DestinationService: 'reviews',
        DestinationVersion: 'v1',
        Protocol: 'http',
        Mtls: 'unknown',
        ResponseCode: 200,
        Requests: requests,
        DurationBuckets: { '25000': requests },
        SampledRequests: requests,
      },
    ],
    format: 'JSONEachRow',
  });
}

const requestsOf = (g: Awaited<ReturnType<typeof topologyGraph>>) =>
  g.edges
    .filter((e) => e.source.includes('productpage') && !e.inferred)
    .map((e) => e.requests);

beforeAll(async () => {
  t = await tempDb({ MESHLENS_TTL_ROLLUPS_DAYS: '3650' });
});
afterAll(async () => {
  await t?.close();
});

describe('topology answer cache', () => {
  it('knows a range without rollup rows is empty', async () => {
    const v = await rollupVersion(t.db, window.fromMs, window.toMs);
    expect(v?.empty).toBe(true);
    const g = await topologyGraph(t.db, window);
    expect(g.nodes).toEqual([]);
    expect(g.edges).toEqual([]);
  });

  it('still says the schema is missing rather than answering empty', async () => {
    await expect(
      topologyGraph({ ...t.db, database: 'no_such_database' }, window),
    ).rejects.toMatchObject({ kind: 'missing-schema' });
  });

  it('reuses the answer while the window rows are unchanged, and only then', async () => {
    await write(BASE_MS + 5 * MIN, 100);
    const first = await topologyGraph(t.db, window);
    expect(requestsOf(first)).toEqual([100]);
    expect(await topologyGraph(t.db, window)).toBe(first);

    // another graph type or filter is another answer
    const service = await topologyGraph(t.db, {
      ...window,
      graphType: 'service',
    });
    expect(service).not.toBe(first);
    expect(service.type).toBe('service');

    // rows outside the window (and its minute before) leave the answer current
    await write(BASE_MS + 90 * MIN, 7);
    expect(await topologyGraph(t.db, window)).toBe(first);

    // rows inside the window replace it
    await write(BASE_MS + 20 * MIN, 50);
    const second = await topologyGraph(t.db, window);
    expect(second).not.toBe(first);
    expect(requestsOf(second)).toEqual([150]);

    // fresh recomputes the same figures
    const fresh = await topologyGraph(t.db, { ...window, fresh: true });
    expect(fresh).not.toBe(second);
    expect(fresh).toEqual(second);
  });

  it('follows merges and deletions of the window rows', async () => {
    const before = await topologyGraph(t.db, window);
    await t.db.client.command({
      query: 'OPTIMIZE TABLE {db:Identifier}.edge_rollups_1m FINAL',
      query_params: { db: t.db.database },
    });
    const merged = await topologyGraph(t.db, window);
    expect(merged).not.toBe(before);
    expect(requestsOf(merged)).toEqual(requestsOf(before));

    // the window is read from 10-minute buckets (rollup-levels.ts): drop the one of minute 20
    for (const table of ['edge_rollups_1m', 'edge_rollups_10m'])
      await t.db.client.command({
        query: `ALTER TABLE {db:Identifier}.{table:Identifier} DELETE
                 WHERE Minute >= {m:DateTime} AND Minute < {m:DateTime} + 600
                 SETTINGS mutations_sync = 1`,
        query_params: {
          db: t.db.database,
          table,
          m: Math.floor((BASE_MS + 20 * MIN) / 1000),
        },
      });
    expect(requestsOf(await topologyGraph(t.db, window))).toEqual([100]);
  });
});
