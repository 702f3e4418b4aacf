// A real Alertmanager (Debian's prometheus-alertmanager 0.25) receives a firing alert from the
// evaluator and then its resolution, through POST /api/v2/alerts; checked with GET
// /api/v2/alerts. CI installs the package (`apt-get install -y prometheus-alertmanager`).
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { saveRule } from '~/server/queries/alerts-rules';
import { tempDb, type TempDb } from '~/test/helpers/temp-db';
import { createDeliveryQueue } from '../delivery';
import { createRuleEvaluation } from '../rule-evaluation';
import { ruleSpecSchema } from '../rule-schema';
import { insertFaultTraffic } from '../testing/fault-traffic';
import {
  startWebhookReceiver,
  type WebhookReceiver,
} from '../testing/webhook-receiver';
import { hostAllowList } from './allow-list';

const BIN = '/usr/bin/prometheus-alertmanager';
const MISSING = !fs.existsSync(BIN);
const MIN = 60_000;

async function freePort(): Promise<number> {
  const s = net.createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const { port } = s.address() as net.AddressInfo;
  await new Promise((r) => s.close(r));
  return port;
}

interface AmAlert {
  labels: Record<string, string>;
  annotations: Record<string, string>;
  startsAt: string;
  endsAt: string;
  generatorURL: string;
  status: { state: string };
}

let am: ChildProcess | undefined;
let amUrl = '';
let dir = '';
let t: TempDb;
let amHook: WebhookReceiver | undefined;

if (MISSING)
  console.warn(
    `SKIPPED Alertmanager test: ${BIN} is missing (apt-get install -y prometheus-alertmanager)`,
  );

describe.skipIf(MISSING)(
  `Alertmanager delivery (skipped when ${BIN} is missing: apt-get install -y prometheus-alertmanager)`,
  () => {
    beforeAll(async () => {
      t = await tempDb();
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'meshlens-am-'));
      // Alertmanager routes to a local receiver, so its own notifications show what it made of ours.
      amHook = await startWebhookReceiver(() => 200);
      fs.writeFileSync(
        path.join(dir, 'am.yml'),
        [
          'route:',
          '  receiver: hook',
          "  group_by: ['alertname']",
          '  group_wait: 0s',
          '  group_interval: 1s',
          '  repeat_interval: 1h',
          'receivers:',
          '  - name: hook',
          '    webhook_configs:',
          `      - url: ${amHook.url}`,
          '        send_resolved: true',
          '',
        ].join('\n'),
      );
      const port = await freePort();
      amUrl = `http://127.0.0.1:${port}`;
      am = spawn(
        BIN,
        [
          `--config.file=${path.join(dir, 'am.yml')}`,
          `--storage.path=${path.join(dir, 'data')}`,
          `--web.listen-address=127.0.0.1:${port}`,
          '--cluster.listen-address=',
        ],
        { stdio: 'ignore' },
      );
      const deadline = Date.now() + 20_000;
      for (;;) {
        const ok = await fetch(`${amUrl}/-/ready`).then(
          (r) => r.ok,
          () => false,
        );
        if (ok) break;
        if (Date.now() > deadline)
          throw new Error('Alertmanager did not become ready');
        await new Promise((r) => setTimeout(r, 100));
      }
    });

    afterAll(async () => {
      if (am && am.exitCode === null) {
        const exited = new Promise((r) => am!.once('exit', r));
        am.kill('SIGTERM');
        await exited;
      }
      await amHook?.close();
      await t?.close();
      if (dir) fs.rmSync(dir, { recursive: true, force: true });
    });

    const alerts = async (): Promise<AmAlert[]> =>
      (await fetch(`${amUrl}/api/v2/alerts`)).json() as Promise<AmAlert[]>;

    it('receives the firing alert and then its resolution', async () => {
      // Simulated minutes ending now, so Alertmanager (on the wall clock) sees the alert as current.
      const base = Math.floor(Date.now() / MIN) * MIN - 3 * MIN;
      const rule = await saveRule(t.db, {
        name: 'RatingsErrors',
        enabled: true,
        spec: ruleSpecSchema.parse({
          kind: 'error_rate',
          scope: { type: 'service', namespace: 'bookinfo', service: 'ratings' },
          threshold: 0.05,
          window: '1m',
          labels: { severity: 'page' },
          annotations: { description: 'ratings error ratio is {{ $value }}' },
          notify: [{ type: 'alertmanager', url: amUrl }],
        }),
      });
      const delivery = createDeliveryQueue({
        db: t.db,
        maxAttempts: 3,
        baseDelayMs: 100,
        timeoutMs: 5000,
        allowList: hostAllowList('127.0.0.1'),
        secret: undefined,
        resendIntervalMs: 60_000,
      });
      const step = createRuleEvaluation({
        db: t.db,
        delivery,
        globalDestinations: [],
        publicUrl: 'http://meshlens.test',
        resendIntervalMs: 60_000,
      });
      await insertFaultTraffic(t.db, [
        { minuteMs: base, requests: 600, faultShare: 0.1 },
        { minuteMs: base + MIN, requests: 600, faultShare: 0 },
      ]);

      await step(new Date(base + MIN)); // over the faulty minute: fires (for = 0)
      await delivery.idle();
      const firing = (await alerts()).filter(
        (a) => a.labels.alertname === 'RatingsErrors',
      );
      expect(firing).toHaveLength(1);
      expect(firing[0]!.status.state).toBe('active');
      expect(firing[0]!.labels).toEqual({
        alertname: 'RatingsErrors',
        severity: 'page',
        namespace: 'bookinfo',
        service: 'ratings',
      });
      expect(firing[0]!.annotations.description).toBe(
        'ratings error ratio is 0.1',
      );
      expect(firing[0]!.generatorURL).toBe(
        `http://meshlens.test/alerts?rule=${rule.id}`,
      );
      expect(Date.parse(firing[0]!.startsAt)).toBe(base + MIN);
      expect(Date.parse(firing[0]!.endsAt)).toBeGreaterThan(Date.now());

      await step(new Date(base + 2 * MIN)); // over the healthy minute: resolves
      await delivery.idle();
      await delivery.stop();
      // Alertmanager lists only unresolved alerts unless asked; a resolved one has endsAt <= now.
      const after = (await alerts()).filter(
        (a) => a.labels.alertname === 'RatingsErrors',
      );
      expect(after).toEqual([]);
      const tries = await t.rows<{ Status: string; HttpStatus: number }>(
        'SELECT Status, HttpStatus FROM {db:Identifier}.webhook_deliveries WHERE Status != {p:String} ORDER BY Timestamp',
        { p: 'pending' },
      );
      // ...and Alertmanager itself notified its receiver of the resolution.
      const deadline = Date.now() + 15_000;
      const statuses = () =>
        amHook!.requests.map(
          (r) => (JSON.parse(r.body) as { status: string }).status,
        );
      while (!statuses().includes('resolved') && Date.now() < deadline)
        await new Promise((r) => setTimeout(r, 100));
      expect(statuses()).toContain('firing');
      expect(statuses().at(-1)).toBe('resolved');
      expect(tries).toEqual([
        { Status: 'ok', HttpStatus: 200 },
        { Status: 'ok', HttpStatus: 200 },
      ]);
    });
  },
);
