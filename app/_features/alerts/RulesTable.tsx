'use client';

import type { RouterOutputs } from '../../_trpc/client';
import { formatValue, scopeText, whereText } from './alert-format';
import { StateBadge } from './StateBadge';

type Rule = RouterOutputs['alerts']['list'][number];

/** Every rule with its state and its active alerts. */
export function RulesTable({
  rules,
  selectedId = null,
  onEdit,
  onToggle,
  onDelete,
}: {
  rules: Rule[];
  /** The rule the URL names (`?rule=`), highlighted. */
  selectedId?: string | null;
  onEdit: (r: Rule) => void;
  onToggle: (r: Rule) => void;
  onDelete: (r: Rule) => void;
}) {
  return (
    <table className="data-table" aria-label="Alert rules">
      <thead>
        <tr>
          <th>State</th>
          <th>Rule</th>
          <th>Scope</th>
          <th>Condition</th>
          <th>Active alerts</th>
          <th>Enabled</th>
          <th />
        </tr>
      </thead>
      <tbody>
        {rules.map((r) => {
          const active = r.alerts.filter(
            (a) => a.state === 'firing' || a.state === 'pending',
          );
          return (
            <tr
              key={r.id}
              data-rule={r.name}
              className={r.id === selectedId ? 'selected' : undefined}
              aria-current={r.id === selectedId ? 'true' : undefined}
            >
              <td>
                <StateBadge
                  state={r.enabled ? r.state : 'inactive'}
                  title={r.enabled ? undefined : 'disabled'}
                />
              </td>
              <td className="name-cell">
                <strong>{r.name}</strong>
                <div className="muted small">
                  {r.spec.kind.replaceAll('_', ' ')}
                </div>
              </td>
              <td>
                {scopeText(r.spec.scope)}
                {r.spec.groupBy !== 'none' ? (
                  <span className="muted"> (per {r.spec.groupBy})</span>
                ) : null}
              </td>
              <td className="muted">
                {r.spec.kind === 'mtls_coverage_below' ||
                (r.spec.kind === 'request_rate' && r.spec.direction === 'drop')
                  ? '<'
                  : '>'}{' '}
                {formatValue(r.spec.kind, r.spec.threshold)} over{' '}
                {r.spec.window}
                {r.spec.for !== '0s' ? `, for ${r.spec.for}` : ''}
              </td>
              <td>
                {active.length === 0 ? (
                  <span className="muted">none</span>
                ) : null}
                {active.slice(0, 5).map((a) => (
                  <div key={a.fingerprint} className="small">
                    <StateBadge state={a.state} />{' '}
                    {whereText(a.labels, { ...r.spec.labels })} ·{' '}
                    {formatValue(r.spec.kind, a.value)}
                    {a.silencedBy ? (
                      <span className="muted"> · silenced</span>
                    ) : null}
                  </div>
                ))}
                {active.length > 5 ? (
                  <div className="muted small">
                    and {active.length - 5} more
                  </div>
                ) : null}
              </td>
              <td>
                <input
                  type="checkbox"
                  aria-label={`Enable ${r.name}`}
                  checked={r.enabled}
                  onChange={() => onToggle(r)}
                />
              </td>
              <td>
                <div className="row-actions">
                  <button
                    type="button"
                    className="btn btn-small"
                    onClick={() => onEdit(r)}
                  >
                    Edit
                  </button>
                  <button
                    type="button"
                    className="btn btn-small btn-danger"
                    onClick={() => onDelete(r)}
                  >
                    Delete
                  </button>
                </div>
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
