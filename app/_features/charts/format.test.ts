import { describe, expect, it } from 'vitest';
import {
  formatBytesRate,
  formatCount,
  formatMs,
  formatNumber,
  formatPercent,
} from './format';

describe('formatting figures', () => {
  it('formats rates with a few significant digits', () => {
    expect(
      [0, 0.004, 0.25, 1.234, 12.34, 123.4, 12_345, 1_234_567].map(
        formatNumber,
      ),
    ).toEqual(['0', '<0.01', '0.25', '1.23', '12.3', '123', '12.3k', '1.2M']);
  });

  it('formats ratios as percentages, null as a dash', () => {
    expect([0, 0.00001, 0.0052, 0.05, 0.123, 1].map(formatPercent)).toEqual([
      '0%',
      '<0.01%',
      '0.52%',
      '5%',
      '12.3%',
      '100%',
    ]);
    expect(formatPercent(null)).toBe('–');
  });

  it('formats durations and byte rates', () => {
    expect([0.42, 12.34, 250, 2050, null].map(formatMs)).toEqual([
      '0.42 ms',
      '12.3 ms',
      '250 ms',
      '2.05 s',
      '–',
    ]);
    expect([512, 1536, 3 * 1024 * 1024].map(formatBytesRate)).toEqual([
      '512 B/s',
      '1.5 KiB/s',
      '3.0 MiB/s',
    ]);
  });

  it('formats counts as whole numbers', () => {
    expect([15, 135, 9876, 2.5, 123_456].map(formatCount)).toEqual([
      '15',
      '135',
      '9,876',
      '2.5',
      '123k',
    ]);
  });
});
