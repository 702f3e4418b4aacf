import type { FlagWord } from '../charts/flag-words';

/** The response flags on this page, each with its long name and meaning. */
export function FlagLegend({ flags }: { flags: FlagWord[] }) {
  if (flags.length === 0) return null;
  return (
    <section className="panel flag-legend" aria-label="Response flags legend">
      <h2>Response flags on this page</h2>
      <dl>
        {flags.map((f) => (
          <div key={f.short}>
            <dt className="mono">{f.short}</dt>
            <dd>
              <strong>{f.long}</strong>: {f.meaning}
            </dd>
          </div>
        ))}
      </dl>
    </section>
  );
}
