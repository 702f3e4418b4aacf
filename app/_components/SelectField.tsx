'use client';

export interface SelectOption<K extends string> {
  key: K;
  label: string;
}

/** A labelled select over a fixed list of options (toolbar fields). */
export function SelectField<K extends string>({
  label,
  value,
  options,
  onChange,
}: {
  label: string;
  value: K;
  options: readonly SelectOption<K>[];
  onChange: (value: K) => void;
}) {
  return (
    <label className="field">
      <span>{label}</span>
      <select value={value} onChange={(e) => onChange(e.target.value as K)}>
        {options.map((o) => (
          <option key={o.key} value={o.key}>
            {o.label}
          </option>
        ))}
      </select>
    </label>
  );
}
