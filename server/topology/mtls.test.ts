import { describe, expect, it } from 'vitest';
import { mtlsFigures } from './mtls';

const none = { destYes: 0, destNo: 0, destUnknown: 0, srcYes: 0, srcNo: 0 };

describe('mTLS share', () => {
  it('is the mutual-TLS share of destination-reported traffic, unknown excluded', () => {
    expect(
      mtlsFigures({ ...none, destYes: 75, destNo: 25, destUnknown: 100 }, 200),
    ).toEqual({
      share: 0.75,
      unknownShare: 0.5,
      state: 'partial',
    });
  });

  it('is full, none, or unknown (null) without any destination report', () => {
    expect(mtlsFigures({ ...none, destYes: 10 }, 10).state).toBe('full');
    expect(mtlsFigures({ ...none, destNo: 10 }, 10).state).toBe('none');
    expect(mtlsFigures({ ...none, destUnknown: 10 }, 10)).toEqual({
      share: null,
      unknownShare: 1,
      state: 'unknown',
    });
  });

  it('uses client-side evidence only when no destination reported', () => {
    expect(mtlsFigures({ ...none, srcYes: 4, srcNo: 1 }, 5).share).toBeCloseTo(
      0.8,
    );
    expect(mtlsFigures({ ...none, destYes: 1, srcNo: 9 }, 10).share).toBe(1);
  });
});
