/**
 * Alert state (alert_state: the newest row per rule and label set) and its history
 * (alert_history: one row per transition), read and written for the evaluator and the UI.
 */
import type { Db } from '../db/client';
import type { AlertStateName } from '../alerts/state-machine';
import { num } from './edge-selection';
import { queryRows } from './clickhouse';
import { chTime, fromChTime, insertRows, nextVersion } from './alerts-write';

export interface StoredAlertState {
  ruleId: string;
  fingerprint: string;
  labels: Record<string, string>;
  state: AlertStateName;
  activeSince: Date | null;
  lastEvaluated: Date;
  value: number | null;
}

export interface HistoryEntry {
  timestamp: Date;
  ruleId: string;
  fingerprint: string;
  from: AlertStateName;
  to: AlertStateName;
  value: number | null;
  labels: Record<string, string>;
}

interface StateRow {
  RuleId: string;
  Fingerprint: string;
  Labels: Record<string, string>;
  State: string;
  ActiveSince: string | null;
  LastEvaluated: string;
  Value: number | null;
}

const toState = (r: StateRow): StoredAlertState => ({
  ruleId: r.RuleId,
  fingerprint: r.Fingerprint,
  labels: r.Labels ?? {},
  state: r.State as AlertStateName,
  activeSince: r.ActiveSince ? fromChTime(r.ActiveSince) : null,
  lastEvaluated: fromChTime(r.LastEvaluated),
  value: r.Value === null ? null : num(r.Value),
});

/** The current state of every alert (of the given rules, or all). */
export async function loadAlertStates(
  db: Db,
  ruleIds?: readonly string[],
): Promise<StoredAlertState[]> {
  const rows = await queryRows<StateRow>(db, {
    what: 'reading alert state',
    query: `SELECT RuleId, Fingerprint, Labels, State, ActiveSince, LastEvaluated, Value
              FROM {db:Identifier}.alert_state
             WHERE ${ruleIds ? 'RuleId IN {ids:Array(String)}' : '1'}
             ORDER BY RuleId, Fingerprint, Version DESC
             LIMIT 1 BY RuleId, Fingerprint`,
    params: { db: db.database, ids: ruleIds ? [...ruleIds] : [] },
  });
  return rows.map(toState);
}

/** Writes new state rows (one per alert evaluated). */
export async function saveAlertStates(
  db: Db,
  states: readonly StoredAlertState[],
): Promise<void> {
  await insertRows(
    db,
    'alert_state',
    states.map((s) => ({
      RuleId: s.ruleId,
      Fingerprint: s.fingerprint,
      Labels: s.labels,
      State: s.state,
      ActiveSince: s.activeSince ? chTime(s.activeSince) : null,
      LastEvaluated: chTime(s.lastEvaluated),
      Value: s.value !== null && Number.isFinite(s.value) ? s.value : null,
      Version: nextVersion(),
    })),
  );
}

export async function appendHistory(
  db: Db,
  entries: readonly HistoryEntry[],
): Promise<void> {
  await insertRows(
    db,
    'alert_history',
    entries.map((e) => ({
      Timestamp: chTime(e.timestamp),
      RuleId: e.ruleId,
      Fingerprint: e.fingerprint,
      FromState: e.from,
      ToState: e.to,
      Value: e.value !== null && Number.isFinite(e.value) ? e.value : null,
      Labels: e.labels,
    })),
  );
}

interface HistoryRow {
  Timestamp: string;
  RuleId: string;
  Fingerprint: string;
  FromState: string;
  ToState: string;
  Value: number | null;
  Labels: Record<string, string>;
}

/** Transitions, newest first, of one rule or all, within [from, to). */
export async function readHistory(
  db: Db,
  q: { ruleId?: string; fromMs: number; toMs: number; limit: number },
): Promise<HistoryEntry[]> {
  const rows = await queryRows<HistoryRow>(db, {
    what: 'reading alert history',
    query: `SELECT Timestamp, RuleId, Fingerprint, FromState, ToState, Value, Labels
              FROM {db:Identifier}.alert_history
             WHERE Timestamp >= fromUnixTimestamp64Milli({from:Int64})
               AND Timestamp < fromUnixTimestamp64Milli({to:Int64})
               ${q.ruleId !== undefined ? 'AND RuleId = {rule:String}' : ''}
             ORDER BY Timestamp DESC
             LIMIT {limit:UInt32}`,
    params: {
      db: db.database,
      from: q.fromMs,
      to: q.toMs,
      rule: q.ruleId ?? '',
      limit: q.limit,
    },
  });
  return rows.map((r) => ({
    timestamp: fromChTime(r.Timestamp),
    ruleId: r.RuleId,
    fingerprint: r.Fingerprint,
    from: r.FromState as AlertStateName,
    to: r.ToState as AlertStateName,
    value: r.Value === null ? null : num(r.Value),
    labels: r.Labels ?? {},
  }));
}
