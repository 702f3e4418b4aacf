import { describe, expect, it } from 'vitest';
import { silencedBy, type Silence } from './silence-match';

const silence = (
  matchers: Silence['matchers'],
  startsAt = 0,
  endsAt = 1000,
): Silence => ({
  id: 's',
  matchers,
  startsAt: new Date(startsAt),
  endsAt: new Date(endsAt),
  comment: '',
  createdBy: 't',
});
const labels = {
  alertname: 'Errors',
  namespace: 'bookinfo',
  service: 'ratings',
};

describe('silences', () => {
  it('match when every matcher matches, while active', () => {
    const s = silence([
      { name: 'namespace', op: '=', value: 'bookinfo' },
      { name: 'service', op: '=~', value: 'rat.*' },
    ]);
    expect(silencedBy([s], labels, 500)).toBe(s);
    expect(silencedBy([s], labels, 1000)).toBeUndefined();
    expect(
      silencedBy([s], { ...labels, service: 'reviews' }, 500),
    ).toBeUndefined();
  });
  it('anchor regexes, negate, and treat a missing label as empty', () => {
    expect(
      silencedBy(
        [silence([{ name: 'service', op: '=~', value: 'rat' }])],
        labels,
        1,
      ),
    ).toBeUndefined();
    expect(
      silencedBy(
        [silence([{ name: 'service', op: '!~', value: 'rev.*' }])],
        labels,
        1,
      ),
    ).toBeDefined();
    expect(
      silencedBy(
        [silence([{ name: 'cluster', op: '=', value: '' }])],
        labels,
        1,
      ),
    ).toBeDefined();
    expect(
      silencedBy(
        [silence([{ name: 'service', op: '!=', value: 'ratings' }])],
        labels,
        1,
      ),
    ).toBeUndefined();
    expect(silencedBy([silence([])], labels, 1)).toBeUndefined();
  });
});
