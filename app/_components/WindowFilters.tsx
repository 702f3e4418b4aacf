import { NamespacePicker } from './NamespacePicker';
import type { TimeRange } from './time-range';
import { TimeRangePicker } from './TimeRangePicker';

/** The time range and namespace pickers that open a view's toolbar (state kept by the view). */
export function WindowFilters({
  range,
  namespaces,
  available,
  onChange,
}: {
  range: TimeRange;
  namespaces: string[];
  /** Namespaces with traffic, offered in the picker. */
  available: string[];
  onChange: (patch: { range?: TimeRange; namespaces?: string[] }) => void;
}) {
  return (
    <>
      <TimeRangePicker value={range} onChange={(r) => onChange({ range: r })} />
      <div className="field">
        <span>Namespaces</span>
        <NamespacePicker
          available={available}
          selected={namespaces}
          onChange={(ns) => onChange({ namespaces: ns })}
        />
      </div>
    </>
  );
}
