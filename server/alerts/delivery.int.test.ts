// Deliveries against a real local receiver (node:http on 127.0.0.1): signature and idempotency
// key checked as a receiver would, retries with backoff, one log row per try, dead letters,
// redirects not followed, the allow list, and a restart that finishes an unfinished delivery.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listDeliveries } from '~/server/queries/alerts-deliveries';
import { tempDb, type TempDb } from '~/test/helpers/temp-db';
import {
  backoffMs,
  createDeliveryQueue,
  type DeliveryOptions,
} from './delivery';
import { startWebhookReceiver } from './testing/webhook-receiver';
import { hostAllowList } from './transports/allow-list';
import type { AlertNotification } from './transports';
import { verifySignature } from './transports/webhook';

const SECRET = 'test-secret';
let t: TempDb;
beforeAll(async () => {
  t = await tempDb();
});
afterAll(async () => {
  await t?.close();
});

const options = (o: Partial<DeliveryOptions> = {}): DeliveryOptions => ({
  db: t.db,
  maxAttempts: 4,
  baseDelayMs: 50,
  timeoutMs: 2000,
  allowList: hostAllowList(undefined),
  secret: SECRET,
  resendIntervalMs: 60_000,
  ...o,
});

let seq = 0;
function notification(): AlertNotification {
  seq++;
  return {
    id: `n-${seq}-${Math.random().toString(36).slice(2)}`,
    status: 'firing',
    ruleId: 'r1',
    ruleName: 'ratings errors',
    kind: 'error_rate',
    fingerprint: 'abc',
    labels: { alertname: 'ratings errors', service: 'ratings' },
    annotations: { summary: 'ratings fails' },
    value: 0.1,
    threshold: 0.05,
    startsAt: new Date().toISOString(),
    endsAt: null,
    generatorURL: 'http://meshlens.test/alerts?rule=r1',
    createdAt: new Date().toISOString(),
  };
}

const log = async (id: string) =>
  (
    await listDeliveries(t.db, {
      notificationId: id,
      sinceMs: Date.now() - 3600_000,
      limit: 100,
    })
  ).reverse();

