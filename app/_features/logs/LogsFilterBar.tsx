'use client';

import { useState } from 'react';
import { TimeRangePicker } from '../../_components/TimeRangePicker';
import { RESPONSE_FLAGS } from '~/collectors/sources/envoy-access-log/response-flags';
import { CODE_CLASSES, type LogsState } from './logs-state';

const CODE_LABELS: Record<(typeof CODE_CLASSES)[number], string> = {
  '2xx': '2xx',
  '3xx': '3xx',
  '4xx': '4xx',
  '5xx': '5xx',
  none: 'No response (0)',
};

/**
 * The filters. Text fields are edited locally and applied with "Search" (one URL change, one
 * query); the time range applies at once, as elsewhere in the dashboard.
 */
export function LogsFilterBar({
  state,
  onSearch,
}: {
  state: LogsState;
  onSearch: (patch: Partial<LogsState>) => void;
}) {
  const [draft, setDraft] = useState(state);
  const set = (patch: Partial<LogsState>) =>
    setDraft((d) => ({ ...d, ...patch }));
  const text = (
    name: 'namespace' | 'service' | 'requestId' | 'traceId' | 'q',
    label: string,
    placeholder: string,
    wide = false,
  ) => (
    <label className={wide ? 'field field-wide' : 'field'}>
      <span>{label}</span>
      <input
        name={name}
        placeholder={placeholder}
        value={draft[name]}
        onChange={(e) => set({ [name]: e.target.value })}
      />
    </label>
  );
  return (
    <form
      className="toolbar logs-search"
      role="search"
      aria-label="Access-log search"
      onSubmit={(e) => {
        e.preventDefault();
        onSearch({ ...draft, range: state.range, offset: 0 });
      }}
    >
      <TimeRangePicker
        value={state.range}
        onChange={(range) => onSearch({ range, offset: 0 })}
      />
      {text('namespace', 'Namespace', 'All namespaces')}
      {text('service', 'Service', 'reviews or reviews.bookinfo')}
      <label className="field">
        <span>Code</span>
        <select
          name="code"
          value={draft.codeClass}
          onChange={(e) =>
            set({ codeClass: e.target.value as LogsState['codeClass'] })
          }
        >
          <option value="">Any code</option>
          {CODE_CLASSES.map((c) => (
            <option key={c} value={c}>
              {CODE_LABELS[c]}
            </option>
          ))}
        </select>
      </label>
      <label className="field">
        <span>Flag</span>
        <select
          name="flag"
          value={draft.flag}
          onChange={(e) => set({ flag: e.target.value })}
        >
          <option value="">Any flag</option>
          {Object.entries(RESPONSE_FLAGS).map(([short, info]) => (
            <option key={short} value={short} title={info.meaning}>
              {short} – {info.long}
            </option>
          ))}
        </select>
      </label>
      {text('requestId', 'Request id', 'x-request-id')}
      {text('traceId', 'Trace id', '32 hex digits')}
      {text('q', 'Path or authority', '/api/v1/products', true)}
      <button type="submit" className="btn btn-primary">
        Search
      </button>
    </form>
  );
}
