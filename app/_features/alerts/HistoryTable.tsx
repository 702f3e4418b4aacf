'use client';

import { useQuery } from '@tanstack/react-query';
import { ErrorNotice } from '../../_components/ErrorNotice';
import { useTRPC } from '../../_trpc/client';
import { formatValue, timeText, whereText } from './alert-format';
import { StateBadge } from './StateBadge';

/** Every state change of the last day (of one rule, or all), newest first. */
export function HistoryTable({
  rules,
  ruleId = null,
}: {
  rules: { id: string; name: string; spec: { kind: string } }[];
  ruleId?: string | null;
}) {
  const trpc = useTRPC();
  const history = useQuery(
    trpc.alerts.history.queryOptions(
      { lastMs: 86_400_000, ...(ruleId ? { ruleId } : {}) },
      { refetchInterval: 15_000 },
    ),
  );
  const byId = new Map(rules.map((r) => [r.id, r]));
  if (history.isError)
    return (
      <ErrorNotice
        title="Could not read the alert history"
        message={history.error.message}
      />
    );
  if (!history.data) return <p className="muted">Loading…</p>;
  if (history.data.length === 0)
    return (
      <p className="empty-inline">
        {ruleId
          ? 'This rule’s alerts did not change state in the last 24 hours.'
          : 'No alert changed state in the last 24 hours.'}
      </p>
    );
  return (
    <table className="data-table" aria-label="Alert history">
      <thead>
        <tr>
          <th>Time</th>
          <th>Rule</th>
          <th>Where</th>
          <th>Change</th>
          <th className="num">Value</th>
        </tr>
      </thead>
      <tbody>
        {history.data.map((h) => {
          const rule = byId.get(h.ruleId);
          return (
            <tr
              key={`${h.ruleId}-${h.fingerprint}-${String(h.timestamp)}-${h.to}`}
            >
              <td>{timeText(h.timestamp)}</td>
              <td>
                {rule?.name ?? <span className="muted">deleted rule</span>}
              </td>
              <td>{whereText(h.labels)}</td>
              <td>
                <StateBadge state={h.from} /> → <StateBadge state={h.to} />
              </td>
              <td className="num">
                {formatValue(rule?.spec.kind ?? '', h.value)}
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
