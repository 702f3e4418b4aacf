'use client';
import './controls.css';

/** A dropdown of namespace checkboxes (none checked = all namespaces). */
export function NamespacePicker({
  available,
  selected,
  onChange,
}: {
  available: string[];
  selected: string[];
  onChange: (ns: string[]) => void;
}) {
  const all = [...new Set([...available, ...selected])].sort();
  const summary =
    selected.length === 0
      ? 'All namespaces'
      : selected.length === 1
        ? selected[0]
        : `${selected.length} namespaces`;
  return (
    <details className="picker">
      <summary className="field-like" aria-label="Namespaces">
        {summary}
      </summary>
      <div className="picker-menu" role="group" aria-label="Namespaces">
        {all.length === 0 ? (
          <p className="muted small">
            No namespaces with traffic in this window.
          </p>
        ) : null}
        {all.map((ns) => (
          <label key={ns} className="check">
            <input
              type="checkbox"
              checked={selected.includes(ns)}
              onChange={(e) =>
                onChange(
                  e.target.checked
                    ? [...selected, ns]
                    : selected.filter((s) => s !== ns),
                )
              }
            />
            {ns}
          </label>
        ))}
        {selected.length > 0 ? (
          <button
            type="button"
            className="btn btn-small"
            onClick={() => onChange([])}
          >
            Show all
          </button>
        ) : null}
      </div>
    </details>
  );
}
