/**
 * Login sessions: an HttpOnly cookie holding a short JWT (HS256, the installation's key) that
 * names the principal. A session made from a stored token carries the token's id and is refused
 * as soon as that token is revoked (checked on every request, cached a few seconds).
 */
import { jwtVerify, SignJWT } from 'jose';
import type { IncomingMessage } from 'node:http';
import { isRole, type Principal } from './principal';

export const SESSION_COOKIE = 'meshlens_session';
const ISSUER = 'meshlens';
const AUDIENCE = 'meshlens-session';

interface SessionClaims {
  kind: 'token' | 'oidc' | 'header';
  name: string;
  role: string;
  ns: string[] | null;
  tid?: string;
}

export async function signSession(
  key: Uint8Array,
  p: Principal,
  hours: number,
): Promise<string> {
  const claims: SessionClaims = {
    kind: p.kind === 'oidc' ? 'oidc' : p.kind === 'header' ? 'header' : 'token',
    name: p.name,
    role: p.role,
    ns: p.namespaces,
    ...(p.tokenId ? { tid: p.tokenId } : {}),
  };
  return new SignJWT({ ...claims })
    .setProtectedHeader({ alg: 'HS256' })
    .setIssuer(ISSUER)
    .setAudience(AUDIENCE)
    .setIssuedAt()
    .setExpirationTime(`${hours}h`)
    .sign(key);
}

/** The session's principal, or null when the cookie is missing, forged or expired. */
export async function verifySession(
  key: Uint8Array,
  jwt: string,
): Promise<Principal | null> {
  try {
    const { payload } = await jwtVerify(jwt, key, {
      issuer: ISSUER,
      audience: AUDIENCE,
      algorithms: ['HS256'],
    });
    const c = payload as unknown as SessionClaims;
    if (!isRole(c.role) || typeof c.name !== 'string') return null;
    return {
      kind:
        c.kind === 'oidc' ? 'oidc' : c.kind === 'header' ? 'header' : 'token',
      name: c.name,
      role: c.role,
      namespaces: Array.isArray(c.ns) ? c.ns.map(String) : null,
      ...(typeof c.tid === 'string' ? { tokenId: c.tid } : {}),
      via: 'cookie',
    };
  } catch {
    return null;
  }
}

/** Cookies of a request by name (first wins). */
export function readCookies(req: IncomingMessage): Map<string, string> {
  const out = new Map<string, string>();
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq <= 0) continue;
    const name = part.slice(0, eq).trim();
    if (out.has(name)) continue;
    try {
      out.set(name, decodeURIComponent(part.slice(eq + 1).trim()));
    } catch {
      // a malformed cookie value is ignored
    }
  }
  return out;
}

/** A Set-Cookie value: HttpOnly, SameSite=Lax, Secure on TLS, path /. maxAge 0 clears it. */
export function cookie(
  name: string,
  value: string,
  opts: { secure: boolean; maxAgeS: number; path?: string },
): string {
  return [
    `${name}=${encodeURIComponent(value)}`,
    `Path=${opts.path ?? '/'}`,
    `Max-Age=${Math.max(0, Math.floor(opts.maxAgeS))}`,
    'HttpOnly',
    'SameSite=Lax',
    ...(opts.secure ? ['Secure'] : []),
  ].join('; ');
}
