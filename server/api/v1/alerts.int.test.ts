// GET /api/v1/alerts over real HTTP on an embedded ClickHouse: rules with their alerts, filtered
// by state, and never a destination URL (Slack webhook paths are secrets).
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ruleInputSchema } from '~/server/alerts/rule-schema';
import { saveRule } from '~/server/queries/alerts-rules';
import { saveAlertStates } from '~/server/queries/alerts-state';
import { tempDb, type TempDb } from '~/test/helpers/temp-db';
import { handleApiV1 } from './router';

let t: TempDb;
let server: http.Server;
let base: string;
let ruleId: string;
const SECRET_PATH = '/services/T000/B000/very-secret';

beforeAll(async () => {
  t = await tempDb();
  const rule = await saveRule(
    t.db,
    ruleInputSchema.parse({
      name: 'ratings errors',
      enabled: true,
      spec: {
        kind: 'error_rate',
        scope: { type: 'namespace', namespace: 'bookinfo' },
        groupBy: 'service',
        threshold: 0.05,
        notify: [
          { type: 'slack', url: `https://hooks.slack.com${SECRET_PATH}` },
        ],
      },
    }),
  );
  ruleId = rule.id;
  const now = new Date();
  await saveAlertStates(t.db, [
    {
      ruleId,
      fingerprint: 'f-ratings',
      labels: { alertname: 'ratings errors', service: 'ratings' },
      state: 'firing',
      activeSince: new Date(now.getTime() - 60_000),
      lastEvaluated: now,
      value: 0.12,
    },
    {
      ruleId,
      fingerprint: 'f-details',
      labels: { alertname: 'ratings errors', service: 'details' },
      state: 'resolved',
      activeSince: null,
      lastEvaluated: now,
      value: 0.01,
    },
  ]);
  server = http.createServer((req, res) => {
    void handleApiV1(req, res).then((done) => {
      if (!done) res.writeHead(418).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((resolve) => server?.close(resolve));
  await t?.close();
});

interface AlertsBody {
  rules: {
    id: string;
    name: string;
    spec: Record<string, unknown>;
    alerts: { fingerprint: string; state: string; value: number | null }[];
  }[];
}

describe('GET /api/v1/alerts', () => {
  it('lists rules with their alerts and leaves destinations out', async () => {
    const res = await fetch(`${base}/api/v1/alerts`);
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(text).not.toContain(SECRET_PATH);
    const body = JSON.parse(text) as AlertsBody;
    expect(body.rules).toHaveLength(1);
    expect(body.rules[0]!.id).toBe(ruleId);
    expect(body.rules[0]!.spec.notify).toBeUndefined();
    expect(body.rules[0]!.spec.threshold).toBe(0.05);
    expect(
      body.rules[0]!.alerts.map((a) => [
        a.fingerprint,
        a.state,
        a.value,
      ]).sort(),
    ).toEqual([
      ['f-details', 'resolved', 0.01],
      ['f-ratings', 'firing', 0.12],
    ]);
  });

  it('filters alerts by state and refuses an unknown state', async () => {
    const firing = (await (
      await fetch(`${base}/api/v1/alerts?state=firing`)
    ).json()) as AlertsBody;
    expect(firing.rules[0]!.alerts.map((a) => a.fingerprint)).toEqual([
      'f-ratings',
    ]);
    const bad = await fetch(`${base}/api/v1/alerts?state=burning`);
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain('state');
  });
});