describe('webhook delivery', () => {
  it('retries a receiver that fails twice, and it accepts exactly one signed delivery', async () => {
    const hook = await startWebhookReceiver((n, req) => {
      // The receiver's own checks: a valid, fresh signature over the exact body, and a key.
      const ok = verifySignature(
        SECRET,
        req.headers['x-meshlens-signature'] as string,
        req.body,
        Math.floor(Date.now() / 1000),
      );
      if (!ok || !req.headers['x-meshlens-idempotency-key']) return 401;
      return n <= 2 ? 500 : 200;
    });
    try {
      const q = createDeliveryQueue(options());
      const n = notification();
      await q.enqueue(n, [{ type: 'webhook', url: hook.url }]);
      await q.idle();
      // Enqueuing the same notification again (a restart re-evaluating it) sends nothing more.
      await q.enqueue(n, [{ type: 'webhook', url: hook.url }]);
      await q.idle();
      await q.stop();
      expect(hook.requests.map((r) => r.status)).toEqual([500, 500, 200]);
      // Exponential backoff with jitter: at least half of 50 ms, then half of 100 ms.
      const at = hook.requests.map((r) => r.atMs);
      expect(at[1]! - at[0]!).toBeGreaterThanOrEqual(25);
      expect(at[2]! - at[1]!).toBeGreaterThanOrEqual(50);
      expect(
        new Set(
          hook.requests.map((r) => r.headers['x-meshlens-idempotency-key']),
        ),
      ).toEqual(new Set([n.id]));
      expect(hook.accepted.size).toBe(1);
      expect(JSON.parse(hook.accepted.get(n.id)!)).toMatchObject({
        version: '1',
        id: n.id,
        status: 'firing',
        alert: { labels: { service: 'ratings' } },
      });
      // A tampered body does not verify.
      const r = hook.requests[2]!;
      expect(
        verifySignature(
          SECRET,
          r.headers['x-meshlens-signature'] as string,
          r.body.replace('0.1', '0.2'),
          Math.floor(Date.now() / 1000),
        ),
      ).toBe(false);
      expect(
        (await log(n.id)).map((d) => [d.attempt, d.status, d.httpStatus]),
      ).toEqual([
        [0, 'pending', 0],
        [1, 'retry', 500],
        [2, 'retry', 500],
        [3, 'ok', 200],
      ]);
    } finally {
      await hook.close();
    }
  });

  it('dead-letters after the last try, and at once on a redirect or a refused host', async () => {
    let redirectFollowed = false;
    const hook = await startWebhookReceiver((_n, req) => {
      if (req.path === '/moved')
        return { status: 302, headers: { location: '/elsewhere' } };
      if (req.path === '/elsewhere') redirectFollowed = true;
      return 503;
    });
    try {
      const q = createDeliveryQueue(
        options({ maxAttempts: 3, allowList: hostAllowList('127.0.0.1') }),
      );
      const failing = notification();
      const moved = notification();
      const refused = notification();
      await q.enqueue(failing, [{ type: 'webhook', url: hook.url }]);
      await q.enqueue(moved, [
        { type: 'slack', url: hook.url.replace('/hook', '/moved') },
      ]);
      await q.enqueue(refused, [
        { type: 'webhook', url: 'http://169.254.169.254/latest/meta-data' },
      ]);
      await q.idle();
      await q.stop();
      expect((await log(failing.id)).map((d) => d.status)).toEqual([
        'pending',
        'retry',
        'retry',
        'dead_letter',
      ]);
      const m = await log(moved.id);
      expect(m.map((d) => [d.status, d.httpStatus])).toEqual([
        ['pending', 0],
        ['dead_letter', 302],
      ]);
      expect(m[1]!.error).toMatch(/redirect .* not followed/);
      expect(redirectFollowed).toBe(false);
      const r = await log(refused.id);
      expect(r.map((d) => d.status)).toEqual(['pending', 'dead_letter']);
      expect(r[1]!.error).toMatch(
        /169\.254\.169\.254 is not in MESHLENS_ALERT_ALLOWED_HOSTS/,
      );
    } finally {
      await hook.close();
    }
  });

  it('a try that gets no answer in time is retried', async () => {
    let calls = 0;
    const hook = await startWebhookReceiver(() => 200);
    const slow = await import('node:http').then(({ default: http }) =>
      http.createServer((_req, res) => {
        calls++;
        if (calls === 1) setTimeout(() => res.end('late'), 1500);
        else res.end('ok');
      }),
    );
    await new Promise<void>((r) => slow.listen(0, '127.0.0.1', r));
    try {
      const port = (slow.address() as { port: number }).port;
      const q = createDeliveryQueue(options({ timeoutMs: 300 }));
      const n = notification();
      await q.enqueue(n, [
        { type: 'webhook', url: `http://127.0.0.1:${port}/` },
      ]);
      await q.idle();
      await q.stop();
      const rows = await log(n.id);
      expect(rows.map((d) => d.status)).toEqual(['pending', 'retry', 'ok']);
      expect(rows[1]!.error).toMatch(/no answer within 300 ms/);
    } finally {
      slow.closeAllConnections();
      slow.close();
      await hook.close();
    }
  });

  it('a restarted process finishes a delivery the previous one left waiting for a retry', async () => {
    const hook = await startWebhookReceiver((n) => (n === 1 ? 500 : 200));
    try {
      const first = createDeliveryQueue(options({ baseDelayMs: 5000 }));
      const n = notification();
      await first.enqueue(n, [{ type: 'webhook', url: hook.url }]);
      while ((await log(n.id)).length < 2)
        await new Promise((r) => setTimeout(r, 20));
      await first.stop(); // the retry was scheduled 2.5-5 s out; the process goes away
      expect(hook.accepted.size).toBe(0);
      const second = createDeliveryQueue(options({ baseDelayMs: 0 }));
      expect(await second.recover()).toBe(1);
      await second.idle();
      await second.stop();
      expect(hook.accepted.has(n.id)).toBe(true);
      expect((await log(n.id)).map((d) => d.status)).toEqual([
        'pending',
        'retry',
        'ok',
      ]);
    } finally {
      await hook.close();
    }
  });
});

describe('backoff', () => {
  it('doubles from the base, caps, and jitters between half and all of it', () => {
    expect(
      [1, 2, 3, 4].map((a) => backoffMs(a, 1000, 5000, () => 0.999999)),
    ).toEqual([1000, 2000, 4000, 5000]);
    expect([1, 2, 3].map((a) => backoffMs(a, 1000, 5000, () => 0))).toEqual([
      500, 1000, 2000,
    ]);
  });
});
