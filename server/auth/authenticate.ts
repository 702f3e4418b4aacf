/**
 * Who sent this request, under the strategy in force (docs/security.md):
 *   - `Authorization: Bearer <token>`: a stored UI/API token, a signed embed token, or (oidc)
 *     an ID token of the issuer;
 *   - the session cookie set by /auth/login or the OIDC callback;
 *   - (header) the user header of a trusted auth proxy, from a trusted address only;
 *   - (none) everyone is admin: allowed only on a loopback listener.
 * Returns null when nothing valid was presented; the gate answers 401 or redirects to /login.
 */
import type { IncomingMessage } from 'node:http';
import type { Config } from '../config';
import type { Db } from '../db/client';
import { looksLikeJwt, verifyEmbedToken } from './embed-token';
import { namespacesForGroups, parseGroups, roleForGroups } from './groups';
import { principalFromClaims, verifyIdToken } from './oidc';
import { ANONYMOUS_ADMIN, type Principal } from './principal';
import { readCookies, SESSION_COOKIE, verifySession } from './session';
import { signingKey } from './signing-key';
import { authStrategy } from './strategy';
import { findById, findBySecret } from './token-store';
import { trustedProxies, type AddressMatcher } from './trusted-proxies';

let proxiesFor: { spec: string | undefined; match: AddressMatcher } | undefined;
function proxyMatcher(config: Config): AddressMatcher {
  const spec = config.env.MESHLENS_AUTH_TRUSTED_PROXIES;
  const known = proxiesFor;
  if (known && known.spec === spec) return known.match;
  const match = trustedProxies(spec);
  proxiesFor = { spec, match };
  return match;
}

/** The bearer credential of a request, if any. */
export function bearerOf(req: IncomingMessage): string | undefined {
  const m = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '');
  return m?.[1];
}

function headerValue(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name.toLowerCase()];
  return Array.isArray(v) ? v[0] : v;
}

/** Whether the request came through a trusted proxy (for the header strategy and X-Forwarded-Proto). */
export function fromTrustedProxy(
  config: Config,
  req: IncomingMessage,
): boolean {
  return proxyMatcher(config)(req.socket.remoteAddress);
}

async function fromBearer(
  config: Config,
  db: Db,
  bearer: string,
): Promise<Principal | null> {
  if (looksLikeJwt(bearer)) {
    const embed = await verifyEmbedToken(db, bearer);
    if (embed.ok) return embed.principal;
    if (authStrategy(config) === 'oidc') {
      try {
        return principalFromClaims(
          config,
          await verifyIdToken(config, bearer),
          'bearer',
        );
      } catch {
        return null;
      }
    }
    return null;
  }
  const token = await findBySecret(db, bearer);
  if (!token || (token.kind !== 'ui' && token.kind !== 'api')) return null;
  return {
    kind: 'token',
    name: token.name,
    role: token.role,
    namespaces: token.namespaces.length > 0 ? token.namespaces : null,
    tokenId: token.id,
    via: 'bearer',
  };
}

async function fromCookie(
  db: Db,
  req: IncomingMessage,
): Promise<Principal | null> {
  const jwt = readCookies(req).get(SESSION_COOKIE);
  if (!jwt) return null;
  const p = await verifySession(await signingKey(db), jwt);
  if (!p) return null;
  // A session made from a stored token ends when that token is revoked.
  if (p.tokenId && !(await findById(db, p.tokenId))) return null;
  return p;
}

function fromProxy(config: Config, req: IncomingMessage): Principal | null {
  const user = headerValue(req, config.env.MESHLENS_AUTH_PROXY_USER_HEADER);
  if (!user || !fromTrustedProxy(config, req)) return null;
  const groups = parseGroups(
    headerValue(req, config.env.MESHLENS_AUTH_PROXY_GROUPS_HEADER),
  );
  const role = roleForGroups(config, groups);
  if (!role) return null;
  return {
    kind: 'header',
    name: user.slice(0, 256),
    role,
    namespaces: namespacesForGroups(config, groups),
    via: 'proxy',
  };
}

/** The principal of a request, or null. Embed tokens are recognised under every strategy. */
export async function authenticate(
  config: Config,
  db: () => Promise<Db>,
  req: IncomingMessage,
): Promise<Principal | null> {
  const strategy = authStrategy(config);
  const bearer = bearerOf(req);
  if (bearer) return fromBearer(config, await db(), bearer);
  if (strategy === 'none') return ANONYMOUS_ADMIN;
  if (strategy === 'header') {
    const p = fromProxy(config, req);
    if (p) return p;
  }
  return fromCookie(await db(), req);
}
