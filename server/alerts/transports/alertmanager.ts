/**
 * Alertmanager (API v2, POST /api/v2/alerts), so users keep their routing, grouping and
 * inhibition. Alertmanager resolves an alert by itself once `endsAt` passes, so a firing alert
 * carries endsAt = now + 4 resend intervals and the evaluator re-sends it every interval while it
 * fires (as Prometheus does); a resolution carries the time it resolved.
 */
import type { AlertNotification, Transport } from './types';

export interface AlertmanagerAlert {
  labels: Record<string, string>;
  annotations: Record<string, string>;
  startsAt: string;
  endsAt: string;
  generatorURL: string;
}

export function alertmanagerAlert(
  n: AlertNotification,
  resendIntervalMs: number,
): AlertmanagerAlert {
  const endsAt =
    n.status === 'resolved' && n.endsAt
      ? n.endsAt
      : new Date(Date.parse(n.createdAt) + 4 * resendIntervalMs).toISOString();
  return {
    labels: n.labels,
    annotations: {
      ...n.annotations,
      ...(n.value !== null ? { value: String(n.value) } : {}),
    },
    startsAt: n.startsAt,
    endsAt,
    generatorURL: n.generatorURL,
  };
}

export const alertmanagerTransport: Transport = {
  render: (n, { resendIntervalMs }) =>
    JSON.stringify([alertmanagerAlert(n, resendIntervalMs)]),
  target: (url) => `${url.replace(/\/+$/, '')}/api/v2/alerts`,
  headers: ({ notificationId }) => ({
    'x-meshlens-idempotency-key': notificationId,
  }),
};
