'use client';

import { useState } from 'react';
import { TimeRangePicker } from '../../_components/TimeRangePicker';
import type { TraceSearchState } from './search-state';

export interface ServiceOption {
  service: string;
  operations: string[];
}

/**
 * The search filters. Text fields are edited locally and applied with "Find traces" (one URL
 * change, one query); the time range applies at once, as elsewhere in the dashboard.
 */
export function TraceSearchForm({
  state,
  services,
  onSearch,
}: {
  state: TraceSearchState;
  services: ServiceOption[];
  onSearch: (patch: Partial<TraceSearchState>) => void;
}) {
  const [draft, setDraft] = useState(state);
  const set = (patch: Partial<TraceSearchState>) =>
    setDraft((d) => ({ ...d, ...patch }));
  const operations =
    services.find((s) => s.service === draft.service)?.operations ?? [];
  const num = (v: string) => (v.trim() === '' ? undefined : Number(v));
  return (
    <form
      className="toolbar trace-search"
      role="search"
      aria-label="Trace search"
      onSubmit={(e) => {
        e.preventDefault();
        onSearch({ ...draft, range: state.range, offset: 0 });
      }}
    >
      <TimeRangePicker
        value={state.range}
        onChange={(range) => onSearch({ range, offset: 0 })}
      />
      <label className="field">
        <span>Service</span>
        <select
          name="service"
          value={draft.service}
          onChange={(e) => set({ service: e.target.value, operation: '' })}
        >
          <option value="">All services</option>
          {draft.service &&
          !services.some((s) => s.service === draft.service) ? (
            <option value={draft.service}>{draft.service}</option>
          ) : null}
          {services.map((s) => (
            <option key={s.service} value={s.service}>
              {s.service}
            </option>
          ))}
        </select>
      </label>
      <label className="field">
        <span>Operation</span>
        <input
          name="operation"
          list="trace-operations"
          placeholder="All operations"
          value={draft.operation}
          onChange={(e) => set({ operation: e.target.value })}
        />
        <datalist id="trace-operations">
          {operations.map((op) => (
            <option key={op} value={op} />
          ))}
        </datalist>
      </label>
      <label className="field field-wide">
        <span>Tags</span>
        <input
          name="tags"
          placeholder="http.status_code=503 response_flags=UF"
          value={draft.tags}
          onChange={(e) => set({ tags: e.target.value })}
        />
      </label>
      <label className="field field-num">
        <span>Min ms</span>
        <input
          name="minDurationMs"
          type="number"
          min={0}
          step="any"
          value={draft.minDurationMs ?? ''}
          onChange={(e) => set({ minDurationMs: num(e.target.value) })}
        />
      </label>
      <label className="field field-num">
        <span>Max ms</span>
        <input
          name="maxDurationMs"
          type="number"
          min={0}
          step="any"
          value={draft.maxDurationMs ?? ''}
          onChange={(e) => set({ maxDurationMs: num(e.target.value) })}
        />
      </label>
      <label className="field">
        <span>Request id</span>
        <input
          name="requestId"
          placeholder="x-request-id"
          value={draft.requestId}
          onChange={(e) => set({ requestId: e.target.value })}
        />
      </label>
      <label className="check field-check">
        <input
          type="checkbox"
          name="errorsOnly"
          checked={draft.errorsOnly}
          onChange={(e) => set({ errorsOnly: e.target.checked })}
        />
        Errors only
      </label>
      <button type="submit" className="btn btn-primary">
        Find traces
      </button>
    </form>
  );
}
