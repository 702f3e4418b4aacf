/**
 * The auth gate of the web listener (called by server/web/server.ts before the API and Next):
 *   - answers the auth routes: POST /auth/login (a token -> session cookie), /auth/logout,
 *     GET /auth/info (strategy, for the login page), /auth/oidc/login and /auth/oidc/callback,
 *     and /embed/meshlens-embed.js (the web component);
 *   - lets through what needs no credential: /login and Next's static assets;
 *   - checks embed pages' tokens (401 page when expired, tampered or revoked) and sets their
 *     frame-ancestors from the token;
 *   - authenticates everything else: 401 JSON for /api/*, a redirect to /login for pages;
 *     cookie-authenticated writes must come from our own origin (CSRF);
 *   - sets security headers on every answer.
 * The principal it found is kept per request (principalOf) for tRPC and /api/v1.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { TLSSocket } from 'node:tls';
import { jwtVerify, SignJWT } from 'jose';
import { getConfig, type Config } from '../config';
import { getDb, type Db } from '../db/client';
import { logger } from '../log';
import { authenticate, fromTrustedProxy } from './authenticate';
import { EMBED_SCRIPT } from './embed-script';
import { frameAncestors, verifyEmbedToken } from './embed-token';
import { securityHeaders, type PageKind } from './headers';
import {
  authorizationUrl,
  exchangeCode,
  newLoginState,
  principalFromClaims,
  type LoginState,
} from './oidc';
import type { Principal } from './principal';
import { cookie, readCookies, SESSION_COOKIE, signSession } from './session';
import { signingKey } from './signing-key';
import { authStrategy } from './strategy';
import { findBySecret } from './token-store';

const log = logger('auth');
const OIDC_COOKIE = 'meshlens_oidc';
const MAX_FORM_BYTES = 16 * 1024;
const FORM_TOO_LARGE = 'form too large';

const principals = new WeakMap<IncomingMessage, Principal>();

/** The principal the gate found for this request (null when it let it through unauthenticated). */
export function principalOf(req: IncomingMessage): Principal | null {
  return principals.get(req) ?? null;
}

function isTls(config: Config, req: IncomingMessage): boolean {
  if ((req.socket as TLSSocket).encrypted) return true;
  return (
    fromTrustedProxy(config, req) &&
    String(req.headers['x-forwarded-proto'] ?? '')
      .split(',')[0]
      ?.trim() === 'https'
  );
}

function json(
  res: ServerResponse,
  status: number,
  body: unknown,
  extra: Record<string, string> = {},
): void {
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'cache-control': 'no-store',
    ...extra,
  });
  res.end(JSON.stringify(body));
}

function redirect(
  res: ServerResponse,
  location: string,
  cookies: string[] = [],
): void {
  res.writeHead(303, {
    location,
    'cache-control': 'no-store',
    ...(cookies.length > 0 ? { 'set-cookie': cookies } : {}),
  });
  res.end();
}

const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function embedRefused(res: ServerResponse, reason: string): void {
  res.writeHead(401, {
    'content-type': 'text/html; charset=utf-8',
    'cache-control': 'no-store',
  });
  res.end(`<!doctype html><html><head><meta charset="utf-8"><title>Meshlens embed</title></head>
<body style="font:14px system-ui;margin:1rem;color:#555">
<p><strong>This Meshlens widget cannot be shown.</strong> ${escapeHtml(reason)}</p></body></html>`);
}

/** Only local paths: `/x` but not `//host` or `/\\host`. */
function safeNext(next: string | null | undefined): string {
  return next && /^\/(?![/\\])/.test(next) ? next.slice(0, 2000) : '/';
}

async function readForm(req: IncomingMessage): Promise<URLSearchParams> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_FORM_BYTES) throw new Error(FORM_TOO_LARGE);
    chunks.push(chunk as Buffer);
  }
  const body = Buffer.concat(chunks).toString('utf8');
  const type = String(req.headers['content-type'] ?? '');
  if (type.includes('application/json')) {
    const parsed = JSON.parse(body) as Record<string, unknown>;
    return new URLSearchParams(
      Object.entries(parsed).map(([k, v]) => [k, String(v)]),
    );
  }
  return new URLSearchParams(body);
}

/** A write carried by a cookie must come from a page of our own origin. */
function sameOrigin(req: IncomingMessage): boolean {
  const host = req.headers.host;
  const from = req.headers.origin ?? req.headers.referer;
  if (!host || !from) return false;
  try {
    return new URL(from).host === host;
  } catch {
    return false;
  }
}

