import { describe, expect, it } from 'vitest';
import { bearerChecker } from './auth';

describe('bearerChecker', () => {
  it('lets everything through when no token is configured', () => {
    expect(bearerChecker(undefined)(undefined)).toBe(true);
  });
  it('wants exactly "Bearer <token>" when one is', () => {
    const check = bearerChecker('t0ken');
    expect(check('Bearer t0ken')).toBe(true);
    expect(check('bearer t0ken')).toBe(true);
    expect(check('Bearer t0ke')).toBe(false);
    expect(check('t0ken')).toBe(false);
    expect(check(undefined)).toBe(false);
  });
});
