/** Building the notification of one alert transition: labels, annotations, link, id. */
import type { AlertRule, RuleSpec } from './rule-schema';
import type { AlertNotification } from './transports';

/** alertname, the rule's labels, then the series labels (which win: they say where). */
export function alertLabels(
  rule: AlertRule,
  series: Record<string, string>,
): Record<string, string> {
  return { alertname: rule.name, ...rule.spec.labels, ...series };
}

const fmt = (v: number | null) =>
  v === null ? 'n/a' : Number(v.toPrecision(4)).toString();

/** What the watched figure is, for a default summary. */
function figure(spec: RuleSpec): string {
  switch (spec.kind) {
    case 'error_rate':
      return 'error ratio';
    case 'latency_percentile':
      return `p${Math.round(spec.percentile * 1000) / 10} latency (ms)`;
    case 'request_rate':
      return `request rate vs the ${spec.baseline} before (${spec.direction})`;
    case 'mtls_coverage_below':
      return 'mTLS share';
    case 'new_plaintext_edge':
      return 'plaintext requests on a new edge';
    case 'response_flag_rate':
      return `share of requests flagged ${spec.flags.join('/')}`;
  }
}

/**
 * Fills `{{value}}`, `{{threshold}}` and `{{labels.NAME}}` (Prometheus's `{{ $value }}` and
 * `{{ $labels.NAME }}` spellings too) in annotation templates.
 */
export function renderTemplate(
  text: string,
  value: number | null,
  threshold: number,
  labels: Record<string, string>,
): string {
  return text.replace(
    /\{\{\s*\$?([A-Za-z_.]+)\s*\}\}/g,
    (whole, key: string) => {
      if (key === 'value') return fmt(value);
      if (key === 'threshold') return fmt(threshold);
      if (key.startsWith('labels.')) return labels[key.slice(7)] ?? '';
      return whole;
    },
  );
}

export function alertAnnotations(
  rule: AlertRule,
  value: number | null,
  labels: Record<string, string>,
): Record<string, string> {
  const threshold = rule.spec.threshold;
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(rule.spec.annotations))
    out[k] = renderTemplate(v, value, threshold, labels);
  const held = rule.spec.for !== '0s' ? `, for ${rule.spec.for}` : '';
  out.summary ??= `${rule.name}: ${figure(rule.spec)} ${fmt(value)} (threshold ${fmt(threshold)}, over ${rule.spec.window}${held})`;
  return out;
}

export interface NotificationInput {
  id: string;
  rule: AlertRule;
  status: 'firing' | 'resolved';
  fingerprint: string;
  labels: Record<string, string>;
  value: number | null;
  activeSinceMs: number;
  nowMs: number;
  publicUrl: string;
}

export function buildNotification(i: NotificationInput): AlertNotification {
  return {
    id: i.id,
    status: i.status,
    ruleId: i.rule.id,
    ruleName: i.rule.name,
    kind: i.rule.spec.kind,
    fingerprint: i.fingerprint,
    labels: i.labels,
    annotations: alertAnnotations(i.rule, i.value, i.labels),
    value: i.value,
    threshold: i.rule.spec.threshold,
    startsAt: new Date(i.activeSinceMs).toISOString(),
    endsAt: i.status === 'resolved' ? new Date(i.nowMs).toISOString() : null,
    generatorURL: `${i.publicUrl.replace(/\/+$/, '')}/alerts?rule=${encodeURIComponent(i.rule.id)}`,
    createdAt: new Date(i.nowMs).toISOString(),
  };
}