function publicBase(config: Config, req: IncomingMessage): string {
  if (config.env.MESHLENS_PUBLIC_URL)
    return config.env.MESHLENS_PUBLIC_URL.replace(/\/+$/, '');
  return `${isTls(config, req) ? 'https' : 'http'}://${req.headers.host ?? 'localhost'}`;
}

async function sessionCookie(
  config: Config,
  db: Db,
  p: Principal,
  secure: boolean,
): Promise<string> {
  const hours = config.env.MESHLENS_AUTH_SESSION_HOURS;
  return cookie(
    SESSION_COOKIE,
    await signSession(await signingKey(db), p, hours),
    {
      secure,
      maxAgeS: hours * 3600,
    },
  );
}

async function login(
  config: Config,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  let form: URLSearchParams;
  try {
    form = await readForm(req);
  } catch (err) {
    const tooLarge = (err as Error).message === FORM_TOO_LARGE;
    // Close the connection rather than read a huge body to its end.
    res.setHeader('connection', 'close');
    json(res, tooLarge ? 413 : 400, {
      error: {
        code: tooLarge ? 'PAYLOAD_TOO_LARGE' : 'BAD_REQUEST',
        message: tooLarge
          ? 'the sign-in form is too large'
          : 'the sign-in form could not be read',
      },
    });
    return;
  }
  const next = safeNext(form.get('next'));
  const db = await getDb();
  const token = await findBySecret(db, (form.get('token') ?? '').trim());
  if (!token || (token.kind !== 'ui' && token.kind !== 'api')) {
    log.info(
      { from: req.socket.remoteAddress },
      'login refused: unknown, revoked or expired token',
    );
    redirect(res, `/login?error=token&next=${encodeURIComponent(next)}`);
    return;
  }
  const p: Principal = {
    kind: 'token',
    name: token.name,
    role: token.role,
    namespaces: token.namespaces.length > 0 ? token.namespaces : null,
    tokenId: token.id,
    via: 'cookie',
  };
  redirect(res, next, [await sessionCookie(config, db, p, isTls(config, req))]);
}

async function oidcLogin(
  config: Config,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
): Promise<void> {
  const state = newLoginState(safeNext(url.searchParams.get('next')));
  const jwt = await new SignJWT({ ...state })
    .setProtectedHeader({ alg: 'HS256' })
    .setAudience('meshlens-oidc-login')
    .setExpirationTime('10m')
    .sign(await signingKey(await getDb()));
  const target = await authorizationUrl(
    config,
    state,
    `${publicBase(config, req)}/auth/oidc/callback`,
  );
  redirect(res, target, [
    cookie(OIDC_COOKIE, jwt, {
      secure: isTls(config, req),
      maxAgeS: 600,
      path: '/auth/oidc',
    }),
  ]);
}

async function oidcCallback(
  config: Config,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
): Promise<void> {
  const db = await getDb();
  const secure = isTls(config, req);
  const clear = cookie(OIDC_COOKIE, '', {
    secure,
    maxAgeS: 0,
    path: '/auth/oidc',
  });
  let state: LoginState;
  try {
    const { payload } = await jwtVerify(
      readCookies(req).get(OIDC_COOKIE) ?? '',
      await signingKey(db),
      {
        audience: 'meshlens-oidc-login',
        algorithms: ['HS256'],
      },
    );
    state = payload as unknown as LoginState;
  } catch {
    redirect(res, '/login?error=oidc-state', [clear]);
    return;
  }
  const code = url.searchParams.get('code');
  if (!code || url.searchParams.get('state') !== state.state) {
    redirect(res, '/login?error=oidc-state', [clear]);
    return;
  }
  let p: Principal | null;
  try {
    const claims = await exchangeCode(
      config,
      state,
      code,
      `${publicBase(config, req)}/auth/oidc/callback`,
    );
    p = principalFromClaims(config, claims, 'cookie');
  } catch (err) {
    log.warn({ err }, 'OIDC login failed');
    redirect(res, '/login?error=oidc', [clear]);
    return;
  }
  if (!p) {
    redirect(res, '/login?error=role', [clear]);
    return;
  }
  redirect(res, safeNext(state.next), [
    clear,
    await sessionCookie(config, db, p, secure),
  ]);
}

/** Paths served without a credential. */
function isPublic(pathname: string): boolean {
  return (
    pathname === '/login' ||
    pathname.startsWith('/_next/static/') ||
    pathname === '/icon.svg' ||
    pathname === '/favicon.ico'
  );
}

/**
 * Runs the gate for one request; returns true when it answered (the caller stops), false when
 * the request goes on (with principalOf set, or to a public path).
 */
