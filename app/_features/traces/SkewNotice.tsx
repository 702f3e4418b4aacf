import type { SkewAdjustment } from './clock-skew';
import { formatDurationUs } from './view-math';

/** Says that (and how) clock skew was adjusted, with a switch back to the recorded times. */
export function SkewNotice({
  adjustments,
  adjust,
  onAdjust,
}: {
  adjustments: readonly SkewAdjustment[];
  adjust: boolean;
  onAdjust: (adjust: boolean) => void;
}) {
  if (adjustments.length === 0) return null;
  const largest = adjustments.reduce(
    (m, a) => Math.max(m, Math.abs(a.deltaUs)),
    0,
  );
  return (
    <div className="notice notice-warn skew-notice" role="status">
      <strong>Clock skew {adjust ? 'adjusted' : 'detected'}</strong> for{' '}
      {adjustments.length} span{adjustments.length === 1 ? '' : 's'} (largest
      shift {formatDurationUs(largest)}): a span recorded by another service did
      not fit inside the span that called it, which happens when the two
      hosts&apos; clocks differ.{' '}
      {adjust
        ? 'Each is shown centred in its parent, its children moved with it.'
        : 'Recorded times are shown.'}{' '}
      <label className="check inline-check">
        <input
          type="checkbox"
          checked={adjust}
          onChange={(e) => onAdjust(e.target.checked)}
        />{' '}
        Adjust
      </label>
    </div>
  );
}
