/**
 * OpenID Connect with `jose`: discovery, the authorization-code flow with PKCE for browsers
 * (login → provider → /auth/oidc/callback → session cookie), and bearer ID tokens for scripts.
 * Tokens are verified against the issuer's JWKS (fetched and cached by jose), issuer, audience
 * (our client id), expiry and, on login, the nonce.
 */
import {
  createRemoteJWKSet,
  jwtVerify,
  type JWTPayload,
  type JWTVerifyGetKey,
} from 'jose';
import { createHash, randomBytes } from 'node:crypto';
import type { Config } from '../config';
import { namespacesForGroups, parseGroups, roleForGroups } from './groups';
import type { Principal } from './principal';

interface Discovery {
  issuer: string;
  authorization_endpoint: string;
  token_endpoint: string;
  jwks_uri: string;
}

interface Provider {
  discovery: Discovery;
  jwks: JWTVerifyGetKey;
}

const providers = new Map<string, Promise<Provider>>();

async function discover(issuer: string): Promise<Provider> {
  const url = `${issuer.replace(/\/+$/, '')}/.well-known/openid-configuration`;
  const res = await fetch(url, { signal: AbortSignal.timeout(10_000) });
  if (!res.ok)
    throw new Error(`OIDC discovery at ${url} answered HTTP ${res.status}`);
  const d = (await res.json()) as Partial<Discovery>;
  if (
    !d.issuer ||
    !d.authorization_endpoint ||
    !d.token_endpoint ||
    !d.jwks_uri
  )
    throw new Error(`OIDC discovery at ${url} lacks issuer/endpoints/jwks_uri`);
  return {
    discovery: d as Discovery,
    jwks: createRemoteJWKSet(new URL(d.jwks_uri), { timeoutDuration: 10_000 }),
  };
}

/** The provider of MESHLENS_OIDC_ISSUER (discovered once; retried after a failure). */
export function provider(config: Config): Promise<Provider> {
  const issuer = config.env.MESHLENS_OIDC_ISSUER ?? '';
  let p = providers.get(issuer);
  if (!p) {
    p = discover(issuer);
    providers.set(issuer, p);
    p.catch(() => providers.delete(issuer));
  }
  return p;
}

/** A verified ID token's claims -> principal; null when its groups give no role. */
export function principalFromClaims(
  config: Config,
  claims: JWTPayload,
  via: Principal['via'],
): Principal | null {
  const groups = parseGroups(claims[config.env.MESHLENS_OIDC_GROUPS_CLAIM]);
  const role = roleForGroups(config, groups);
  if (!role) return null;
  const name =
    (typeof claims.preferred_username === 'string' &&
      claims.preferred_username) ||
    (typeof claims.email === 'string' && claims.email) ||
    claims.sub ||
    'oidc user';
  return {
    kind: 'oidc',
    name,
    role,
    namespaces: namespacesForGroups(config, groups),
    via,
  };
}

/** Verifies an ID token from the issuer; returns its claims or throws. */
export async function verifyIdToken(
  config: Config,
  jwt: string,
  nonce?: string,
): Promise<JWTPayload> {
  const p = await provider(config);
  const { payload } = await jwtVerify(jwt, p.jwks, {
    issuer: p.discovery.issuer,
    audience: config.env.MESHLENS_OIDC_CLIENT_ID,
    clockTolerance: 30,
  });
  if (nonce !== undefined && payload.nonce !== nonce)
    throw new Error('the ID token nonce does not match this login');
  return payload;
}

export interface LoginState {
  state: string;
  nonce: string;
  verifier: string;
  next: string;
}

/** A new login: random state, nonce and PKCE verifier. */
export function newLoginState(next: string): LoginState {
  const r = () => randomBytes(24).toString('base64url');
  return { state: r(), nonce: r(), verifier: r() + r(), next };
}

/** Where to send the browser to log in. */
export async function authorizationUrl(
  config: Config,
  s: LoginState,
  redirectUri: string,
): Promise<string> {
  const p = await provider(config);
  const u = new URL(p.discovery.authorization_endpoint);
  u.searchParams.set('response_type', 'code');
  u.searchParams.set('client_id', config.env.MESHLENS_OIDC_CLIENT_ID ?? '');
  u.searchParams.set('redirect_uri', redirectUri);
  u.searchParams.set('scope', config.env.MESHLENS_OIDC_SCOPES);
  u.searchParams.set('state', s.state);
  u.searchParams.set('nonce', s.nonce);
  u.searchParams.set(
    'code_challenge',
    createHash('sha256').update(s.verifier).digest('base64url'),
  );
  u.searchParams.set('code_challenge_method', 'S256');
  return u.toString();
}

/** Exchanges the callback's code for an ID token and verifies it. */
export async function exchangeCode(
  config: Config,
  s: LoginState,
  code: string,
  redirectUri: string,
): Promise<JWTPayload> {
  const p = await provider(config);
  const body = new URLSearchParams({
    grant_type: 'authorization_code',
    code,
    redirect_uri: redirectUri,
    client_id: config.env.MESHLENS_OIDC_CLIENT_ID ?? '',
    code_verifier: s.verifier,
  });
  if (config.env.MESHLENS_OIDC_CLIENT_SECRET)
    body.set('client_secret', config.env.MESHLENS_OIDC_CLIENT_SECRET);
  const res = await fetch(p.discovery.token_endpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body,
    signal: AbortSignal.timeout(10_000),
  });
  if (!res.ok)
    throw new Error(`the OIDC token endpoint answered HTTP ${res.status}`);
  const json = (await res.json()) as { id_token?: unknown };
  if (typeof json.id_token !== 'string')
    throw new Error('the OIDC token endpoint returned no id_token');
  return verifyIdToken(config, json.id_token, s.nonce);
}
