/**
 * Stable identities: an alert's fingerprint (rule + label set) and a notification's id, which
 * is also the idempotency key receivers see. Both are derived, never random, so an evaluation
 * repeated after a restart names the same alert and the same notification.
 */
import { createHash } from 'node:crypto';

/** Labels in a canonical order. */
export function sortedLabels(
  labels: Record<string, string>,
): [string, string][] {
  return Object.entries(labels).sort(([a], [b]) =>
    a < b ? -1 : a > b ? 1 : 0,
  );
}

/** 16 hex digits over the rule id and the series labels. */
export function fingerprintOf(
  ruleId: string,
  labels: Record<string, string>,
): string {
  return createHash('sha256')
    .update(JSON.stringify([ruleId, sortedLabels(labels)]))
    .digest('hex')
    .slice(0, 16);
}

/**
 * The id of one notification: the alert, what happened (firing / resolved / a resend) and the
 * episode it belongs to (when it became active; for resends, when it was resent).
 */
export function notificationIdOf(
  ruleId: string,
  fingerprint: string,
  status: string,
  episodeMs: number,
): string {
  return createHash('sha256')
    .update(`${ruleId}\n${fingerprint}\n${status}\n${episodeMs}`)
    .digest('hex')
    .slice(0, 32);
}
