// The rule kinds other than error rate, evaluated over rollup rows: request-rate drop and
// spike against the baseline window, mTLS coverage (destination-reported, unknown excluded),
// new plaintext edges, and per-service fan-out; values match the dashboard's count-once figures.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { evaluateRule, type SeriesResult } from '~/server/alerts/evaluate-rule';
import { ruleSpecSchema } from '~/server/alerts/rule-schema';
import {
  insertFaultTraffic,
  faultRollupRows,
} from '~/server/alerts/testing/fault-traffic';
import { tempDb, type TempDb } from '~/test/helpers/temp-db';
import { trafficTotals } from './traffic';
import { alertWindow, scopeFilter } from './alerts-measure';

const MIN = 60_000;
// Recent minutes: rollups older than their TTL (30 days) are dropped on insert.
const BASE = Math.floor(Date.now() / 60_000) * 60_000 - 3 * 3_600_000;
let t: TempDb;

beforeAll(async () => {
  t = await tempDb();
  // reviews -> ratings: 600/min for an hour, then 150/min for 5 minutes (a drop to a quarter).
  const minutes = [];
  for (let k = 0; k < 60; k++)
    minutes.push({ minuteMs: BASE + k * MIN, requests: 600, faultShare: 0 });
  for (let k = 60; k < 65; k++)
    minutes.push({ minuteMs: BASE + k * MIN, requests: 150, faultShare: 0 });
  await insertFaultTraffic(t.db, minutes);
  // legacy (no sidecar) -> productpage, plaintext as the destination reports it, only in the last 5 minutes.
  const plain = [];
  for (let k = 60; k < 65; k++)
    plain.push(
      ...faultRollupRows({
        minuteMs: BASE + k * MIN,
        requests: 60,
        faultShare: 0,
        source: {
          namespace: 'legacy',
          workload: 'legacy-client',
          service: 'legacy-client',
        },
        destination: {
          namespace: 'bookinfo',
          service: 'productpage',
          workload: 'productpage-v1',
        },
      })
        .filter((r) => r.Reporter === 'destination')
        .map((r) => ({ ...r, Mtls: 'no' })),
    );
  await t.db.client.insert({
    table: `${t.db.database}.edge_rollups_1m`,
    values: plain,
    format: 'JSONEachRow',
  });
});
afterAll(async () => {
  await t?.close();
});

const NOW = BASE + 65 * MIN;
const spec = (s: unknown) => ruleSpecSchema.parse(s);

