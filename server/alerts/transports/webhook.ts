/**
 * Generic JSON webhook (docs/alerts.md "Webhook payload"). Each try is signed:
 *   X-Meshlens-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>
 * so a receiver can check the body and reject old timestamps (replays), as Stripe's scheme.
 *   X-Meshlens-Idempotency-Key: <notification id>, the same on every try of one notification.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { AlertNotification, Transport } from './types';

/** The signature header value for a body at `unixSeconds`. */
export function signature(
  secret: string,
  unixSeconds: number,
  body: string,
): string {
  const mac = createHmac('sha256', secret)
    .update(`${unixSeconds}.${body}`)
    .digest('hex');
  return `t=${unixSeconds},v1=${mac}`;
}

/**
 * Checks a signature header as a receiver would: right MAC, timestamp within `toleranceS` of
 * `nowS`. Exported for receivers written in TypeScript and for our tests.
 */
export function verifySignature(
  secret: string,
  header: string | undefined,
  body: string,
  nowS: number,
  toleranceS = 300,
): boolean {
  if (!header) return false;
  const parts = new Map(
    header.split(',').map((p) => p.split('=', 2) as [string, string]),
  );
  const t = Number(parts.get('t'));
  const v1 = parts.get('v1') ?? '';
  if (!Number.isInteger(t) || Math.abs(nowS - t) > toleranceS) return false;
  const want = Buffer.from(
    signature(secret, t, body).split('v1=')[1] ?? '',
    'hex',
  );
  const got = Buffer.from(v1, 'hex');
  return want.length === got.length && timingSafeEqual(want, got);
}

export interface WebhookPayload {
  version: '1';
  id: string;
  status: 'firing' | 'resolved';
  rule: { id: string; name: string; kind: string };
  alert: {
    fingerprint: string;
    labels: Record<string, string>;
    annotations: Record<string, string>;
    value: number | null;
    threshold: number;
    startsAt: string;
    endsAt: string | null;
    generatorURL: string;
  };
  createdAt: string;
}

export function webhookPayload(n: AlertNotification): WebhookPayload {
  return {
    version: '1',
    id: n.id,
    status: n.status,
    rule: { id: n.ruleId, name: n.ruleName, kind: n.kind },
    alert: {
      fingerprint: n.fingerprint,
      labels: n.labels,
      annotations: n.annotations,
      value: n.value,
      threshold: n.threshold,
      startsAt: n.startsAt,
      endsAt: n.endsAt,
      generatorURL: n.generatorURL,
    },
    createdAt: n.createdAt,
  };
}

export const webhookTransport: Transport = {
  render: (n) => JSON.stringify(webhookPayload(n)),
  target: (url) => url,
  headers: ({ body, notificationId, nowMs, secret }) => ({
    'x-meshlens-idempotency-key': notificationId,
    ...(secret
      ? {
          'x-meshlens-signature': signature(
            secret,
            Math.floor(nowMs / 1000),
            body,
          ),
        }
      : {}),
  }),
};
