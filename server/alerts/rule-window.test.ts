import { describe, expect, it } from 'vitest';
import { emptyMeasures } from '../topology/measures';
import { emptyTally } from '../mtls/tally';
import { ruleWindow, scaledMeasures, scaledTally } from './rule-window';

const MIN = 60_000;
const T = Date.UTC(2026, 0, 1, 12, 0, 0);

/** Parts as [first minute, minutes, weight] relative to T. */
const shape = (from: number, to: number, until?: number) =>
  ruleWindow(from, to, until).parts.map((p) => [
    (p.window.startMs - T) / MIN,
    (p.window.endMs - p.window.startMs) / MIN,
    Number(p.weight.toFixed(4)),
  ]);

describe('the window a rule reads', () => {
  it('reads whole minutes in full when the window starts and ends on minutes', () => {
    expect(shape(T, T + MIN)).toEqual([[0, 1, 1]]);
    expect(shape(T - 5 * MIN, T)).toEqual([[-5, 5, 1]]);
    // a preview of a past whole minute: later data does not change it
    expect(shape(T, T + MIN, T + 10 * MIN)).toEqual([[0, 1, 1]]);
  });

  it('weighs the minute it starts in by the part inside the window (live: the minute in progress counts in full)', () => {
    // 1m at 12:00:20: 40 s of 11:59 and the 20 s of 12:00 so far
    expect(shape(T - 40_000, T + 20_000)).toEqual([
      [-1, 1, 0.6667],
      [0, 1, 1],
    ]);
    // 5m at 12:00:45
    expect(shape(T + 45_000 - 5 * MIN, T + 45_000)).toEqual([
      [-5, 1, 0.25],
      [-4, 5, 1],
    ]);
    expect(ruleWindow(T - 40_000, T + 20_000).seconds).toBe(60);
  });

  it('weighs a past window at both ends, by the time each minute lies inside it', () => {
    // 11:58:30-11:59:30 with the data complete: half of each minute
    expect(shape(T - 90_000, T - 30_000, T + 20_000)).toEqual([
      [-2, 1, 0.5],
      [-1, 1, 0.5],
    ]);
    // an hour-long baseline ending at 11:59:20, while 12:00:20 is now
    expect(shape(T - 40_000 - 60 * MIN, T - 40_000, T + 20_000)).toEqual([
      [-61, 1, 0.6667],
      [-60, 59, 1],
      [-1, 1, 0.3333],
    ]);
    // within one minute still in progress: the share of the data so far
    expect(shape(T + 10_000, T + 40_000, T + 40_000)).toEqual([[0, 1, 0.75]]);
  });

  it('refuses an empty window', () => {
    expect(() => ruleWindow(T, T)).toThrow(/must end after it starts/);
  });

  it('scales every count, the histogram and the mTLS split, leaving the input alone', () => {
    const m = emptyMeasures();
    m.requests = 100;
    m.errors = 10;
    m.buckets = { '5000': 80, '10000': 20 };
    m.mtls.destYes = 90;
    const half = scaledMeasures(m, 0.5);
    expect(half).toMatchObject({
      requests: 50,
      errors: 5,
      buckets: { '5000': 40, '10000': 10 },
      mtls: { destYes: 45 },
    });
    expect(m.requests).toBe(100);
    expect(m.buckets['5000']).toBe(80);
    const t = emptyTally();
    t.total.requests = 10;
    t.plaintext.bytes = 4;
    expect(scaledTally(t, 0.25)).toMatchObject({
      total: { requests: 2.5 },
      plaintext: { bytes: 1 },
    });
    expect(t.total.requests).toBe(10);
  });
});
