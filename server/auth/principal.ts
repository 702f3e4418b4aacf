/**
 * Who is asking: the one shape every strategy (none, token, header, OIDC, embed) produces and
 * every check (roles, namespace scope, read-only embeds) reads.
 */
export const ROLES = ['viewer', 'editor', 'admin'] as const;
export type AuthRole = (typeof ROLES)[number];

export type PrincipalKind =
  | 'anonymous' // MESHLENS_AUTH=none on loopback: everyone is admin
  | 'token' // an API/UI token (bearer or login session)
  | 'header' // a user named by a trusted auth proxy
  | 'oidc' // an OpenID Connect user (bearer id/access token or login session)
  | 'embed' // a signed embed token: read-only, some widgets only
  | 'system'; // in-process callers (tests, server components)

export interface EmbedGrant {
  /** Widgets the token opens: 'topology', 'service'. */
  widgets: string[];
  /** Services (`namespace/service`) the service card may show; empty = any in scope. */
  services: string[];
  /** Origins allowed to frame the widget ('*' = any). */
  origins: string[];
}

export interface Principal {
  kind: PrincipalKind;
  /** A user name, or the token's name. */
  name: string;
  role: AuthRole;
  /** Namespaces this principal may see; null = every namespace. */
  namespaces: string[] | null;
  /** The stored token behind it (for revocation checks and audit), if any. */
  tokenId?: string;
  embed?: EmbedGrant;
  /** How it authenticated: cookie-based callers must pass the CSRF check on writes. */
  via: 'bearer' | 'cookie' | 'proxy' | 'none' | 'internal';
}

const RANK: Record<AuthRole, number> = { viewer: 0, editor: 1, admin: 2 };

export function roleAtLeast(role: AuthRole, needed: AuthRole): boolean {
  return RANK[role] >= RANK[needed];
}

export function isRole(v: unknown): v is AuthRole {
  return typeof v === 'string' && (ROLES as readonly string[]).includes(v);
}

/** The principal of in-process callers: every right, every namespace. */
export const SYSTEM_PRINCIPAL: Principal = {
  kind: 'system',
  name: 'system',
  role: 'admin',
  namespaces: null,
  via: 'internal',
};

/** Everyone, when MESHLENS_AUTH=none (only allowed on loopback). */
export const ANONYMOUS_ADMIN: Principal = {
  kind: 'anonymous',
  name: 'anonymous (no authentication: loopback only)',
  role: 'admin',
  namespaces: null,
  via: 'none',
};

/** Narrows a namespace list: the intersection of two scopes (null = all). */
export function intersectScopes(
  a: string[] | null,
  b: string[] | null,
): string[] | null {
  if (a === null) return b;
  if (b === null) return a;
  const set = new Set(b);
  return a.filter((n) => set.has(n));
}
