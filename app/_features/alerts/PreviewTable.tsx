import type { RouterOutputs } from '../../_trpc/client';
import { formatValue, whereText } from './alert-format';
import { StateBadge } from './StateBadge';

type Preview = RouterOutputs['alerts']['test'];

/** "Test this rule now": every series with its value and whether the condition holds. */
export function PreviewTable({
  preview,
  kind,
}: {
  preview: Preview;
  kind: string;
}) {
  if (preview.series.length === 0)
    return (
      <p className="empty-inline">
        No traffic matches this rule&apos;s scope in its window: it would not
        fire.
      </p>
    );
  return (
    <table className="data-table" aria-label="Rule preview">
      <thead>
        <tr>
          <th>Series</th>
          <th className="num">Value</th>
          <th className="num">Requests</th>
          <th>Condition</th>
          <th>Note</th>
        </tr>
      </thead>
      <tbody>
        {preview.series.map((s) => (
          <tr key={s.fingerprint}>
            <td>{whereText(s.labels)}</td>
            <td className="num">{formatValue(kind, s.value)}</td>
            <td className="num">{Math.round(s.requests)}</td>
            <td>
              <StateBadge
                state={s.active ? 'firing' : 'inactive'}
                title={
                  s.active
                    ? 'the condition holds now'
                    : 'the condition does not hold'
                }
              />
              {s.silencedBy ? (
                <span className="muted small"> silenced</span>
              ) : null}
            </td>
            <td className="muted">{s.note ?? ''}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
