// The topology's locks and the mTLS view agree edge by edge (docs/mtls.md), also where only
// access logs carry the evidence: inbound lines name no caller (the view finds it by address),
// and client-side lines' evidence is never used. The demo mesh's traffic, as access logs with
// TLS fields (some callers without a sidecar, some plaintext), read by both.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DEFAULT_SCENARIO_PATH,
  generateWindow,
  loadScenario,
} from '~/collectors/demo';
import { mtlsCoverage } from '~/server/mtls/coverage';
import { tlsAccessLogRows } from '~/server/mtls/testing/tls-access-logs';
import { tempDb, type TempDb } from '~/test/helpers/temp-db';
import { topologyGraph } from './topology';

const MIN = 60_000;
const window = {
  fromMs: Date.UTC(2025, 0, 1, 10, 20),
  toMs: Date.UTC(2025, 0, 1, 10, 25),
  nowMs: Date.UTC(2025, 0, 1, 23, 0),
};

let t: TempDb;

beforeAll(async () => {
  t = await tempDb({
    MESHLENS_TTL_ROLLUPS_DAYS: '3650',
    MESHLENS_TTL_REQUESTS_DAYS: '3650',
  });
  const scenario = loadScenario(DEFAULT_SCENARIO_PATH);
  const reqs = generateWindow(scenario, window.fromMs, window.toMs + MIN, 11);
  const rows = tlsAccessLogRows(reqs);
  for (let i = 0; i < rows.length; i += 20_000)
    await t.db.client.insert({
      table: `${t.db.database}.mesh_requests`,
      values: rows.slice(i, i + 20_000),
      format: 'JSONEachRow',
    });
}, 240_000);

afterAll(async () => {
  await t?.close();
});

describe('topology locks from access logs', () => {
  it('are the mTLS view’s, edge by edge', async () => {
    const [graph, view] = await Promise.all([
      topologyGraph(t.db, { ...window, graphType: 'workload' }),
      mtlsCoverage(t.db, window),
    ]);
    // caller workload -> destination service, as the view names its edges
    const lockOf = new Map(
      graph.edges
        .filter(
          (e) => e.source.startsWith('wl:') && e.target.startsWith('svc:'),
        )
        .map((e) => [
          `${e.source.slice(3)}->${e.target.slice(4)}:${e.protocol}`,
          e,
        ]),
    );
    let compared = 0;
    const states = new Set<string>();
    for (const v of view.edges) {
      const e = lockOf.get(v.id);
      if (!e) continue;
      compared += 1;
      states.add(v.state);
      expect(e.mtls, v.id).toBe(v.state);
      const share =
        v.requests.mtls +
          v.connections.mtls +
          v.requests.plaintext +
          v.connections.plaintext >
        0
          ? (v.requests.mtls + v.connections.mtls) /
            (v.requests.mtls +
              v.connections.mtls +
              v.requests.plaintext +
              v.connections.plaintext)
          : null;
      if (share === null) expect(e.mtlsShare, v.id).toBeNull();
      else expect(e.mtlsShare, v.id).toBeCloseTo(share, 9);
    }
    // the scenario has locked and plaintext edges, and edges whose caller logs found
    expect(compared).toBeGreaterThan(5);
    expect(states.has('full')).toBe(true);
    expect([...states].some((s) => s === 'none' || s === 'partial')).toBe(true);
  });
});
