/**
 * What a transport is: it renders a notification into the body one kind of receiver expects,
 * says where to POST it and which headers go with each try. Sending, timeouts, redirects, the
 * allow list and retries are shared (http-post.ts, ../delivery.ts), as in hyperdx's
 * checkAlerts/transports: one small module per destination type, registered in a map (index.ts).
 */
import type { RuleKind } from '../rule-schema';

/** One thing to tell receivers about one alert. `id` is also the idempotency key. */
export interface AlertNotification {
  id: string;
  status: 'firing' | 'resolved';
  ruleId: string;
  ruleName: string;
  kind: RuleKind;
  fingerprint: string;
  /** alertname, the rule's labels and the series labels (namespace, service, ...). */
  labels: Record<string, string>;
  annotations: Record<string, string>;
  /** The value that made it fire (or the last one, when resolved). */
  value: number | null;
  threshold: number;
  /** When the alert became active (ISO 8601). */
  startsAt: string;
  /** When it resolved (ISO 8601); null while firing. */
  endsAt: string | null;
  /** The Meshlens page of the rule. */
  generatorURL: string;
  /** When this notification was made (ISO 8601). */
  createdAt: string;
}

export interface TryContext {
  body: string;
  notificationId: string;
  nowMs: number;
  /** MESHLENS_ALERT_WEBHOOK_SECRET, when set. */
  secret: string | undefined;
}

export interface Transport {
  /** The request body (JSON text); stored in the delivery log and sent unchanged on every try. */
  render(n: AlertNotification, opts: { resendIntervalMs: number }): string;
  /** The URL to POST to, from the destination's configured URL. */
  target(url: string): string;
  /** Headers of one try (a signature covers the try's own timestamp). */
  headers(ctx: TryContext): Record<string, string>;
}
