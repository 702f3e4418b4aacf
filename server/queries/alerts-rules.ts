/** Alert rules in alert_rules: list, read, save (a new Version), delete (Deleted = 1). */
import { randomUUID } from 'node:crypto';
import type { Db } from '../db/client';
import {
  ruleSpecSchema,
  type AlertRule,
  type RuleInput,
} from '../alerts/rule-schema';
import { queryRows } from './clickhouse';
import { chTime, fromChTime, insertRows, nextVersion } from './alerts-write';

interface RuleRow {
  Id: string;
  Name: string;
  Spec: string;
  Enabled: number;
  Deleted: number;
  Version: number;
  UpdatedAt: string;
}

/** Storage row -> rule; a Spec that no longer validates is reported, not hidden. */
export function toRule(
  r: RuleRow,
): AlertRule | { id: string; name: string; invalid: string } {
  let raw: unknown;
  try {
    raw = JSON.parse(r.Spec);
  } catch {
    return { id: r.Id, name: r.Name, invalid: 'Spec is not JSON' };
  }
  const spec = ruleSpecSchema.safeParse(raw);
  if (!spec.success)
    return {
      id: r.Id,
      name: r.Name,
      invalid: spec.error.issues.map((i) => i.message).join('; '),
    };
  return {
    id: r.Id,
    name: r.Name,
    enabled: Number(r.Enabled) === 1,
    spec: spec.data,
    version: Number(r.Version),
    updatedAt: fromChTime(r.UpdatedAt),
  };
}

/** Every rule not deleted (newest version of each), by name. */
export async function listRules(db: Db): Promise<AlertRule[]> {
  const rows = await queryRows<RuleRow>(db, {
    what: 'reading alert rules',
    query: `SELECT * FROM (
              SELECT Id, Name, Spec, Enabled, Deleted, Version, UpdatedAt
                FROM {db:Identifier}.alert_rules
               ORDER BY Id, Version DESC
               LIMIT 1 BY Id)
             WHERE Deleted = 0
             ORDER BY Name, Id`,
    params: { db: db.database },
  });
  return rows.map(toRule).filter((r): r is AlertRule => !('invalid' in r));
}

export async function ruleById(
  db: Db,
  id: string,
): Promise<AlertRule | undefined> {
  const rows = await queryRows<RuleRow>(db, {
    what: 'reading an alert rule',
    query: `SELECT Id, Name, Spec, Enabled, Deleted, Version, UpdatedAt
              FROM {db:Identifier}.alert_rules
             WHERE Id = {id:String}
             ORDER BY Version DESC
             LIMIT 1`,
    params: { db: db.database, id },
  });
  const row = rows[0];
  if (!row || Number(row.Deleted) === 1) return undefined;
  const rule = toRule(row);
  return 'invalid' in rule ? undefined : rule;
}

/** Creates (no id) or replaces a rule; returns it as stored. */
export async function saveRule(
  db: Db,
  input: RuleInput,
  opts: { id?: string; by?: string } = {},
): Promise<AlertRule> {
  const now = new Date();
  const rule: AlertRule = {
    id: opts.id ?? randomUUID(),
    name: input.name,
    enabled: input.enabled,
    spec: input.spec,
    version: nextVersion(now.getTime()),
    updatedAt: now,
  };
  await insertRows(db, 'alert_rules', [
    {
      Id: rule.id,
      Name: rule.name,
      Spec: JSON.stringify(rule.spec),
      Enabled: rule.enabled ? 1 : 0,
      Deleted: 0,
      Version: rule.version,
      UpdatedAt: chTime(now),
      UpdatedBy: opts.by ?? 'api',
    },
  ]);
  return rule;
}

export async function deleteRule(
  db: Db,
  rule: AlertRule,
  by = 'api',
): Promise<void> {
  await insertRows(db, 'alert_rules', [
    {
      Id: rule.id,
      Name: rule.name,
      Spec: JSON.stringify(rule.spec),
      Enabled: 0,
      Deleted: 1,
      Version: nextVersion(),
      UpdatedAt: chTime(new Date()),
      UpdatedBy: by,
    },
  ]);
}
