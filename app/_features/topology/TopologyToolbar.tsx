'use client';

import { TimeRangePicker } from '../../_components/TimeRangePicker';
import { NamespacePicker } from '../../_components/NamespacePicker';
import { SelectField } from '../../_components/SelectField';
import { HealthFields } from './HealthFields';
import {
  EDGE_COLORS,
  EDGE_LABELS,
  GRAPH_TYPES,
  LAYOUTS,
  PROTOCOLS,
  REFRESH,
  type Protocol,
  type TopologyState,
} from './url-state';

export interface ToolbarProps {
  state: TopologyState;
  namespaces: string[];
  clusters: string[];
  onChange: (patch: Partial<TopologyState>) => void;
  onFit: () => void;
  onZoom: (factor: number) => void;
  onRelayout: () => void;
  matches: number | null;
}

/** Filters (time, namespaces, protocol), graph options and view controls; all kept in the URL. */
export function TopologyToolbar({
  state,
  namespaces,
  clusters,
  onChange,
  onFit,
  onZoom,
  onRelayout,
  matches,
}: ToolbarProps) {
  return (
    <div
      className="toolbar"
      role="toolbar"
      aria-label="Graph filters and options"
    >
      <TimeRangePicker
        value={state.range}
        onChange={(range) => onChange({ range })}
      />
      <SelectField
        label="Graph"
        value={state.graphType}
        options={GRAPH_TYPES}
        onChange={(graphType) => onChange({ graphType, selected: null })}
      />
      <div className="field">
        <span>Namespaces</span>
        <NamespacePicker
          available={namespaces}
          selected={state.namespaces}
          onChange={(ns) => onChange({ namespaces: ns })}
        />
      </div>
      {clusters.length > 1 || state.cluster ? (
        <label className="field">
          <span>Cluster</span>
          <select
            value={state.cluster}
            onChange={(e) => onChange({ cluster: e.target.value })}
          >
            <option value="">All clusters</option>
            {[
              ...new Set([
                ...clusters,
                ...(state.cluster ? [state.cluster] : []),
              ]),
            ].map((c) => (
              <option key={c} value={c}>
                {c}
              </option>
            ))}
          </select>
        </label>
      ) : null}
      <label className="field">
        <span>Protocol</span>
        <select
          value={state.protocols[0] ?? ''}
          onChange={(e) =>
            onChange({
              protocols: e.target.value ? [e.target.value as Protocol] : [],
            })
          }
        >
          <option value="">All</option>
          {PROTOCOLS.map((p) => (
            <option key={p} value={p}>
              {p === 'grpc' ? 'gRPC' : p.toUpperCase()}
            </option>
          ))}
        </select>
      </label>
      <SelectField
        label="Edge labels"
        value={state.edgeLabels}
        options={EDGE_LABELS}
        onChange={(edgeLabels) => onChange({ edgeLabels })}
      />
      <SelectField
        label="Edge colour"
        value={state.edgeColor}
        options={EDGE_COLORS}
        onChange={(edgeColor) => onChange({ edgeColor })}
      />
      <HealthFields
        value={state.health}
        onChange={(health) => onChange({ health })}
      />
      <SelectField
        label="Layout"
        value={state.layout}
        options={LAYOUTS}
        onChange={(layout) => onChange({ layout })}
      />
      <SelectField
        label="Refresh"
        value={state.refresh}
        options={REFRESH}
        onChange={(refresh) => onChange({ refresh })}
      />
      <label className="check field-check">
        <input
          type="checkbox"
          checked={state.idle}
          onChange={(e) => onChange({ idle: e.target.checked })}
        />
        Idle edges
      </label>
      <label className="field search-field">
        <span>Find</span>
        <input
          type="search"
          placeholder="Node name…"
          defaultValue={state.search}
          onChange={(e) => onChange({ search: e.target.value })}
          aria-describedby="find-count"
        />
        <span id="find-count" className="muted small" aria-live="polite">
          {matches === null
            ? ''
            : `${matches} match${matches === 1 ? '' : 'es'}`}
        </span>
      </label>
      <div className="view-buttons" role="group" aria-label="View">
        <button
          type="button"
          className="btn btn-small"
          onClick={onFit}
          title="Fit the graph (0)"
        >
          Fit
        </button>
        <button
          type="button"
          className="btn btn-small"
          onClick={() => onZoom(1.25)}
          aria-label="Zoom in"
          title="Zoom in (+)"
        >
          +
        </button>
        <button
          type="button"
          className="btn btn-small"
          onClick={() => onZoom(0.8)}
          aria-label="Zoom out"
          title="Zoom out (−)"
        >
          −
        </button>
        <button
          type="button"
          className="btn btn-small"
          onClick={onRelayout}
          title="Lay the graph out again"
        >
          Re-layout
        </button>
      </div>
    </div>
  );
}
