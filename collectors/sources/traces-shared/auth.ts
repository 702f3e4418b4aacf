/**
 * Optional bearer-token auth per receiver (MESHLENS_OTLP_TOKEN, MESHLENS_ZIPKIN_TOKEN). Unset:
 * anyone who can reach the port may send. Compared in constant time over SHA-256 digests so
 * neither the token nor its length leaks through timing.
 */
import { createHash, timingSafeEqual } from 'node:crypto';

const digest = (s: string) => createHash('sha256').update(s).digest();

/** A checker for `Authorization: Bearer <token>`; always true when no token is configured. */
export function bearerChecker(
  token: string | undefined,
): (authorization: string | undefined) => boolean {
  if (!token) return () => true;
  const expected = digest(token);
  return (authorization) => {
    const m = /^Bearer\s+(.+)$/i.exec(authorization?.trim() ?? '');
    return m !== null && timingSafeEqual(digest(m[1]!), expected);
  };
}
