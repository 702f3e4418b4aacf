'use client';

import type { HealthPercents } from './url-state';

/** The error-rate thresholds of the health colours (percent), kept in the URL. */
export function HealthFields({
  value,
  onChange,
}: {
  value: HealthPercents;
  onChange: (next: HealthPercents) => void;
}) {
  const field = (key: keyof HealthPercents, label: string, title: string) => (
    <label className="field health-field" title={title}>
      <span>{label}</span>
      <input
        type="number"
        min={0}
        max={100}
        step={0.1}
        // keyed by value: a change from the URL (back button) shows, typing is not fought
        key={value[key]}
        defaultValue={value[key]}
        onBlur={(e) => {
          const n = Number(e.target.value);
          if (!Number.isFinite(n) || n < 0 || n > 100 || n === value[key])
            return;
          const next = { ...value, [key]: n };
          onChange({
            degraded: Math.min(next.degraded, next.failure),
            failure: next.failure,
          });
        }}
      />
    </label>
  );
  return (
    <div className="health-fields" role="group" aria-label="Health thresholds">
      {field(
        'degraded',
        'Degraded ≥ %',
        'Error % at which an edge turns amber',
      )}
      {field('failure', 'Failing ≥ %', 'Error % at which an edge turns red')}
    </div>
  );
}
