// The evaluator end to end over rollup rows: an injected fault (ratings aborting 10 % of calls
// with 503/FI, as the demo scenario does) fires the error-rate rule within two evaluation
// intervals and resolves once the fault stops; a restart neither fires again nor forgets; a
// silence suppresses notifications but not state. The evaluator loop runs for real with a short
// interval on a simulated clock that the test moves one minute at a time.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCaller } from '~/server/api/root';
import { alertsHandler } from '~/server/api/v1/alerts';
import { createInnerContext } from '~/server/api/trpc';
import { readHistory, loadAlertStates } from '~/server/queries/alerts-state';
import { tempDb, type TempDb } from '~/test/helpers/temp-db';
import { createDeliveryQueue, type DeliveryQueue } from './delivery';
import { startAlertEvaluator, type AlertEvaluator } from './evaluator';
import { evaluateRule } from './evaluate-rule';
import { createRuleEvaluation } from './rule-evaluation';
import { ruleSpecSchema } from './rule-schema';
import { insertFaultTraffic } from './testing/fault-traffic';
import {
  startWebhookReceiver,
  type WebhookReceiver,
} from './testing/webhook-receiver';
import { hostAllowList } from './transports/allow-list';
import type { WebhookPayload } from './transports/webhook';

const MIN = 60_000;
const INTERVAL_S = 0.1;
let t: TempDb;
let hook: WebhookReceiver;
const caller = () =>
  createCaller(createInnerContext({ db: () => Promise.resolve(t.db) }));

beforeAll(async () => {
  t = await tempDb();
  hook = await startWebhookReceiver();
});
afterAll(async () => {
  await hook?.close();
  await t?.close();
});

/** One "process": a delivery queue, the rule step and the loop on a simulated clock. */
function startProcess(clock: { now: number }): {
  evaluator: AlertEvaluator;
  delivery: DeliveryQueue;
} {
  const delivery = createDeliveryQueue({
    db: t.db,
    maxAttempts: 3,
    baseDelayMs: 10,
    timeoutMs: 2000,
    allowList: hostAllowList(undefined),
    secret: 's3cret',
    resendIntervalMs: 60_000,
  });
  const evaluator = startAlertEvaluator(INTERVAL_S, {
    clock: () => new Date(clock.now),
  });
  evaluator.add(
    createRuleEvaluation({
      db: t.db,
      delivery,
      globalDestinations: [],
      publicUrl: 'http://meshlens.test',
      resendIntervalMs: 60_000,
    }),
  );
  return { evaluator, delivery };
}

