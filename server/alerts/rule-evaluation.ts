/**
 * The evaluator's rule step: on every tick, evaluate every enabled rule against ClickHouse, move
 * each alert through its states (state-machine.ts), persist the states (alert_state) and the
 * transitions (alert_history), and hand firing / resolved notifications to the delivery queue
 * unless a silence matches. State is read back from alert_state on every tick, so a restarted
 * process continues where the last one stopped: it neither fires again nor forgets an alert.
 */
import type { Db } from '../db/client';
import { logger } from '../log';
import { listRules } from '../queries/alerts-rules';
import { listSilences } from '../queries/alerts-silences';
import {
  appendHistory,
  loadAlertStates,
  saveAlertStates,
  type HistoryEntry,
  type StoredAlertState,
} from '../queries/alerts-state';
import type { DeliveryQueue } from './delivery';
import { evaluateRule, type SeriesResult } from './evaluate-rule';
import type { EvaluationStep } from './evaluator';
import { fingerprintOf, notificationIdOf } from './fingerprint';
import { alertLabels, buildNotification } from './notification';
import { ruleTimings, type AlertRule, type Destination } from './rule-schema';
import { silencedBy, type Silence } from './silence-match';
import { INACTIVE, stepAlert } from './state-machine';
import type { AlertNotification } from './transports';

const log = logger('alerts');

export interface RuleEvaluationOptions {
  db: Db;
  delivery: DeliveryQueue;
  /** Destinations every alert goes to besides the rule's own (MESHLENS_ALERTMANAGER_URL). */
  globalDestinations: readonly Destination[];
  /** Base of links back to Meshlens (generatorURL); a function is read at every evaluation. */
  publicUrl: string | (() => string);
  /** Alertmanager re-send interval for firing alerts. */
  resendIntervalMs: number;
}

interface Outbox {
  states: StoredAlertState[];
  history: HistoryEntry[];
  notifications: { n: AlertNotification; to: Destination[] }[];
}

