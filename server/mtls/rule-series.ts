/**
 * The mTLS figures alert rules watch (mtls_coverage_below, new_plaintext_edge), from the same
 * per-edge tallies as the mTLS view, so a rule fires on the number the view shows. Callers are
 * matched after inbound access-log lines were attributed (an edge scope on logs alone would
 * otherwise see only unknown callers).
 */
import type { RuleScope } from '../alerts/rule-schema';
import type { Db } from '../db/client';
import {
  scopeFilter,
  scopeLabels,
  seriesLabels,
  type SeriesGrouping,
} from '../queries/alerts-measure';
import type { ResolvedWindow } from '../queries/traffic-filter';
import { attributedPolicyRows } from './coverage';
import type { PolicyRow } from './policy-rows';
import { addTally, emptyTally, type Tally } from './tally';

export interface MtlsSeries {
  labels: Record<string, string>;
  tally: Tally;
}

/** Rows of the scope's source side (checked after attribution). */
function sourceMatches(r: PolicyRow, scope: RuleScope): boolean {
  if (scope.type !== 'edge') return true;
  return (
    r.sourceNamespace === scope.source.namespace &&
    r.sourceService === scope.source.service
  );
}

/** Tallies of a scope over a window, one per series (one, present even without traffic, when not grouped). */
export async function mtlsRuleSeries(
  db: Db,
  scope: RuleScope,
  grouping: SeriesGrouping,
  w: ResolvedWindow,
): Promise<MtlsSeries[]> {
  const { source: _source, ...filter } = scopeFilter(scope);
  const rows = (await attributedPolicyRows(db, w, filter)).filter((r) =>
    sourceMatches(r, scope),
  );
  const base = scopeLabels(scope);
  const out = new Map<string, MtlsSeries>();
  for (const r of rows) {
    const labels = {
      ...base,
      ...seriesLabels(grouping, {
        sns: r.sourceNamespace,
        ssvc: r.sourceService,
        dns: r.destinationNamespace,
        dsvc: r.destinationService,
      }),
    };
    const id = JSON.stringify(labels);
    const s = out.get(id) ?? { labels, tally: emptyTally() };
    addTally(s.tally, r.tally);
    out.set(id, s);
  }
  if (grouping === 'none' && out.size === 0)
    out.set('{}', { labels: base, tally: emptyTally() });
  return [...out.values()];
}
