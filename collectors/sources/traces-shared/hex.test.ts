import { describe, expect, it } from 'vitest';
import { bytesToHex, normalizeHexId, traceIdLookupKey } from './hex';

describe('hex ids', () => {
  it('turns bytes into lowercase hex', () => {
    expect(bytesToHex(new Uint8Array([0, 1, 0xab, 0xff]))).toBe('0001abff');
  });
  it('lowercases and length-checks hex text', () => {
    expect(normalizeHexId('EEE19B7EC3C1B174', 16)).toBe('eee19b7ec3c1b174');
    expect(normalizeHexId('EEE19B7EC3C1B17', 16)).toBeUndefined();
    expect(normalizeHexId('zzz19b7ec3c1b174', 16)).toBeUndefined();
  });
  it('looks a 64-bit trace id up in its zero-padded 128-bit form', () => {
    expect(traceIdLookupKey('1E223FF1F80F1C69')).toBe(
      '00000000000000001e223ff1f80f1c69',
    );
    expect(traceIdLookupKey('5b8efff798038103d269b633813fc60c')).toBe(
      '5b8efff798038103d269b633813fc60c',
    );
    expect(traceIdLookupKey('nope')).toBeUndefined();
  });
});
