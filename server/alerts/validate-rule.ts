/**
 * Full validation of a rule from the UI or API: shape and values (rule-schema.ts), fields that
 * depend on each other, and destinations against the outbound allow list. Issues carry dotted
 * paths ("spec.threshold") so forms can show each next to its field.
 */
import {
  crossFieldIssues,
  issuesOf,
  ruleInputSchema,
  type RuleInput,
  type RuleIssue,
} from './rule-schema';
import { refusal, type HostAllowList } from './transports/allow-list';

export type RuleCheck =
  { ok: true; rule: RuleInput } | { ok: false; issues: RuleIssue[] };

export function checkRule(raw: unknown, allowList: HostAllowList): RuleCheck {
  const parsed = ruleInputSchema.safeParse(raw);
  if (!parsed.success) {
    // Say everything at once: refused hosts too, even when other fields are wrong.
    const issues = issuesOf(parsed.error);
    const notify = (raw as { spec?: { notify?: unknown } } | null)?.spec
      ?.notify;
    if (Array.isArray(notify))
      notify.forEach((d: unknown, i) => {
        const url = (d as { url?: unknown } | null)?.url;
        const path = `spec.notify.${i}.url`;
        if (typeof url !== 'string' || issues.some((x) => x.path === path))
          return;
        const why = refusal(allowList, url.trim());
        if (why) issues.push({ path, message: why });
      });
    return { ok: false, issues };
  }
  const issues = crossFieldIssues(parsed.data.spec);
  parsed.data.spec.notify.forEach((d, i) => {
    const why = refusal(allowList, d.url);
    if (why) issues.push({ path: `spec.notify.${i}.url`, message: why });
  });
  return issues.length > 0
    ? { ok: false, issues }
    : { ok: true, rule: parsed.data };
}

/** Issues as one readable message (API errors). */
export function describeIssues(issues: readonly RuleIssue[]): string {
  return `the rule is not valid:\n${issues.map((i) => `  - ${i.path || '(rule)'}: ${i.message}`).join('\n')}`;
}
