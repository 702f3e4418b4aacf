import type { TraceTab } from './trace-page-state';

const LABELS: [TraceTab, string][] = [
  ['waterfall', 'Waterfall'],
  ['flame', 'Flame graph'],
  ['stats', 'Statistics'],
];

/** The trace page's views; the choice lives in the URL (`?view=flame`). */
export function TraceTabs({
  tab,
  onTab,
}: {
  tab: TraceTab;
  onTab: (tab: TraceTab) => void;
}) {
  return (
    <div className="segmented" role="tablist" aria-label="Trace views">
      {LABELS.map(([t, label]) => (
        <button
          key={t}
          type="button"
          role="tab"
          aria-selected={tab === t}
          className={tab === t ? 'active' : ''}
          onClick={() => onTab(t)}
        >
          {label}
        </button>
      ))}
    </div>
  );
}
