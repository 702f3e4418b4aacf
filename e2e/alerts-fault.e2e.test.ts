/**
 * Issue #9, "the demo scenario's injected fault fires the error-rate rule within two evaluation
 * intervals and resolves after the fault stops", over the real process (`server/main.ts --demo`)
 * at the product's default evaluation interval (MESHLENS_ALERTS_INTERVAL_S unset): an error-rate
 * rule on Bookinfo's ratings (threshold 0.25 over 1m; the scenario's own 10 % stays quiet) is
 * created over the API, the demo's fault switch (`npm run demo:fault`, collectors/demo/fault-cli.ts)
 * makes every call to ratings abort, and the rule must fire within two evaluation intervals of
 * running the switch — counted from the moment the command is started, so the sidecars' scrape,
 * ingest, the window filling with faulty traffic and the wait for the next evaluation all count.
 * A signed webhook, an Alertmanager-shaped POST and a Slack message reach a local receiver, the
 * fault is switched off, and the rule resolves — once each, never again. The rule's figure for a
 * whole minute is checked against the demo's truth ledger, and the page shows the history.
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readLedgerFile } from '../collectors/demo/truth-file';
import { ensureWebBuild } from '../server/build-web';
import { envSchema } from '../server/config';
import {
  startWebhookReceiver,
  type ReceivedRequest,
  type WebhookReceiver,
} from '../server/alerts/testing/webhook-receiver';
import {
  verifySignature,
  type WebhookPayload as WebhookBody,
} from '../server/alerts/transports/webhook';
import {
  REPO_ROOT,
  startApp,
  type AppProcess,
} from '../test/helpers/app-process';
import { collectPageErrors, launchBrowser } from '../test/helpers/browser';
import {
  demoFault,
  trpc,
  waitFor,
  type History,
  type ListedRule,
  type Preview,
} from './support/alerts-api';

const SCREENSHOT = path.join(REPO_ROOT, 'test-results', 'alerts-history.png');
/** What users get: the evaluation interval when MESHLENS_ALERTS_INTERVAL_S is not set (30 s). */
const INTERVAL_S = envSchema.shape.MESHLENS_ALERTS_INTERVAL_S.parse(undefined);
const SECRET = 'fault-test-secret';
const THRESHOLD = 0.25;
/** The point of the issue: switch on -> firing. */
const FIRE_WITHIN_MS = 2 * INTERVAL_S * 1000;
/**
 * Switch off -> resolved (not the point of the issue; a deadline): the failing seconds leave the
 * 1m window (about 50 s after they stop, plus the scrape), then the next evaluation and its time.
 */
const RESOLVE_WITHIN_MS = 60_000 + 3 * INTERVAL_S * 1000;

let app: AppProcess;
let hooks: WebhookReceiver;

beforeAll(async () => {
  await ensureWebBuild();
  hooks = await startWebhookReceiver();
  app = await startApp(
    {
      MESHLENS_ALERT_ALLOWED_HOSTS: '127.0.0.1',
      MESHLENS_ALERT_WEBHOOK_SECRET: SECRET,
      MESHLENS_ALERT_RETRY_BASE_MS: '200',
    },
    ['--demo'],
  );
}, 240_000);

afterAll(async () => {
  await hooks?.close();
  expect(await app?.stop()).toBe(0);
});

const api = <T>(path: string, input?: unknown, method?: 'GET' | 'POST') =>
  trpc<T>(app.urls.web, path, input, method);

const spec = (receiverBase: string) => ({
  kind: 'error_rate',
  scope: { type: 'service', namespace: 'bookinfo', service: 'ratings' },
  threshold: THRESHOLD,
  window: '1m',
  for: '0s',
  minRequests: 50,
  labels: { severity: 'page' },
  notify: [
    { type: 'webhook', url: `${receiverBase}/hook` },
    { type: 'alertmanager', url: `${receiverBase}/am` },
    { type: 'slack', url: `${receiverBase}/slack` },
  ],
});

const ratingsTruth = (
  ledger: ReturnType<typeof readLedgerFile>,
  fromMs: number,
  toMs: number,
) =>
  ledger
    .truth(fromMs, toMs)
    .services.find((s) => s.service.startsWith('ratings.'));

