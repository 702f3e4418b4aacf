import { describe, expect, it } from 'vitest';
import { CounterState, increaseOf } from './counter-state';
import { canonicalBound, seriesId } from './series';

const input = (
  id: string,
  value: number,
  tsMs: number,
  extra: Partial<{ stale: boolean; startsAtZero: boolean }> = {},
) => ({
  id,
  value,
  tsMs,
  stale: false,
  startsAtZero: false,
  ...extra,
});

describe('increaseOf', () => {
  it('has no increase for the first sample unless the series is known to start at 0', () => {
    expect(increaseOf(undefined, 5, 1000, false)).toBeNull();
    expect(increaseOf(undefined, 5, 1000, true)).toBe(5);
  });
  it('is the difference, or the new value after a reset', () => {
    expect(increaseOf({ value: 10, tsMs: 1 }, 15, 2, false)).toBe(5);
    expect(increaseOf({ value: 10, tsMs: 1 }, 3, 2, false)).toBe(3);
    expect(increaseOf({ value: 10, tsMs: 1 }, 10, 2, false)).toBe(0);
  });
  it('never counts a replayed or older sample, nor NaN', () => {
    expect(increaseOf({ value: 10, tsMs: 2 }, 15, 2, false)).toBeNull();
    expect(increaseOf({ value: 10, tsMs: 2 }, 15, 1, false)).toBeNull();
    expect(increaseOf({ value: 10, tsMs: 1 }, NaN, 2, false)).toBeNull();
  });
});

describe('CounterState', () => {
  it('chains several samples of one series in one batch, with a reset in the middle', () => {
    const state = new CounterState(10);
    const plan = state.plan([
      input('a', 1, 1),
      input('a', 4, 2),
      input('a', 2, 3),
      input('a', 7, 4),
    ]);
    expect(plan.increases).toEqual([null, 3, 2, 5]);
    plan.commit();
    expect(state.get('a')).toEqual({ value: 7, tsMs: 4 });
  });

  it('changes nothing until commit, so a refused batch is recomputed identically', () => {
    const state = new CounterState(10);
    state.plan([input('a', 1, 1)]).commit();
    const first = state.plan([input('a', 5, 2)]);
    expect(first.increases).toEqual([4]);
    const retry = state.plan([input('a', 5, 2)]);
    expect(retry.increases).toEqual([4]);
    retry.commit();
    // the same sample again after commit: a replay, not counted twice
    expect(state.plan([input('a', 5, 2)]).increases).toEqual([null]);
  });

  it('ignores stale markers without forgetting the last value', () => {
    const state = new CounterState(10);
    state.plan([input('a', 10, 1)]).commit();
    const plan = state.plan([
      input('a', NaN, 2, { stale: true }),
      input('a', 12, 3),
    ]);
    expect(plan.increases).toEqual([null, 2]);
  });

  it('evicts the least recently used series past its bound', () => {
    const state = new CounterState(2);
    state.plan([input('a', 1, 1), input('b', 1, 1)]).commit();
    state.plan([input('a', 2, 2)]).commit();
    state.plan([input('c', 1, 1)]).commit();
    expect(state.size).toBe(2);
    expect(state.get('b')).toBeUndefined();
    expect(state.get('a')).toBeDefined();
  });
});

describe('series ids', () => {
  it('do not depend on label order and differ per label set', () => {
    expect(seriesId('m', { a: '1', b: '2' })).toBe(
      seriesId('m', { b: '2', a: '1' }),
    );
    expect(seriesId('m', { a: '1' })).not.toBe(seriesId('m', { a: '2' }));
    expect(seriesId('m', { a: '1' })).toMatch(/^\d+$/);
    expect(BigInt(seriesId('m', { a: '1' }))).toBeLessThan(2n ** 64n);
  });
  it('normalize le bounds across formats', () => {
    expect(canonicalBound('1.0')).toBe('1');
    expect(canonicalBound('1e+06')).toBe('1000000');
    expect(canonicalBound('+Inf')).toBe('+Inf');
    expect(canonicalBound('0.5')).toBe('0.5');
  });
});
