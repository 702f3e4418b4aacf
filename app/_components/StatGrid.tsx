import type { ReactNode } from 'react';
import './controls.css';

export interface StatItem {
  label: string;
  value: ReactNode;
  /** 'bad' / 'warn' colour the value; a title explains it. */
  tone?: 'bad' | 'warn' | undefined;
  title?: string | undefined;
}

/** A compact grid of labelled figures. Values are rendered as text. */
export function StatGrid({
  items,
  label,
}: {
  items: StatItem[];
  label: string;
}) {
  return (
    <dl className="stat-grid" aria-label={label}>
      {items.map((s) => (
        <div key={s.label} title={s.title}>
          <dt>{s.label}</dt>
          <dd className={s.tone ? `tone-${s.tone}` : undefined}>{s.value}</dd>
        </div>
      ))}
    </dl>
  );
}