/** A webhook try as a receiver checks it: a fresh signature over the exact body. */
function signedPayload(req: ReceivedRequest | undefined): WebhookBody {
  expect(
    verifySignature(
      SECRET,
      req!.headers['x-meshlens-signature'] as string,
      req!.body,
      Math.floor(Date.now() / 1000),
    ),
  ).toBe(true);
  const payload = JSON.parse(req!.body) as WebhookBody;
  expect(req!.headers['x-meshlens-idempotency-key']).toBe(payload.id);
  return payload;
}

const received = (what: string, match: (r: ReceivedRequest) => boolean) =>
  waitFor(
    what,
    () => Promise.resolve(hooks.requests.find(match)),
    (r) => r !== undefined,
    30_000,
  );
const statusOf = (r: ReceivedRequest) =>
  (JSON.parse(r.body) as { status: string }).status;

/** Shared by the steps below, which run in order on one process. */
/** Shared by the steps below, which run in order on one process. */
let ruleSpec: ReturnType<typeof spec>;
let ruleId: string;
/** When `npm run demo:fault -- on` / `off` was started, and when it had returned. */
let switchedOnMs: number;
let switchedOffMs: number;
let onDoneMs: number;
let offDoneMs: number;
let firingPayload: WebhookBody;

const ruleNow = async () =>
  (await api<ListedRule[]>('alerts.list', undefined, 'GET')).find(
    (r) => r.id === ruleId,
  );
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

