import { describe, expect, it } from 'vitest';
import { INACTIVE, stepAlert, type AlertStatus } from './state-machine';

const run = (conds: boolean[], forMs: number, stepMs = 60_000) => {
  let s: AlertStatus = INACTIVE;
  return conds.map((c, i) => {
    const st = stepAlert(s, c, i * stepMs, forMs);
    s = st.next;
    return `${st.next.state}${st.notify ? `!${st.notify}` : ''}`;
  });
};

describe('alert state machine', () => {
  it('waits `for` in pending, fires once, resolves once', () => {
    expect(run([false, true, true, true, false, false], 60_000)).toEqual([
      'inactive',
      'pending',
      'firing!firing',
      'firing',
      'resolved!resolved',
      'resolved',
    ]);
  });
  it('fires at once without `for`', () => {
    expect(run([true, false], 0)).toEqual([
      'firing!firing',
      'resolved!resolved',
    ]);
  });
  it('a pending alert that clears goes back to inactive without a notification', () => {
    expect(run([true, false, true], 120_000)).toEqual([
      'pending',
      'inactive',
      'pending',
    ]);
  });
  it('a resolved alert fires again through pending, with a new start', () => {
    let s: AlertStatus = { state: 'resolved', activeSinceMs: 0 };
    s = stepAlert(s, true, 600_000, 60_000).next;
    expect(s).toEqual({ state: 'pending', activeSinceMs: 600_000 });
    expect(stepAlert(s, true, 660_000, 60_000).notify).toBe('firing');
  });
  it('keeps the start of the episode while firing', () => {
    const st = stepAlert(
      { state: 'firing', activeSinceMs: 5 },
      true,
      1_000_000,
      60_000,
    );
    expect(st).toEqual({
      next: { state: 'firing', activeSinceMs: 5 },
      transition: null,
      notify: null,
    });
  });
});
