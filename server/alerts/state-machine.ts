/**
 * The life of one alert (a rule and one label set), as Prometheus runs it:
 *   inactive --condition--> pending --held for `for`--> firing --condition gone--> resolved
 * `for` = 0 goes from inactive straight to firing. A pending alert whose condition goes away
 * returns to inactive without a word; a resolved alert fires again (through pending) when the
 * condition returns. Pure: the evaluator persists the result in alert_state.
 */

export const ALERT_STATES = [
  'inactive',
  'pending',
  'firing',
  'resolved',
] as const;
export type AlertStateName = (typeof ALERT_STATES)[number];

export interface AlertStatus {
  state: AlertStateName;
  /** When the current pending/firing episode began (epoch ms); null when inactive. */
  activeSinceMs: number | null;
}

export interface Step {
  next: AlertStatus;
  /** Set when the state changed. */
  transition: { from: AlertStateName; to: AlertStateName } | null;
  /** What to tell receivers: a firing alert, a resolution, or nothing. */
  notify: 'firing' | 'resolved' | null;
}

export const INACTIVE: AlertStatus = { state: 'inactive', activeSinceMs: null };

/** Advances one alert by one evaluation at `nowMs` with the condition `active`. */
export function stepAlert(
  prev: AlertStatus,
  active: boolean,
  nowMs: number,
  forMs: number,
): Step {
  let next: AlertStatus;
  if (active) {
    const since =
      prev.state === 'pending' || prev.state === 'firing'
        ? (prev.activeSinceMs ?? nowMs)
        : nowMs;
    const firing = prev.state === 'firing' || nowMs - since >= forMs;
    next = { state: firing ? 'firing' : 'pending', activeSinceMs: since };
  } else if (prev.state === 'firing') {
    next = { state: 'resolved', activeSinceMs: prev.activeSinceMs };
  } else if (prev.state === 'resolved') {
    next = prev;
  } else {
    next = INACTIVE;
  }
  const changed = next.state !== prev.state;
  return {
    next,
    transition: changed ? { from: prev.state, to: next.state } : null,
    notify: !changed
      ? null
      : next.state === 'firing'
        ? 'firing'
        : next.state === 'resolved'
          ? 'resolved'
          : null,
  };
}
