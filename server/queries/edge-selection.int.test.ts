// The counting rules run inside ClickHouse (edge-selection.ts); here they must agree with the
// reference implementation (server/topology/count-once.ts) row by row, on random rollup rows.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDb, type TempDb } from '~/test/helpers/temp-db';
import {
  canonicalService,
  known,
  selectRows,
  type SelectableRow,
} from '../topology/count-once';
import { selectedRollups } from './edge-selection';

let t: TempDb;
const BASE_MS = Date.UTC(2025, 0, 1, 10, 0, 0);

/** A tiny deterministic PRNG (mulberry32). */
function rng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let x = Math.imul(a ^ (a >>> 15), 1 | a);
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}

interface Raw {
  Minute: string;
  Signal: string;
  Reporter: string;
  SourceNamespace: string;
  SourceWorkload: string;
  DestinationNamespace: string;
  DestinationService: string;
  Protocol: string;
  ResponseCode: number;
  Requests: number;
}

function randomRows(n: number, seed: number): Raw[] {
  const r = rng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
  const sources = [
    ['bookinfo', 'productpage-v1'],
    ['istio-system', 'istio-ingressgateway'],
    ['', ''],
    ['unknown', 'unknown'],
    ['bookinfo', 'reviews-v2'],
  ];
  const rows: Raw[] = [];
  for (let i = 0; i < n; i++) {
    const [ns, wl] = pick(sources);
    rows.push({
      Minute: new Date(BASE_MS + Math.floor(r() * 3) * 60_000)
        .toISOString()
        .slice(0, 19)
        .replace('T', ' '),
      Signal: pick(['metrics', 'access_log', 'spans']),
      Reporter: pick(['source', 'destination']),
      SourceNamespace: ns!,
      SourceWorkload: wl!,
      DestinationNamespace: pick(['bookinfo', 'bookinfo', 'unknown']),
      DestinationService: pick([
        'reviews',
        'productpage',
        'ratings',
        'productpage.bookinfo',
      ]),
      Protocol: pick(['http', 'grpc']),
      // Unique per row: the row's identity, so the SQL result joins back to it.
      ResponseCode: 1000 + i,
      Requests: 1 + Math.floor(r() * 10),
    });
  }
  return rows;
}

function asSelectable(r: Raw): SelectableRow {
  const sw = known(r.SourceWorkload);
  return {
    minute: r.Minute,
    signal: r.Signal,
    reporter: r.Reporter,
    sourceWorkload: sw,
    sourceNamespace: sw === '' ? '' : known(r.SourceNamespace),
    destinationNamespace: known(r.DestinationNamespace),
    destinationService: canonicalService(
      r.DestinationService,
      known(r.DestinationNamespace),
    ),
    protocol: r.Protocol,
  };
}

beforeAll(async () => {
  t = await tempDb({ MESHLENS_TTL_ROLLUPS_DAYS: '3650' });
});
afterAll(async () => {
  await t?.close();
});

describe('edge selection in ClickHouse', () => {
  it('flags the same rows as counted and chosen as the reference rules, on 3 random seeds', async () => {
    for (const seed of [1, 2, 3]) {
      await t.db.client.command({
        query: 'TRUNCATE TABLE {db:Identifier}.edge_rollups_1m',
        query_params: { db: t.db.database },
      });
      const rows = randomRows(400, seed);
      await t.db.client.insert({
        table: `${t.db.database}.edge_rollups_1m`,
        values: rows,
        format: 'JSONEachRow',
      });
      const sel = selectedRollups(
        t.db.database,
        { startMs: BASE_MS, endMs: BASE_MS + 3 * 60_000, seconds: 180 },
        { coarse: false },
      );
      const sql = await t.rows<{
        code: number;
        counted: number;
        chosen: number;
      }>(
        `${sel.cte} SELECT code, counted, chosen FROM selected ORDER BY code`,
        sel.params,
      );
      const expected = selectRows(rows.map(asSelectable));
      expect(sql.length).toBe(rows.length);
      const mismatches = sql.filter((s) => {
        const e = expected[s.code - 1000]!;
        return (
          Boolean(s.counted) !== e.counted || Boolean(s.chosen) !== e.chosen
        );
      });
      expect(mismatches).toEqual([]);
      // The random rows exercise every branch.
      expect(
        expected.some((e) => e.counted) &&
          expected.some((e) => !e.counted && e.chosen) &&
          expected.some((e) => !e.chosen),
      ).toBe(true);
    }
  });
});