describe('rule kinds over rollups', () => {
  it('request rate: a drop to a quarter fires a 0.5 drop rule, not a spike rule', async () => {
    const scope = {
      type: 'service',
      namespace: 'bookinfo',
      service: 'ratings',
    };
    const [drop] = await evaluateRule(
      t.db,
      spec({
        kind: 'request_rate',
        scope,
        direction: 'drop',
        threshold: 0.5,
        window: '5m',
        baseline: '30m',
      }),
      NOW,
    );
    expect(drop!.value).toBeCloseTo(0.25, 5);
    expect(drop!.active).toBe(true);
    const [spike] = await evaluateRule(
      t.db,
      spec({
        kind: 'request_rate',
        scope,
        direction: 'spike',
        threshold: 2,
        window: '5m',
        baseline: '30m',
      }),
      NOW,
    );
    expect(spike!.active).toBe(false);
  });

  it('error ratio equals the dashboard figure for the same scope and window', async () => {
    await insertFaultTraffic(t.db, [
      { minuteMs: BASE + 70 * MIN, requests: 1000, faultShare: 0.03 },
    ]);
    const s = spec({
      kind: 'error_rate',
      scope: { type: 'service', namespace: 'bookinfo', service: 'ratings' },
      threshold: 0.01,
      window: '1m',
    });
    const [r] = await evaluateRule(t.db, s, BASE + 71 * MIN);
    const totals = await trafficTotals(
      t.db,
      alertWindow(BASE + 71 * MIN, MIN, BASE + 71 * MIN),
      scopeFilter(s.scope),
    );
    expect(r!.value).toBeCloseTo(totals.errors / totals.requests, 9);
    expect(r!.value).toBeCloseTo(0.03, 5);
    expect(r!.requests).toBe(1000);
  });

  it('mTLS coverage below: per service, from destination reports', async () => {
    const results = await evaluateRule(
      t.db,
      spec({
        kind: 'mtls_coverage_below',
        scope: { type: 'namespace', namespace: 'bookinfo' },
        groupBy: 'service',
        threshold: 0.99,
        window: '5m',
      }),
      NOW,
    );
    const by: Record<string, SeriesResult> = Object.fromEntries(
      results.map((r) => [r.labels.service ?? '', r]),
    );
    expect(by.ratings!.value).toBe(1);
    expect(by.ratings!.active).toBe(false);
    expect(by.productpage!.value).toBe(0);
    expect(by.productpage!.active).toBe(true);
  });

  it('new plaintext edge: fires for an edge with no plaintext before, not once it is old', async () => {
    const s = spec({
      kind: 'new_plaintext_edge',
      scope: { type: 'mesh' },
      window: '5m',
      baseline: '1h',
    });
    const now = await evaluateRule(t.db, s, NOW);
    const active = now.filter((r) => r.active);
    expect(active.map((r) => r.labels)).toEqual([
      {
        source_namespace: 'legacy',
        source_service: 'legacy-client',
        destination_namespace: 'bookinfo',
        destination_service: 'productpage',
      },
    ]);
    expect(active[0]!.value).toBe(300);
    // Four minutes later the baseline (the hour before the window) holds plaintext traffic of
    // the same edge: it is not new any more.
    const later = await evaluateRule(t.db, s, NOW + 4 * MIN);
    expect(later.filter((r) => r.active)).toEqual([]);
  });

  it('latency percentile and response-flag rate on one edge: p99 from the buckets, FI share but no UO', async () => {
    // reviews-v2 -> ratings, one minute: 1000 requests, 4 % aborted (FI); 20 slow (1-2.5 s bucket).
    const minuteMs = BASE + 90 * MIN;
    const rows = faultRollupRows({
      minuteMs,
      requests: 1000,
      faultShare: 0.04,
    }).map((r) =>
      r.ResponseFlags === 'FI'
        ? r
        : { ...r, DurationBuckets: { '5000': 940, '2500000': 20 } },
    );
    await t.db.client.insert({
      table: `${t.db.database}.edge_rollups_1m`,
      values: rows,
      format: 'JSONEachRow',
    });
    const scope = {
      type: 'edge',
      source: { namespace: 'bookinfo', service: 'reviews' },
      destination: { namespace: 'bookinfo', service: 'ratings' },
    };
    const at = minuteMs + MIN;
    const [p99] = await evaluateRule(
      t.db,
      spec({
        kind: 'latency_percentile',
        scope,
        threshold: 1000,
        window: '1m',
      }),
      at,
    );
    // rank 990 of 1000 lies half-way into the (1000 ms, 2500 ms] bucket.
    expect(p99!.value).toBeCloseTo(1750, 6);
    expect(p99!.active).toBe(true);
    expect(p99!.labels).toEqual({
      source_namespace: 'bookinfo',
      source_service: 'reviews',
      destination_namespace: 'bookinfo',
      destination_service: 'ratings',
    });
    const [p50] = await evaluateRule(
      t.db,
      spec({
        kind: 'latency_percentile',
        scope,
        percentile: 0.5,
        threshold: 1000,
        window: '1m',
      }),
      at,
    );
    expect(p50!.value).toBeLessThan(5);
    expect(p50!.active).toBe(false);

    const flags = (f: string[]) =>
      spec({
        kind: 'response_flag_rate',
        scope,
        flags: f,
        threshold: 0.02,
        window: '1m',
      });
    const [fi] = await evaluateRule(t.db, flags(['FI']), at);
    expect(fi!.value).toBeCloseTo(0.04, 9);
    expect(fi!.requests).toBe(1000);
    expect(fi!.active).toBe(true);
    const [uo] = await evaluateRule(t.db, flags(['UO', 'URX']), at);
    expect(uo!.value).toBe(0);
    expect(uo!.active).toBe(false);
    // Too few requests to judge: minRequests holds the rule back.
    const [few] = await evaluateRule(
      t.db,
      spec({ ...flags(['FI']), minRequests: 5000 }),
      at,
    );
    expect(few!.active).toBe(false);
  });
});
