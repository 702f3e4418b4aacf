import { formatNumber } from '../charts/format';
import { barSegments, type Split } from './prepare-mtls';

/** A thin bar: mutual TLS, plaintext and unknown side by side, with a text equivalent. */
export function CoverageBar({ split, unit }: { split: Split; unit: string }) {
  const segments = barSegments(split);
  const text = segments
    .map((s) => `${s.label} ${formatNumber(s.count)} ${unit}`)
    .join(', ');
  if (segments.length === 0) return <span className="muted">no traffic</span>;
  return (
    <div className="mtls-bar" role="img" aria-label={text} title={text}>
      {segments.map((s) => (
        <span
          key={s.key}
          className={`mtls-bar-${s.key}`}
          style={{ width: `${s.percent}%` }}
        />
      ))}
    </div>
  );
}
