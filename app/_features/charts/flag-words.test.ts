import { describe, expect, it } from 'vitest';
import { decodeFlags, flagsInWords } from './flag-words';

describe('response flags in words', () => {
  it('decodes short flags, keeps unknown ones, and says none for none', () => {
    expect(flagsInWords('UF,URX')).toBe(
      'UpstreamConnectionFailure, UpstreamRetryLimitExceeded',
    );
    expect(flagsInWords('')).toBe('none');
    expect(flagsInWords('-')).toBe('none');
    expect(decodeFlags('ZZ')[0]).toMatchObject({ short: 'ZZ', long: 'ZZ' });
    expect(decodeFlags('FI')[0]?.meaning).toMatch(/fault-injection abort/);
  });
});
