// The coarse rollups (migration 0010) must give the figures the minute rollups give: the same
// counted requests per edge for a long window, when signals start and stop inside a bucket too.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDb, type TempDb } from '~/test/helpers/temp-db';
import { queryRows } from './clickhouse';
import { MEASURES_SQL, selectedRollups } from './edge-selection';
import { minuteText } from './testing/demo-traffic';
import { resolveWindow } from './traffic-filter';

const MIN = 60_000;
const START = Date.UTC(2025, 0, 1, 9, 50);
const MINUTES = 150; // 09:50 - 12:20
/** Metrics begin at 10:23 (first minute partial: half its count) and stop after 11:46. */
const METRICS_FROM = Date.UTC(2025, 0, 1, 10, 23);
const METRICS_TO = Date.UTC(2025, 0, 1, 11, 47);
const EDGES = [
  ['productpage-v1', 'reviews'],
  ['productpage-v1', 'details'],
  ['reviews-v2', 'ratings'],
] as const;

let t: TempDb;

/** Every minute, every edge carries 10 + edge index requests (1 error); each signal tells it. */
function rows() {
  const out: Record<string, unknown>[] = [];
  for (let i = 0; i < MINUTES; i++) {
    const ms = START + i * MIN;
    EDGES.forEach(([src, dst], e) => {
      const requests = 10 + e;
      const key = {
        Minute: minuteText(ms),
        SourceNamespace: 'bookinfo',
        SourceWorkload: src,
        SourceService: src.split('-')[0],
        DestinationNamespace: 'bookinfo',
        DestinationService: dst,
        DestinationWorkload: `${dst}-v1`,
        Protocol: 'http',
      };
      const signals: [string, number][] = [
        ['access_log', requests],
        ['spans', requests * 2], // sampled and scaled wrongly: must never be chosen here
      ];
      if (ms >= METRICS_FROM && ms < METRICS_TO)
        signals.push([
          'metrics',
          ms === METRICS_FROM ? requests / 2 : requests,
        ]);
      for (const [signal, n] of signals)
        for (const reporter of ['source', 'destination'])
          for (const [code, count] of [
            [200, n - n / 10],
            [503, n / 10],
          ] as const)
            out.push({
              ...key,
              Signal: signal,
              Reporter: reporter,
              ResponseCode: code,
              Requests: count,
              SampledRequests: count,
              DurationBuckets: { '25000': count },
            });
    });
  }
  return out;
}

async function edgeRequests(fromMs: number, toMs: number, coarse: boolean) {
  const w = resolveWindow({ fromMs, toMs, nowMs: toMs });
  const sel = selectedRollups(t.db.database, w, { coarse });
  const got = await queryRows<{ sw: string; dsvc: string; requests: number }>(
    t.db,
    {
      what: 'test',
      query: `${sel.cte}
        SELECT sw, dsvc, ${MEASURES_SQL} FROM selected WHERE chosen
        GROUP BY sw, dsvc ORDER BY sw, dsvc`,
      params: sel.params,
    },
  );
  return got.map((r) => [
    r.sw,
    r.dsvc,
    Math.round(Number(r.requests) * 1e6) / 1e6,
  ]);
}

beforeAll(async () => {
  t = await tempDb({ MESHLENS_TTL_ROLLUPS_DAYS: '3650' });
  await t.db.client.insert({
    table: `${t.db.database}.edge_rollups_1m`,
    values: rows(),
    format: 'JSONEachRow',
  });
});
afterAll(async () => {
  await t?.close();
});

describe('coarse rollups', () => {
  it('are fed from the minute rollups by materialized views', async () => {
    const [c] = await t.rows<{ m10: number; h: number; mask: string }>(
      `SELECT (SELECT toUInt32(count()) FROM {db:Identifier}.edge_rollups_10m) AS m10,
              (SELECT toUInt32(count()) FROM {db:Identifier}.edge_rollups_1h) AS h,
              (SELECT toString(groupBitOr(MinuteMask)) FROM {db:Identifier}.edge_rollups_1h) AS mask`,
    );
    expect(c!.m10).toBeGreaterThan(0);
    expect(c!.h).toBeGreaterThan(0);
    expect(c!.mask).toBe(String((1n << 60n) - 1n));
  });

  it('count what the minutes count, each request once, over windows with ragged ends', async () => {
    for (const [from, to] of [
      [Date.UTC(2025, 0, 1, 9, 57), Date.UTC(2025, 0, 1, 12, 14)],
      [Date.UTC(2025, 0, 1, 10, 3), Date.UTC(2025, 0, 1, 11, 0)],
      [Date.UTC(2025, 0, 1, 10, 0), Date.UTC(2025, 0, 1, 12, 0)],
    ] as const) {
      const minutes = (to - from) / MIN;
      const want = EDGES.map(([src, dst], e) => [src, dst, minutes * (10 + e)]);
      const sortKey = (r: (string | number)[]) => `${r[0]}/${r[1]}`;
      want.sort((a, b) => sortKey(a).localeCompare(sortKey(b)));
      expect(await edgeRequests(from, to, false)).toEqual(want);
      expect(await edgeRequests(from, to, true)).toEqual(want);
    }
  });
});
