'use client';

import { memo, type CSSProperties } from 'react';
import { formatDurationUs, type ViewedBounds } from './view-math';

export interface RowSpan {
  spanId: string;
  parentSpanId: string;
  service: string;
  name: string;
  kind: string;
  error: boolean;
  durationUs: number;
  missingParent: boolean;
}

/** Indent per level, px; capped so very deep traces keep room for the names. */
const INDENT_PX = 12;
const MAX_INDENT_LEVELS = 24;

/** One span: tree toggle, service colour and name on the left; its bar on the timeline. */
export const WaterfallRow = memo(function WaterfallRow({
  span,
  depth,
  hasChildren,
  collapsed,
  selected,
  color,
  bar,
  critical,
  events,
  onToggle,
  onSelect,
}: {
  span: RowSpan;
  depth: number;
  hasChildren: boolean;
  collapsed: boolean;
  selected: boolean;
  color: string;
  /** The bar within the view (0..1), undefined when it is outside the zoomed view. */
  bar: ViewedBounds | undefined;
  /** Critical-path parts of the bar, view fractions. */
  critical: ViewedBounds[];
  /** Event marks, view fractions. */
  events: { at: number; name: string }[];
  onToggle: (spanId: string) => void;
  onSelect: (spanId: string) => void;
}) {
  const indent = Math.min(depth, MAX_INDENT_LEVELS) * INDENT_PX;
  // Duration label: after the bar, else before it, else inside it (a bar across the whole view).
  const place =
    !bar || bar.end < 0.85 ? 'after' : bar.start > 0.15 ? 'before' : 'inside';
  return (
    <div
      className={`wf-row${selected ? ' is-selected' : ''}${span.error ? ' is-error' : ''}`}
      role="treeitem"
      aria-level={depth + 1}
      aria-selected={selected}
      aria-expanded={hasChildren ? !collapsed : undefined}
      data-span-id={span.spanId}
      data-parent-span-id={span.parentSpanId}
      data-depth={depth}
      onClick={() => onSelect(span.spanId)}
      style={{ '--service-color': color } as CSSProperties}
    >
      <div className="wf-name" style={{ paddingLeft: 6 + indent }}>
        {hasChildren ? (
          <button
            type="button"
            className="wf-toggle"
            aria-label={collapsed ? 'Expand' : 'Collapse'}
            onClick={(e) => {
              e.stopPropagation();
              onToggle(span.spanId);
            }}
          >
            {collapsed ? '▸' : '▾'}
          </button>
        ) : (
          <span className="wf-toggle-space" />
        )}
        <span className="wf-swatch" aria-hidden="true" />
        {span.error ? (
          <span className="wf-error" title="Error status">
            !
          </span>
        ) : null}
        <span className="wf-service">{span.service}</span>
        <span className="wf-op" title={span.name}>
          {span.name}
        </span>
        {span.missingParent ? (
          <span
            className="wf-orphan"
            title={`Parent span ${span.parentSpanId} was not received`}
          >
            parent missing
          </span>
        ) : null}
      </div>
      <div className="wf-timeline">
        {bar ? (
          <div
            className="wf-bar"
            style={{
              left: `${bar.start * 100}%`,
              width: `max(1px, ${(bar.end - bar.start) * 100}%)`,
            }}
          >
            {critical.map((c, i) => (
              <span
                key={i}
                className="wf-critical"
                style={{
                  left: `${((c.start - bar.start) / Math.max(bar.end - bar.start, 1e-9)) * 100}%`,
                  width: `${((c.end - c.start) / Math.max(bar.end - bar.start, 1e-9)) * 100}%`,
                }}
              />
            ))}
          </div>
        ) : null}
        {events.map((e, i) => (
          <span
            key={i}
            className="wf-event"
            style={{ left: `${e.at * 100}%` }}
            title={e.name}
          />
        ))}
        {bar ? (
          <span
            className={`wf-duration wf-duration-${place}`}
            style={
              place === 'after'
                ? { left: `calc(${bar.end * 100}% + 4px)` }
                : place === 'before'
                  ? { right: `calc(${(1 - bar.start) * 100}% + 4px)` }
                  : { right: `calc(${(1 - bar.end) * 100}% + 4px)` }
            }
          >
            {formatDurationUs(span.durationUs)}
          </span>
        ) : null}
      </div>
    </div>
  );
});