describe('the demo fault and the error-rate rule', () => {
  it("stays quiet on the scenario's own 10 % errors", async () => {
    await waitFor(
      'the demo to run',
      () => Promise.resolve(app.logs.join('\n')),
      (l) => l.includes('demo mesh running'),
      120_000,
    );
    ruleSpec = spec(hooks.url.replace(/\/hook$/, ''));
    // Live traffic is scraped and judged before the fault: about 10 % (the scenario's FI).
    const before = await waitFor(
      'live ratings traffic in the rule window',
      async () =>
        (await api<Preview>('alerts.test', { name: 'x', spec: ruleSpec }))
          .series[0]!,
      (s) => s.requests >= 200,
      120_000,
      2000,
    );
    expect(before.active).toBe(false);
    expect(before.value).toBeGreaterThan(0.03);
    expect(before.value).toBeLessThan(0.17);

    ruleId = (
      await api<{ id: string }>('alerts.add', {
        rule: { name: 'ratings errors', enabled: true, spec: ruleSpec },
      })
    ).id;

    // An evaluation without the fault: nothing fires. An inactive alert stores nothing, so a
    // canary rule that holds on the 10 % (pending for an hour, notifying no one) shows when the
    // evaluator has run; it judges every rule in the same tick. The history checked below shows
    // that no evaluation before the fault changed anything.
    const canaryId = (
      await api<{ id: string }>('alerts.add', {
        rule: {
          name: 'canary',
          enabled: true,
          spec: { ...ruleSpec, threshold: 0.01, for: '1h', notify: [] },
        },
      })
    ).id;
    await waitFor(
      'an evaluation of the rules',
      async () =>
        (await api<ListedRule[]>('alerts.list', undefined, 'GET')).find(
          (r) => r.id === canaryId,
        ),
      (r) => r?.state === 'pending',
      2 * INTERVAL_S * 1000,
      1000,
    );
    expect((await ruleNow())?.state).toBe('inactive');
    expect(hooks.requests).toEqual([]);
  }, 300_000);

  it(
    'fires within two evaluation intervals of the switch, and notifies each destination',
    async () => {
      switchedOnMs = Date.now();
      expect(await demoFault(app.dataDir, 'on', '--abort', '100')).toContain(
        'fault on: abort 100 % with 503 on bookinfo/ratings',
      );
      onDoneMs = Date.now();
      // Watch the data (the rule's preview, until it holds) and the evaluator (state) side by
      // side, once a second (each preview is a query the evaluator competes with).
      let conditionMs: number | null = null;
      await waitFor(
        'the rule to fire',
        async () => {
          if (conditionMs === null) {
            const p = await api<Preview>('alerts.test', {
              name: 'x',
              spec: ruleSpec,
            });
            if (p.series[0]?.active) conditionMs = Date.parse(p.at);
          }
          return ruleNow();
        },
        (r) => r?.state === 'firing',
        FIRE_WITHIN_MS + 30_000,
        1000,
      );
      const seenFiringMs = Date.now();
      const history = await api<History[]>('alerts.history', { ruleId }, 'GET');
      expect(history.map((h) => `${h.from}->${h.to}`)).toEqual([
        'inactive->firing',
      ]);
      const tickMs = Date.parse(history[0]!.timestamp);
      firingPayload = signedPayload(
        await received('the firing webhook', (r) => r.path === '/hook'),
      );
      const hookMs = hooks.requests.find((r) => r.path === '/hook')!.atMs;
      process.stdout.write(
        `fault on (command ${seconds(onDoneMs - switchedOnMs)}) -> condition in the data ${conditionMs === null ? '?' : seconds(conditionMs - switchedOnMs)}, -> evaluation that fired ${seconds(tickMs - switchedOnMs)}, -> webhook ${seconds(hookMs - switchedOnMs)}, -> firing seen ${seconds(seenFiringMs - switchedOnMs)} (interval ${INTERVAL_S} s)\n`,
      );
      // The point of the issue, counted from starting the switch to the first moment the rule
      // was seen firing over the API (its state is saved after the notifications are queued).
      expect(seenFiringMs - switchedOnMs).toBeLessThanOrEqual(FIRE_WITHIN_MS);
      expect(hookMs - switchedOnMs).toBeLessThanOrEqual(FIRE_WITHIN_MS);
      expect(
        Math.abs(Date.parse(firingPayload.alert.startsAt) - tickMs),
      ).toBeLessThan(1000);

      expect(firingPayload.status).toBe('firing');
      expect(firingPayload.alert.labels).toMatchObject({
        alertname: 'ratings errors',
        severity: 'page',
        namespace: 'bookinfo',
        service: 'ratings',
      });
      expect(firingPayload.alert.value).toBeGreaterThan(THRESHOLD);
      expect(firingPayload.alert.threshold).toBe(THRESHOLD);
      const am = await received(
        'the Alertmanager POST',
        (r) => r.path === '/am/api/v2/alerts',
      );
      const [amAlert] = JSON.parse(am!.body) as {
        labels: Record<string, string>;
        endsAt: string;
      }[];
      expect(amAlert?.labels.service).toBe('ratings');
      expect(Date.parse(amAlert!.endsAt)).toBeGreaterThan(Date.now());
      const slack = await received(
        'the Slack message',
        (r) => r.path === '/slack',
      );
      const slackBody = JSON.parse(slack!.body) as {
        text: string;
        blocks: { type: string }[];
      };
      expect(slackBody.text).toContain(
        '[FIRING] ratings errors (severity=page, namespace=bookinfo, service=ratings)',
      );
      expect(slackBody.blocks[0]?.type).toBe('section');
    },
    FIRE_WITHIN_MS + 120_000,
  );

  it(
    'resolves after the fault stops, notifying once',
    async () => {
      switchedOffMs = Date.now();
      expect(await demoFault(app.dataDir, 'off')).toContain('fault off');
      offDoneMs = Date.now();
      await waitFor(
        'the rule to resolve',
        ruleNow,
        (r) => r?.state === 'resolved',
        RESOLVE_WITHIN_MS,
        1000,
      );
      const resolved = signedPayload(
        await received(
          'the resolved webhook',
          (r) => r.path === '/hook' && statusOf(r) === 'resolved',
        ),
      );
      expect(resolved.alert.labels.service).toBe('ratings');
      const after = await api<History[]>('alerts.history', { ruleId }, 'GET');
      expect(after.map((h) => `${h.from}->${h.to}`)).toEqual([
        'firing->resolved',
        'inactive->firing',
      ]);
      process.stdout.write(
        `fault off -> resolved ${seconds(Date.parse(after[0]!.timestamp) - switchedOffMs)} (interval ${INTERVAL_S} s)\n`,
      );
      // Exactly one firing and one resolved webhook; Alertmanager got the resolution too.
      expect(
        hooks.requests.filter((r) => r.path === '/hook').map(statusOf),
      ).toEqual(['firing', 'resolved']);
      const amResolved = hooks.requests
        .filter((r) => r.path === '/am/api/v2/alerts')
        .map((r) => (JSON.parse(r.body) as { endsAt: string }[])[0]!)
        .at(-1);
      expect(Date.parse(amResolved!.endsAt)).toBeLessThanOrEqual(Date.now());
    },
    RESOLVE_WITHIN_MS + 60_000,
  );

  it("keeps the truth: the ledger has the switches, and the rule's figure matches it", async () => {
    const ledgerFile = path.join(app.dataDir, 'demo', 'truth.ndjson');
    const ledger = readLedgerFile(ledgerFile);
    expect(ledger.faults.map((f) => f.fault?.abort?.percent ?? null)).toEqual([
      100,
      null,
    ]);
    // Each applies from the second the demo generates next (it reads the switch every second).
    const [on, off] = ledger.faults;
    expect(on!.atMs).toBeGreaterThanOrEqual(switchedOnMs - 2000);
    expect(on!.atMs).toBeLessThanOrEqual(onDoneMs + 2000);
    expect(off!.atMs).toBeGreaterThanOrEqual(switchedOffMs - 2000);
    expect(off!.atMs).toBeLessThanOrEqual(offDoneMs + 2000);
    expect(ratingsTruth(ledger, on!.atMs + 2000, off!.atMs)?.errorPercent).toBe(
      100,
    );
    // The rule's figure for a whole clean minute after the fault against the truth of it
    // (metrics count a hop at the scrape after it ends: a few seconds move across minutes).
    // A minute well after the demo started: its first minutes are partly backfill.
    const minute = Math.ceil(off!.atMs / 60_000) * 60_000;
    await waitFor(
      'a whole minute after the fault to be generated and scraped',
      () => Promise.resolve(Date.now()),
      (now) => now >= minute + 60_000 + 12_000,
      150_000,
      1000,
    );
    const [measured] = (
      await api<Preview>('alerts.test', {
        name: 'x',
        spec: ruleSpec,
        at: minute + 60_000,
      })
    ).series;
    const truth = ratingsTruth(
      readLedgerFile(ledgerFile),
      minute,
      minute + 60_000,
    );
    process.stdout.write(
      `minute ${new Date(minute).toISOString()}: rule ${measured!.value?.toFixed(4)} over ${measured!.requests} requests, truth ${((truth?.errorPercent ?? 0) / 100).toFixed(4)} over ${truth?.requests}\n`,
    );
    expect(truth!.requests).toBeGreaterThan(200);
    expect(Math.abs(measured!.requests - truth!.requests)).toBeLessThanOrEqual(
      0.1 * truth!.requests,
    );
    expect(
      Math.abs(measured!.value! - truth!.errorPercent! / 100),
    ).toBeLessThanOrEqual(0.03);
  }, 200_000);

  it("opens the alert's link on the rule, whose History tab shows both changes", async () => {
    expect(firingPayload.alert.generatorURL).toBe(
      `${app.urls.web}/alerts?rule=${ruleId}`,
    );
    const browser = await launchBrowser();
    try {
      const page = await browser.newPage();
      const errors = collectPageErrors(page);
      await page.goto(firingPayload.alert.generatorURL);
      await page.locator('tr.selected[data-rule="ratings errors"]').waitFor();
      await page.getByRole('tab', { name: 'History' }).click();
      await page.waitForURL(/[?&]tab=history/);
      expect(new URL(page.url()).searchParams.get('rule')).toBe(ruleId);
      const rows = page.locator('table[aria-label="Alert history"] tbody tr');
      await rows.nth(1).waitFor();
      expect(await rows.count()).toBe(2);
      expect(
        await rows.evaluateAll((trs) =>
          trs.map((tr) =>
            [...tr.querySelectorAll('.state-badge')]
              .map((b) => b.textContent)
              .join('->'),
          ),
        ),
      ).toEqual(['firing->resolved', 'inactive->firing']);
      expect(await rows.first().textContent()).toContain('ratings errors');
      await page.getByText('Showing rule “ratings errors” only').waitFor();
      await page.screenshot({ path: SCREENSHOT, fullPage: true });
      expect(errors.errors).toEqual([]);
    } finally {
      await browser.close();
    }
  }, 60_000);
});