/** The step to register with the evaluator (`evaluator.add(step)`). */
export function createRuleEvaluation(o: RuleEvaluationOptions): EvaluationStep {
  /** Last time a firing alert was sent to Alertmanager (memory only: a restart re-sends later). */
  const lastSent = new Map<string, number>();
  /**
   * Firing alerts whose firing notification a silence held back: it goes out when the silence
   * ends while the alert still fires (as Alertmanager notifies once a silence expires). After a
   * restart every firing alert is treated so once; the delivery log drops an id already sent.
   */
  const heldBack = new Set<string>();

  return async (now: Date) => {
    const nowMs = now.getTime();
    const rules = (await listRules(o.db)).filter((r) => r.enabled);
    const [states, silences] = await Promise.all([
      loadAlertStates(
        o.db,
        rules.map((r) => r.id),
      ),
      listSilences(o.db, nowMs),
    ]);
    const byRule = new Map<string, StoredAlertState[]>();
    for (const s of states)
      byRule.set(s.ruleId, [...(byRule.get(s.ruleId) ?? []), s]);
    const out: Outbox = { states: [], history: [], notifications: [] };
    for (const rule of rules) {
      let series: SeriesResult[];
      try {
        series = await evaluateRule(o.db, rule.spec, nowMs);
      } catch (err) {
        log.error(
          { err, rule: rule.id },
          'alert rule evaluation failed; its state is kept',
        );
        continue;
      }
      advanceRule(
        rule,
        series,
        byRule.get(rule.id) ?? [],
        silences,
        nowMs,
        out,
      );
    }
    // Notifications are logged (pending) before the state that caused them is saved: after a
    // crash in between, the same transition recurs with the same id and is not sent twice.
    for (const { n, to } of out.notifications) await o.delivery.enqueue(n, to);
    await appendHistory(o.db, out.history);
    await saveAlertStates(o.db, out.states);
  };

  function advanceRule(
    rule: AlertRule,
    series: readonly SeriesResult[],
    prior: readonly StoredAlertState[],
    silences: readonly Silence[],
    nowMs: number,
    out: Outbox,
  ): void {
    const { forMs } = ruleTimings(rule.spec);
    const destinations = [...rule.spec.notify, ...o.globalDestinations];
    const priorByFp = new Map(prior.map((s) => [s.fingerprint, s]));
    const seen = new Set<string>();
    const inputs = series.map((s) => ({
      fp: fingerprintOf(rule.id, s.labels),
      labels: alertLabels(rule, s.labels),
      active: s.active,
      value: s.value,
    }));
    // Alerts whose series vanished (no traffic any more) are judged as "condition false".
    for (const p of prior) {
      if (
        !inputs.some((i) => i.fp === p.fingerprint) &&
        (p.state === 'pending' || p.state === 'firing')
      )
        inputs.push({
          fp: p.fingerprint,
          labels: p.labels,
          active: false,
          value: null,
        });
    }
    for (const i of inputs) {
      if (seen.has(i.fp)) continue;
      seen.add(i.fp);
      const prev = priorByFp.get(i.fp);
      const st = stepAlert(
        prev
          ? {
              state: prev.state,
              activeSinceMs: prev.activeSince?.getTime() ?? null,
            }
          : INACTIVE,
        i.active,
        nowMs,
        forMs,
      );
      if (!prev && st.next.state === 'inactive') continue; // nothing to remember
      out.states.push({
        ruleId: rule.id,
        fingerprint: i.fp,
        labels: i.labels,
        state: st.next.state,
        activeSince:
          st.next.activeSinceMs !== null
            ? new Date(st.next.activeSinceMs)
            : null,
        lastEvaluated: new Date(nowMs),
        value: i.value,
      });
      if (st.transition)
        out.history.push({
          timestamp: new Date(nowMs),
          ruleId: rule.id,
          fingerprint: i.fp,
          ...st.transition,
          value: i.value,
          labels: i.labels,
        });
      const key = `${rule.id}\n${i.fp}`;
      const silence = silencedBy(silences, i.labels, nowMs);
      const episodeMs = st.next.activeSinceMs ?? nowMs;
      const make = (
        status: 'firing' | 'resolved',
        kind: string,
        stamp: number,
      ) =>
        buildNotification({
          id: notificationIdOf(rule.id, i.fp, kind, stamp),
          rule,
          status,
          fingerprint: i.fp,
          labels: i.labels,
          value: i.value,
          activeSinceMs: episodeMs,
          nowMs,
          publicUrl:
            typeof o.publicUrl === 'function' ? o.publicUrl() : o.publicUrl,
        });
      const wasHeldBack = heldBack.delete(key);
      if (st.notify) {
        if (st.notify === 'firing') lastSent.set(key, nowMs);
        else lastSent.delete(key);
        if (silence || (st.notify === 'resolved' && wasHeldBack)) {
          // A resolution of a firing nobody was told about is not news either.
          if (silence && st.notify === 'firing') heldBack.add(key);
          log.info(
            { rule: rule.id, fingerprint: i.fp, silence: silence?.id },
            `${st.notify} notification silenced`,
          );
        } else if (destinations.length > 0) {
          out.notifications.push({
            n: make(st.notify, st.notify, episodeMs),
            to: destinations,
          });
        }
      } else if (
        st.next.state === 'firing' &&
        (wasHeldBack || !lastSent.has(key))
      ) {
        // Held back by a silence (or unknown to this process after a restart): notify once the
        // silence is over, with the episode's own id, so a notification already sent is not
        // sent again (delivery.enqueue skips ids in the log).
        lastSent.set(key, nowMs);
        if (silence) heldBack.add(key);
        else if (destinations.length > 0)
          out.notifications.push({
            n: make('firing', 'firing', episodeMs),
            to: destinations,
          });
      } else if (st.next.state === 'firing') {
        // Keep Alertmanager's copy alive: re-send while firing (it resolves alerts whose endsAt passed).
        const am = destinations.filter((d) => d.type === 'alertmanager');
        const last = lastSent.get(key) ?? nowMs;
        if (nowMs - last >= o.resendIntervalMs && am.length > 0 && !silence) {
          lastSent.set(key, nowMs);
          out.notifications.push({
            n: make('firing', 'resend', nowMs),
            to: am,
          });
        }
      }
    }
  }
}