/** Waits until the loop has completed a tick at the clock's current instant. */
async function evaluatedAt(e: AlertEvaluator, ms: number): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (e.lastRun()?.getTime() !== ms) {
    if (Date.now() > deadline)
      throw new Error(`no evaluation at ${new Date(ms).toISOString()}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

const notifications = (ruleId: string) =>
  hook.requests
    .filter((r) => r.status === 200)
    .map((r) => JSON.parse(r.body) as WebhookPayload)
    .filter((p) => p.rule.id === ruleId);

describe('alert evaluation over rollups', () => {
  it('fires the error-rate rule within two intervals of the fault, resolves after it stops, and survives a restart', async () => {
    const base = Math.floor(Date.now() / MIN) * MIN - 60 * MIN;
    const rule = await caller().alerts.add({
      rule: {
        name: 'ratings errors',
        spec: {
          kind: 'error_rate',
          scope: { type: 'service', namespace: 'bookinfo', service: 'ratings' },
          threshold: 0.05,
          window: '1m',
          for: '1m',
          labels: { severity: 'page' },
          notify: [{ type: 'webhook', url: hook.url }],
        },
      },
    });
    const faultMinutes = new Set([3, 4, 5]);
    const clock = { now: base };
    let proc = startProcess(clock);
    const stateAt: Record<number, string> = {};
    for (let k = 0; k < 9; k++) {
      await insertFaultTraffic(t.db, [
        {
          minuteMs: base + k * MIN,
          requests: 600,
          faultShare: faultMinutes.has(k) ? 0.1 : 0,
        },
      ]);
      clock.now = base + (k + 1) * MIN; // evaluate the minute just completed
      await evaluatedAt(proc.evaluator, clock.now);
      stateAt[k] =
        (await loadAlertStates(t.db, [rule.id]))[0]?.state ?? 'inactive';
      if (k === 5) {
        // Restart while firing: a new loop, delivery queue and step, state only from ClickHouse.
        await proc.evaluator.stop();
        await proc.delivery.idle();
        await proc.delivery.stop();
        proc = startProcess(clock);
      }
    }
    await proc.evaluator.stop();
    await proc.delivery.idle();
    await proc.delivery.stop();

    // Minutes 0-2 healthy; the fault shows at the evaluation after minute 3 (pending) and
    // fires at the next one: within two evaluation intervals. It resolves at the first
    // evaluation over a healthy minute (6), and stays resolved.
    expect(stateAt).toEqual({
      0: 'inactive',
      1: 'inactive',
      2: 'inactive',
      3: 'pending',
      4: 'firing',
      5: 'firing',
      6: 'resolved',
      7: 'resolved',
      8: 'resolved',
    });
    const history = (
      await readHistory(t.db, {
        ruleId: rule.id,
        fromMs: base,
        toMs: base + 20 * MIN,
        limit: 100,
      })
    ).reverse();
    expect(
      history.map((h) => [h.from, h.to, (h.timestamp.getTime() - base) / MIN]),
    ).toEqual([
      ['inactive', 'pending', 4],
      ['pending', 'firing', 5],
      ['firing', 'resolved', 7],
    ]);
    expect(history[1]!.value).toBeCloseTo(0.1, 5);

    // Exactly one firing and one resolved notification, despite the restart in between.
    const sent = notifications(rule.id);
    expect(sent.map((p) => p.status)).toEqual(['firing', 'resolved']);
    expect(sent[0]!.alert.labels).toMatchObject({
      alertname: 'ratings errors',
      severity: 'page',
      namespace: 'bookinfo',
      service: 'ratings',
    });
    expect(sent[0]!.alert.startsAt).toBe(
      new Date(base + 4 * MIN).toISOString(),
    );
    expect(sent[1]!.alert.endsAt).toBe(new Date(base + 7 * MIN).toISOString());
    expect(new Set(sent.map((p) => p.id)).size).toBe(2);
  });

  it('a 1m window 20 s into a minute reads the last 60 s: 40 s of the minute before, weighted', async () => {
    const base = Math.floor(Date.now() / MIN) * MIN - 100 * MIN;
    const stock = {
      source: { namespace: 'store', workload: 'web-v1', service: 'web' },
      destination: {
        namespace: 'store',
        service: 'stock',
        workload: 'stock-v1',
      },
    };
    // A healthy minute (600 requests), then every call fails: 100 in the first 20 s.
    await insertFaultTraffic(t.db, [
      { minuteMs: base, requests: 600, faultShare: 0, ...stock },
      { minuteMs: base + MIN, requests: 100, faultShare: 1, ...stock },
    ]);
    const spec = ruleSpecSchema.parse({
      kind: 'error_rate',
      scope: { type: 'service', namespace: 'store', service: 'stock' },
      threshold: 0.15,
      window: '1m',
    });
    const at = base + MIN + 20_000;
    // Live (the minute in progress holds the data so far): 100 / (600 * 40/60 + 100).
    const [live] = await evaluateRule(t.db, spec, at);
    expect(live!.value).toBeCloseTo(100 / 500, 9);
    expect(live!.requests).toBeCloseTo(500, 9);
    expect(live!.active).toBe(true); // whole minutes would say 100 / 700 = 0.14
    // The same instant looked back on, the later minute complete: a third of it is in the window.
    const [past] = await evaluateRule(t.db, spec, at, at + 10 * MIN);
    expect(past!.value).toBeCloseTo(100 / 3 / (400 + 100 / 3), 9);
    expect(past!.active).toBe(false);
    // On a whole minute, exactly that minute.
    const [whole] = await evaluateRule(t.db, spec, base + 2 * MIN);
    expect(whole!.value).toBe(1);
    expect(whole!.requests).toBe(100);
  });

  it('a matching silence suppresses notifications while state and history go on', async () => {
    const base = Math.floor(Date.now() / MIN) * MIN - 40 * MIN;
    await insertFaultTraffic(
      t.db,
      [0, 1, 2].map((k) => ({
        minuteMs: base + k * MIN,
        requests: 100,
        faultShare: 0.2,
        source: { namespace: 'shop', workload: 'web-v1', service: 'web' },
        destination: {
          namespace: 'shop',
          service: 'cart',
          workload: 'cart-v1',
        },
      })),
    );
    const rule = await caller().alerts.add({
      rule: {
        name: 'cart errors',
        spec: {
          kind: 'error_rate',
          scope: { type: 'namespace', namespace: 'shop' },
          groupBy: 'service',
          threshold: 0.1,
          window: '1m',
          notify: [{ type: 'webhook', url: hook.url }],
        },
      },
    });
    await caller().alerts.addSilence({
      matchers: [{ name: 'service', op: '=~', value: 'ca.t' }],
      startsAt: base,
      endsAt: Date.now() + 3600_000,
      comment: 'maintenance',
    });
    const clock = { now: base + MIN };
    const proc = startProcess(clock);
    await evaluatedAt(proc.evaluator, clock.now);
    await proc.evaluator.stop();
    await proc.delivery.idle();
    await proc.delivery.stop();
    const list = await caller().alerts.list();
    const alert = list.find((r) => r.id === rule.id)!.alerts[0]!;
    expect(alert.state).toBe('firing');
    expect(alert.labels).toMatchObject({ namespace: 'shop', service: 'cart' });
    expect(alert.silencedBy).not.toBeNull();
    expect(notifications(rule.id)).toEqual([]);
  });

  it('a firing alert held back by a silence is notified when the silence ends, once', async () => {
    const base = Math.floor(Date.now() / MIN) * MIN - 80 * MIN;
    await insertFaultTraffic(
      t.db,
      [0, 1, 2].map((k) => ({
        minuteMs: base + k * MIN,
        requests: 100,
        faultShare: 0.2,
        source: { namespace: 'pay', workload: 'api-v1', service: 'api' },
        destination: {
          namespace: 'pay',
          service: 'ledger',
          workload: 'ledger-v1',
        },
      })),
    );
    const rule = await caller().alerts.add({
      rule: {
        name: 'ledger errors',
        spec: {
          kind: 'error_rate',
          scope: { type: 'service', namespace: 'pay', service: 'ledger' },
          threshold: 0.1,
          window: '1m',
          notify: [{ type: 'webhook', url: hook.url }],
        },
      },
    });
    // Silenced from the start of the fault until 90 s into it.
    await caller().alerts.addSilence({
      matchers: [{ name: 'service', op: '=', value: 'ledger' }],
      startsAt: base,
      endsAt: base + 90_000,
    });
    const clock = { now: base + MIN };
    let proc = startProcess(clock);
    const at = async (ms: number) => {
      clock.now = ms;
      await evaluatedAt(proc.evaluator, ms);
      await proc.delivery.idle();
      return notifications(rule.id).map((p) => p.status);
    };
    expect(await at(base + MIN)).toEqual([]); // firing, silenced
    expect(await at(base + 2 * MIN)).toEqual(['firing']); // silence over, still firing
    // A restart while firing sends nothing again (the delivery log knows the id).
    await proc.evaluator.stop();
    await proc.delivery.stop();
    proc = startProcess(clock);
    expect(await at(base + 3 * MIN)).toEqual(['firing']);
    expect(await at(base + 5 * MIN)).toEqual(['firing', 'resolved']);
    await proc.evaluator.stop();
    await proc.delivery.stop();
    const [firing] = notifications(rule.id);
    expect(firing!.alert.startsAt).toBe(new Date(base + MIN).toISOString());
  });

  it('"test this rule now" shows each series\' value without storing anything', async () => {
    const base = Math.floor(Date.now() / MIN) * MIN - 20 * MIN;
    await insertFaultTraffic(t.db, [
      { minuteMs: base, requests: 1000, faultShare: 0.1 },
    ]);
    const preview = await caller().alerts.test({
      spec: {
        kind: 'response_flag_rate',
        scope: {
          type: 'edge',
          source: { namespace: 'bookinfo', service: 'reviews' },
          destination: { namespace: 'bookinfo', service: 'ratings' },
        },
        flags: ['FI'],
        threshold: 0.05,
        window: '1m',
      },
      at: base + MIN,
    });
    expect(preview.series).toHaveLength(1);
    expect(preview.series[0]!.value).toBeCloseTo(0.1, 5);
    expect(preview.series[0]!.active).toBe(true);
    expect(preview.series[0]!.requests).toBe(1000);
    const latency = await caller().alerts.test({
      spec: {
        kind: 'latency_percentile',
        scope: { type: 'mesh' },
        percentile: 0.5,
        threshold: 10,
        window: '1m',
      },
      at: base + MIN,
    });
    expect(latency.series[0]!.value).toBeGreaterThan(1);
    expect(latency.series[0]!.value).toBeLessThanOrEqual(5);
    expect(latency.series[0]!.active).toBe(false);
    const states = await loadAlertStates(t.db);
    expect(states.some((s) => s.ruleId === 'preview')).toBe(false);
  });

  it('saves, validates, updates and deletes rules with clear errors', async () => {
    const c = caller();
    const bad = await c.alerts.validate({
      rule: {
        name: '',
        spec: {
          kind: 'error_rate',
          scope: { type: 'service', namespace: 'x' },
          threshold: 5,
          window: '5 minutes',
        },
      },
    });
    expect(bad.ok).toBe(false);
    const paths = Object.fromEntries(
      bad.issues.map((i) => [i.path, i.message]),
    );
    expect(paths['name']).toBe('name is required');
    expect(paths['spec.threshold']).toMatch(/between 0 and 1/);
    expect(paths['spec.window']).toMatch(/duration like 30s/);
    expect(paths['spec.scope.service']).toBeDefined();
    await expect(
      c.alerts.add({
        rule: {
          name: 'x',
          spec: { kind: 'error_rate', scope: { type: 'mesh' }, threshold: 2 },
        },
      }),
    ).rejects.toThrow(/spec.threshold: threshold must be between 0 and 1/);
    const r = await c.alerts.add({
      rule: {
        name: 'mtls',
        spec: {
          kind: 'mtls_coverage_below',
          scope: { type: 'mesh' },
          threshold: 0.9,
        },
      },
    });
    const up = await c.alerts.update({
      id: r.id,
      rule: {
        name: 'mtls 95',
        spec: {
          kind: 'mtls_coverage_below',
          scope: { type: 'mesh' },
          threshold: 0.95,
        },
      },
    });
    expect((await c.alerts.byId({ id: r.id })).name).toBe('mtls 95');
    expect(up.version).toBeGreaterThan(r.version);
    const v1 = (await alertsHandler(new URLSearchParams())) as {
      rules: { id: string; name: string; spec: Record<string, unknown> }[];
    };
    const listed = v1.rules.find((x) => x.id === r.id)!;
    expect(listed.name).toBe('mtls 95');
    expect(listed.spec).not.toHaveProperty('notify');
    await c.alerts.remove({ id: r.id });
    expect((await c.alerts.list()).some((x) => x.id === r.id)).toBe(false);
    await expect(c.alerts.byId({ id: r.id })).rejects.toThrow(/no alert rule/);
  });
});
