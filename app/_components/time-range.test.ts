import { describe, expect, it } from 'vitest';
import {
  absoluteWindow,
  parseTimeRange,
  timeRangeParams,
  windowInput,
} from './time-range';

const params = (q: string) => new URLSearchParams(q);

describe('time range in the URL', () => {
  it('reads presets and custom windows, defaulting to the last 15 minutes', () => {
    expect(parseTimeRange(params(''))).toEqual({
      kind: 'preset',
      preset: '15m',
    });
    expect(parseTimeRange(params('range=6h'))).toEqual({
      kind: 'preset',
      preset: '6h',
    });
    expect(parseTimeRange(params('range=bogus'))).toEqual({
      kind: 'preset',
      preset: '15m',
    });
    expect(parseTimeRange(params('from=1000&to=2000'))).toEqual({
      kind: 'custom',
      fromMs: 1000,
      toMs: 2000,
    });
    expect(
      parseTimeRange(
        params('from=2025-01-01T10:00:00Z&to=2025-01-01T11:00:00Z'),
      ),
    ).toEqual({
      kind: 'custom',
      fromMs: Date.UTC(2025, 0, 1, 10),
      toMs: Date.UTC(2025, 0, 1, 11),
    });
    // A backwards window is not a window.
    expect(parseTimeRange(params('from=2000&to=1000&range=1h'))).toEqual({
      kind: 'preset',
      preset: '1h',
    });
  });

  it('writes the parameters back, and the API window', () => {
    expect(timeRangeParams({ kind: 'preset', preset: '15m' })).toEqual({
      range: null,
      from: null,
      to: null,
    });
    expect(timeRangeParams({ kind: 'custom', fromMs: 1, toMs: 2 })).toEqual({
      range: null,
      from: '1',
      to: '2',
    });
    expect(windowInput({ kind: 'preset', preset: '1h' })).toEqual({
      lastMs: 3600_000,
    });
    expect(windowInput({ kind: 'custom', fromMs: 1, toMs: 2 })).toEqual({
      from: 1,
      to: 2,
    });
    expect(absoluteWindow({ kind: 'preset', preset: '5m' }, 1_000_000)).toEqual(
      { fromMs: 700_000, toMs: 1_000_000 },
    );
  });
});
