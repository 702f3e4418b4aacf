'use client';

import { useState } from 'react';
import {
  PRESETS,
  fromLocalInput,
  toLocalInput,
  type TimeRange,
} from './time-range';
import './controls.css';

/** Presets (live windows) or a custom absolute window; the choice lives in the URL. */
export function TimeRangePicker({
  value,
  onChange,
}: {
  value: TimeRange;
  onChange: (r: TimeRange) => void;
}) {
  const [custom, setCustom] = useState(value.kind === 'custom');
  const now = Date.now();
  const [from, setFrom] = useState(
    toLocalInput(value.kind === 'custom' ? value.fromMs : now - 3600_000),
  );
  const [to, setTo] = useState(
    toLocalInput(value.kind === 'custom' ? value.toMs : now),
  );
  const fromMs = fromLocalInput(from);
  const toMs = fromLocalInput(to);
  const valid = fromMs !== undefined && toMs !== undefined && toMs > fromMs;
  return (
    <div className="time-range">
      <label className="field">
        <span>Time range</span>
        <select
          value={value.kind === 'custom' || custom ? 'custom' : value.preset}
          onChange={(e) => {
            if (e.target.value === 'custom') {
              setCustom(true);
              return;
            }
            setCustom(false);
            const preset = PRESETS.find((p) => p.key === e.target.value);
            if (preset) onChange({ kind: 'preset', preset: preset.key });
          }}
        >
          {PRESETS.map((p) => (
            <option key={p.key} value={p.key}>
              {p.label}
            </option>
          ))}
          <option value="custom">Custom…</option>
        </select>
      </label>
      {custom || value.kind === 'custom' ? (
        <form
          className="custom-range"
          onSubmit={(e) => {
            e.preventDefault();
            if (valid) onChange({ kind: 'custom', fromMs: fromMs, toMs: toMs });
          }}
        >
          <input
            type="datetime-local"
            aria-label="From"
            value={from}
            onChange={(e) => setFrom(e.target.value)}
          />
          <span aria-hidden="true">–</span>
          <input
            type="datetime-local"
            aria-label="To"
            value={to}
            onChange={(e) => setTo(e.target.value)}
          />
          <button type="submit" className="btn btn-small" disabled={!valid}>
            Apply
          </button>
        </form>
      ) : null}
    </div>
  );
}
