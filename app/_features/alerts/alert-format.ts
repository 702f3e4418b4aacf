/** Display helpers for the alerts view: values by rule kind, scopes, labels, times. Pure. */

/** A rule value as people read it: percentages for ratios, ms for latency, ×N for rate ratios. */
export function formatValue(
  kind: string,
  value: number | null | undefined,
): string {
  if (value === null || value === undefined || !Number.isFinite(value))
    return '–';
  switch (kind) {
    case 'latency_percentile':
      return `${value >= 100 ? value.toFixed(0) : value.toPrecision(3)} ms`;
    case 'request_rate':
      return `×${value.toPrecision(3)}`;
    case 'new_plaintext_edge':
      return `${Math.round(value)} req`;
    default:
      return `${(value * 100).toPrecision(3)} %`;
  }
}

export function scopeText(scope: {
  type: string;
  namespace?: string;
  service?: string;
  source?: { namespace: string; service: string };
  destination?: { namespace: string; service: string };
}): string {
  switch (scope.type) {
    case 'namespace':
      return `namespace ${scope.namespace ?? ''}`;
    case 'service':
      return `${scope.service ?? ''}.${scope.namespace ?? ''}`;
    case 'edge':
      return `${scope.source?.service}.${scope.source?.namespace} → ${scope.destination?.service}.${scope.destination?.namespace}`;
    default:
      return 'whole mesh';
  }
}

/** Labels that say where (without alertname and the rule's constant labels). */
export function whereText(
  labels: Record<string, string>,
  ruleLabels: Record<string, string> = {},
): string {
  const parts = Object.entries(labels)
    .filter(([k]) => k !== 'alertname' && !(k in ruleLabels))
    .map(([k, v]) => `${k}=${v}`);
  return parts.length > 0 ? parts.join(', ') : '(whole scope)';
}

export function timeText(d: Date | string | number): string {
  const date = new Date(d);
  return date.toLocaleString(undefined, {
    month: 'short',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  });
}

export const STATE_TONE: Record<string, string> = {
  firing: 'state-firing',
  pending: 'state-pending',
  resolved: 'state-resolved',
  inactive: 'state-inactive',
  ok: 'state-resolved',
  retry: 'state-pending',
  dead_letter: 'state-firing',
  pending_delivery: 'state-inactive',
  active: 'state-pending',
  ended: 'state-inactive',
  upcoming: 'state-inactive',
};
