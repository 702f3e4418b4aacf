/**
 * The Alerts page's URL state (shareable, and what alert links point at):
 *   ?tab=rules|history|silences|deliveries   the open tab (rules when absent)
 *   ?rule=<id>                               one rule: highlighted, its history only
 * Notifications link to `/alerts?rule=<id>` (generatorURL, server/alerts/notification.ts).
 */
export const ALERT_TABS = [
  ['rules', 'Rules'],
  ['history', 'History'],
  ['silences', 'Silences'],
  ['deliveries', 'Deliveries'],
] as const;
export type AlertTab = (typeof ALERT_TABS)[number][0];

export interface AlertsUrlState {
  tab: AlertTab;
  /** A rule id, or null for every rule. */
  rule: string | null;
}

const isTab = (v: string | null): v is AlertTab =>
  ALERT_TABS.some(([key]) => key === v);

/** Reads the state; anything unknown falls back to the default. */
export function parseAlertsUrl(p: {
  get(name: string): string | null;
}): AlertsUrlState {
  const tab = p.get('tab');
  const rule = p.get('rule')?.trim();
  return { tab: isTab(tab) ? tab : 'rules', rule: rule ? rule : null };
}

/** A change as URL parameters (null removes one; defaults are left out). */
export function alertsParams(
  patch: Partial<AlertsUrlState>,
): Record<string, string | null> {
  const out: Record<string, string | null> = {};
  if (patch.tab !== undefined)
    out.tab = patch.tab === 'rules' ? null : patch.tab;
  if (patch.rule !== undefined) out.rule = patch.rule;
  return out;
}
