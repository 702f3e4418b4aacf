import { describe, expect, it } from 'vitest';
import { loginError, safeNext } from './login-messages';

describe('login messages', () => {
  it('explains each server error and falls back for unknown ones', () => {
    expect(loginError('token')).toMatch(/revoked or expired/);
    expect(loginError('whatever')).toBe('Sign-in failed. Try again.');
    expect(loginError(null)).toBeNull();
  });
  it('follows only local paths after sign-in', () => {
    expect(safeNext('/topology?ns=a')).toBe('/topology?ns=a');
    expect(safeNext('//evil.example')).toBe('/');
    expect(safeNext('/\\evil.example')).toBe('/');
    expect(safeNext('https://evil.example')).toBe('/');
    expect(safeNext(null)).toBe('/');
  });
});
