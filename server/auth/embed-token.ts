/**
 * Signed embed tokens (docs/embedding.md): a JWT (HS256, the installation's key) that opens
 * some read-only widgets for some namespaces/services until it expires, framed only by the
 * origins it names. Each is also recorded in api_tokens (kind `embed`, by its `jti`), so it can
 * be listed and revoked before it expires.
 */
import { jwtVerify, SignJWT } from 'jose';
import type { Db } from '../db/client';
import type { EmbedGrant, Principal } from './principal';
import { signingKey } from './signing-key';
import { createToken, findById } from './token-store';

const ISSUER = 'meshlens';
const AUDIENCE = 'meshlens-embed';
export const EMBED_WIDGETS = ['topology', 'service'] as const;
/** Longest life of an embed token. */
export const MAX_EMBED_DAYS = 366;

export interface EmbedRequest {
  name: string;
  widgets: string[];
  /** Namespaces the widget shows; null = every namespace the creator may see. */
  namespaces: string[] | null;
  /** `namespace/service` pairs the service card may show; empty = any in scope. */
  services: string[];
  /** Origins (`https://wiki.example.com`) allowed to frame it, or ['*']. */
  origins: string[];
  expiresInHours: number;
  createdBy: string;
}

interface EmbedClaims {
  w: string[];
  ns: string[] | null;
  svc: string[];
  org: string[];
}

/** Signs a new embed token and records it; returns the JWT and its id. */
export async function createEmbedToken(
  db: Db,
  r: EmbedRequest,
): Promise<{ id: string; jwt: string; expiresAt: Date }> {
  const expiresAt = new Date(Date.now() + r.expiresInHours * 3600_000);
  const { token } = await createToken(db, {
    name: r.name,
    kind: 'embed',
    role: 'viewer',
    namespaces: r.namespaces ?? [],
    origins: r.origins,
    expiresAt,
    createdBy: r.createdBy,
    withoutSecret: true,
  });
  const claims: EmbedClaims = {
    w: r.widgets,
    ns: r.namespaces,
    svc: r.services,
    org: r.origins,
  };
  const jwt = await new SignJWT({ ...claims })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setIssuer(ISSUER)
    .setAudience(AUDIENCE)
    .setJti(token.id)
    .setSubject(r.name)
    .setIssuedAt()
    .setExpirationTime(Math.floor(expiresAt.getTime() / 1000))
    .sign(await signingKey(db));
  return { id: token.id, jwt, expiresAt };
}

export type EmbedVerdict =
  { ok: true; principal: Principal } | { ok: false; reason: string };

function strings(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((x) => typeof x === 'string') : [];
}

/** Checks signature, audience, expiry and revocation; read-only viewer principal when valid. */
export async function verifyEmbedToken(
  db: Db,
  jwt: string,
): Promise<EmbedVerdict> {
  let payload;
  try {
    ({ payload } = await jwtVerify(jwt, await signingKey(db), {
      issuer: ISSUER,
      audience: AUDIENCE,
      algorithms: ['HS256'],
    }));
  } catch (err) {
    const code = (err as { code?: string }).code;
    return {
      ok: false,
      reason:
        code === 'ERR_JWT_EXPIRED'
          ? 'the embed token has expired: create a new one in Settings → Embeds'
          : 'the embed token is not valid (tampered, or from another installation)',
    };
  }
  const id = payload.jti;
  if (!id || !(await findById(db, id)))
    return { ok: false, reason: 'the embed token was revoked' };
  const c = payload as unknown as Partial<EmbedClaims>;
  const embed: EmbedGrant = {
    widgets: strings(c.w),
    services: strings(c.svc),
    origins: strings(c.org),
  };
  return {
    ok: true,
    principal: {
      kind: 'embed',
      name: payload.sub ?? 'embed',
      role: 'viewer',
      namespaces: c.ns === null || c.ns === undefined ? null : strings(c.ns),
      tokenId: id,
      embed,
      via: 'bearer',
    },
  };
}

/** Whether a string looks like one of our JWTs (three base64url parts) rather than a token. */
export function looksLikeJwt(s: string): boolean {
  return /^[\w-]+\.[\w-]+\.[\w-]+$/.test(s);
}

/** The Content-Security-Policy frame-ancestors value for an embed's allowed origins. */
export function frameAncestors(origins: string[]): string {
  if (origins.includes('*')) return '*';
  const valid = origins.filter((o) => /^https?:\/\/[^\s;,'"]+$/.test(o));
  return valid.length > 0 ? valid.join(' ') : "'none'";
}
