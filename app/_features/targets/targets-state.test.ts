import { describe, expect, it } from 'vitest';
import {
  agoText,
  durationText,
  groupByJob,
  parseTargetsState,
  targetsParams,
} from './targets-state';

const target = (job: string, instance: string, health: 'up' | 'down') => ({
  job,
  instance,
  url: `http://${instance}/metrics`,
  labels: { job, instance, namespace: 'bookinfo' },
  health,
});

describe('targets state', () => {
  it('reads and writes the health filter and search in the URL', () => {
    const p = new URLSearchParams('state=down&q=%20reviews%20');
    expect(parseTargetsState(p)).toEqual({ health: 'down', q: 'reviews' });
    expect(parseTargetsState(new URLSearchParams('state=bogus')).health).toBe(
      'all',
    );
    expect(targetsParams({ health: 'all', q: '' })).toEqual({
      state: null,
      q: null,
    });
    expect(targetsParams({ health: 'up' })).toEqual({ state: 'up' });
  });

  it('groups by job with up/total counted before the filter', () => {
    const groups = groupByJob(
      ['empty', 'mesh'],
      [
        target('mesh', 'a:1', 'up'),
        target('mesh', 'b:1', 'down'),
        target('other', 'c:1', 'down'),
      ],
      { health: 'down', q: '' },
    );
    expect(groups.map((g) => [g.job, g.up, g.total, g.targets.length])).toEqual(
      [
        ['empty', 0, 0, 0],
        ['mesh', 1, 2, 1],
        ['other', 0, 1, 1],
      ],
    );
    const searched = groupByJob(['mesh'], [target('mesh', 'a:1', 'up')], {
      health: 'all',
      q: 'BOOKINFO',
    });
    expect(searched[0]!.targets).toHaveLength(1);
  });

  it('writes ages and durations', () => {
    const now = Date.parse('2026-11-24T10:00:00Z');
    expect(agoText(null, now)).toBe('never');
    expect(agoText('2026-11-24T09:59:55.800Z', now)).toBe('4.2 s ago');
    expect(agoText('2026-11-24T09:57:00Z', now)).toBe('3 min ago');
    expect(durationText(12.4)).toBe('12 ms');
    expect(durationText(1250)).toBe('1.25 s');
    expect(durationText(null)).toBe('—');
  });
});
