import { describe, expect, it } from 'vitest';
import { alertsParams, parseAlertsUrl } from './alerts-url';

const parse = (q: string) => parseAlertsUrl(new URLSearchParams(q));

describe('alerts URL state', () => {
  it('reads the tab and the rule, falling back to the rules tab', () => {
    expect(parse('')).toEqual({ tab: 'rules', rule: null });
    expect(parse('tab=history&rule=abc')).toEqual({
      tab: 'history',
      rule: 'abc',
    });
    expect(parse('tab=nope&rule=%20')).toEqual({ tab: 'rules', rule: null });
  });

  it('writes changes, leaving defaults out of the URL', () => {
    expect(alertsParams({ tab: 'rules' })).toEqual({ tab: null });
    expect(alertsParams({ tab: 'silences', rule: null })).toEqual({
      tab: 'silences',
      rule: null,
    });
    expect(alertsParams({ rule: 'r1' })).toEqual({ rule: 'r1' });
  });
});
