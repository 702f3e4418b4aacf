/**
 * Windowing for a list of fixed-height rows: which rows to mount for a scroll position, so a
 * 100,000-row waterfall keeps only a screenful (plus overscan) in the DOM. Pure.
 */

export interface RowWindow {
  /** First row to render (inclusive). */
  start: number;
  /** Last row to render (exclusive). */
  end: number;
  /** Pixels above the first rendered row (its top offset). */
  offsetTop: number;
  /** Height of the whole list, px. */
  totalHeight: number;
}

export function visibleRows(opts: {
  scrollTop: number;
  viewportHeight: number;
  rowHeight: number;
  rowCount: number;
  /** Extra rows above and below, so fast scrolling does not show blanks. */
  overscan?: number;
}): RowWindow {
  const { rowHeight, rowCount } = opts;
  const overscan = opts.overscan ?? 10;
  const totalHeight = rowCount * rowHeight;
  if (rowCount === 0 || rowHeight <= 0)
    return { start: 0, end: 0, offsetTop: 0, totalHeight: 0 };
  const maxTop = Math.max(0, totalHeight - opts.viewportHeight);
  const top = Math.min(Math.max(0, opts.scrollTop), maxTop);
  const first = Math.floor(top / rowHeight);
  const last = Math.ceil((top + Math.max(0, opts.viewportHeight)) / rowHeight);
  const start = Math.max(0, first - overscan);
  const end = Math.min(rowCount, Math.max(last, first + 1) + overscan);
  return { start, end, offsetTop: start * rowHeight, totalHeight };
}

/** The scrollTop that brings row `index` into view (unchanged when it already is). */
export function scrollToRow(opts: {
  index: number;
  scrollTop: number;
  viewportHeight: number;
  rowHeight: number;
}): number {
  const top = opts.index * opts.rowHeight;
  const bottom = top + opts.rowHeight;
  if (top < opts.scrollTop) return top;
  if (bottom > opts.scrollTop + opts.viewportHeight)
    return bottom - opts.viewportHeight;
  return opts.scrollTop;
}