export async function authGate(
  req: IncomingMessage,
  res: ServerResponse,
  opts: { dev: boolean },
): Promise<boolean> {
  const config = getConfig();
  const url = new URL(req.url ?? '/', 'http://localhost');
  const path = url.pathname;
  const tls = isTls(config, req);
  const api = path.startsWith('/api/') || path.startsWith('/auth/');
  const kind: PageKind = api
    ? 'api'
    : path.startsWith('/embed/')
      ? 'embed'
      : 'page';
  if (kind !== 'embed') securityHeaders(res, kind, { tls, dev: opts.dev });
  const method = req.method ?? 'GET';

  if (path.startsWith('/auth/')) {
    if (path === '/auth/info' && method === 'GET') {
      json(res, 200, { strategy: authStrategy(config) });
      return true;
    }
    if (path === '/auth/login' && method === 'POST') {
      if (req.headers.origin && !sameOrigin(req)) {
        json(res, 403, {
          error: { code: 'FORBIDDEN', message: 'cross-site login refused' },
        });
        return true;
      }
      await login(config, req, res);
      return true;
    }
    if (path === '/auth/logout') {
      redirect(res, '/login', [
        cookie(SESSION_COOKIE, '', { secure: tls, maxAgeS: 0 }),
      ]);
      return true;
    }
    if (authStrategy(config) === 'oidc' && path === '/auth/oidc/login') {
      await oidcLogin(config, req, res, url);
      return true;
    }
    if (authStrategy(config) === 'oidc' && path === '/auth/oidc/callback') {
      await oidcCallback(config, req, res, url);
      return true;
    }
    json(res, 404, {
      error: { code: 'NOT_FOUND', message: `no auth route ${path}` },
    });
    return true;
  }

  if (path === '/embed/meshlens-embed.js') {
    securityHeaders(res, 'api', { tls, dev: opts.dev });
    res.writeHead(200, {
      'content-type': 'text/javascript; charset=utf-8',
      'cache-control': 'public, max-age=300',
      'access-control-allow-origin': '*',
    });
    res.end(EMBED_SCRIPT);
    return true;
  }

  if (kind === 'embed') {
    const widget = path.split('/')[2] ?? '';
    const token = url.searchParams.get('token') ?? '';
    const verdict = token
      ? await verifyEmbedToken(await getDb(), token)
      : {
          ok: false as const,
          reason: 'the URL has no embed token (?token=...)',
        };
    if (!verdict.ok) {
      securityHeaders(res, 'embed', {
        tls,
        dev: opts.dev,
        frameAncestors: '*',
      });
      embedRefused(res, verdict.reason);
      return true;
    }
    const embed = verdict.principal.embed;
    securityHeaders(res, 'embed', {
      tls,
      dev: opts.dev,
      frameAncestors: frameAncestors(embed?.origins ?? []),
    });
    if (!embed?.widgets.includes(widget)) {
      embedRefused(
        res,
        `this embed token does not open the "${widget.slice(0, 40)}" widget`,
      );
      return true;
    }
    principals.set(req, verdict.principal);
    return false;
  }

  if (isPublic(path)) return false;

  const principal = await authenticate(config, () => getDb(), req);
  if (!principal) {
    if (api) {
      json(
        res,
        401,
        {
          error: {
            code: 'UNAUTHORIZED',
            message:
              'sign in first: send `Authorization: Bearer <token>` or log in at /login',
          },
        },
        { 'www-authenticate': 'Bearer realm="meshlens"' },
      );
    } else {
      redirect(
        res,
        `/login?next=${encodeURIComponent(safeNext(`${path}${url.search}`))}`,
      );
    }
    return true;
  }
  if (
    !['GET', 'HEAD', 'OPTIONS'].includes(method) &&
    // Cookie sessions need proof of our own origin. With auth off, a browser's cross-site post
    // to 127.0.0.1 carries a foreign Origin; scripts (curl) send none and are let through.
    ((principal.via === 'cookie' && !sameOrigin(req)) ||
      (principal.via === 'none' &&
        req.headers.origin !== undefined &&
        !sameOrigin(req)))
  ) {
    json(res, 403, {
      error: {
        code: 'FORBIDDEN',
        message:
          'cross-site request refused (CSRF check: the Origin is not this site)',
      },
    });
    return true;
  }
  // Embed tokens only reach the API (their pages are checked above), never the dashboard.
  if (principal.kind === 'embed' && !api) {
    redirect(res, '/login');
    return true;
  }
  principals.set(req, principal);
  return false;
}
