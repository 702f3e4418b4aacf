import { STATE_TONE } from './alert-format';

/** An alert or delivery state as a coloured badge. */
export function StateBadge({
  state,
  title,
}: {
  state: string;
  title?: string;
}) {
  return (
    <span
      className={`state-badge ${STATE_TONE[state] ?? 'state-inactive'}`}
      title={title}
    >
      {state.replace('_', ' ')}
    </span>
  );
}
