import { describe, expect, it } from 'vitest';
import { parseMatchers } from './silence-form';

describe('silence matchers', () => {
  it('reads each operator', () => {
    expect(
      parseMatchers(
        'service=ratings\nnamespace =~ "book.*"\nseverity!=page\nx!~y',
      ).matchers,
    ).toEqual([
      { name: 'service', op: '=', value: 'ratings' },
      { name: 'namespace', op: '=~', value: 'book.*' },
      { name: 'severity', op: '!=', value: 'page' },
      { name: 'x', op: '!~', value: 'y' },
    ]);
  });
  it('names the line it cannot read, and asks for one matcher at least', () => {
    expect(parseMatchers('ok=1\n9bad').error).toMatch(
      /"9bad" is not a matcher/,
    );
    expect(parseMatchers('  ').error).toMatch(/at least one matcher/);
  });
});
