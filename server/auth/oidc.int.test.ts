// OpenID Connect against a real local issuer (discovery, JWKS on 127.0.0.1, RS256 tokens made
// with jose): bearer ID tokens, the browser code flow with PKCE, groups -> role and namespaces.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDb, type TempDb } from '~/test/helpers/temp-db';
import { handleApi } from '../web/server';
import { get, trpcMutation, trpcQuery } from './testing/api-client';
import { startTestIssuer, type TestIssuer } from './testing/oidc-issuer';
import { SECRET_NAMES, seedTwoNamespaces } from './testing/seed-two-namespaces';

let issuer: TestIssuer;
let t: TempDb;
let server: http.Server;
let base: string;
const win = { lastMs: 15 * 60_000 };

beforeAll(async () => {
  issuer = await startTestIssuer();
  t = await tempDb({
    MESHLENS_AUTH: 'oidc',
    MESHLENS_OIDC_ISSUER: issuer.issuer,
    MESHLENS_OIDC_CLIENT_ID: issuer.clientId,
    MESHLENS_OIDC_CLIENT_SECRET: issuer.clientSecret,
    MESHLENS_AUTH_ROLE_GROUPS: 'admin=ops,editor=sre',
    MESHLENS_AUTH_NAMESPACE_GROUPS: 'team-books=bookinfo',
    MESHLENS_TTL_ROLLUPS_DAYS: '3650',
  });
  await seedTwoNamespaces(t.db);
  server = http.createServer((req, res) => {
    void handleApi(req, res).then((done) => {
      if (!done) res.writeHead(200).end('page');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((r) => server?.close(r));
  await issuer?.close();
  await t?.close();
});

describe('OIDC bearer ID tokens', () => {
  it('maps groups to a role and to namespaces', async () => {
    const editor = await issuer.idToken({ groups: ['sre'] });
    const me = await trpcQuery(base, 'auth.me', undefined, { bearer: editor });
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({
      name: 'alice',
      role: 'editor',
      namespaces: null,
      strategy: 'oidc',
    });

    const viewer = await issuer.idToken({
      groups: ['team-books'],
      preferred_username: 'bob',
    });
    expect(
      (await trpcQuery(base, 'auth.me', undefined, { bearer: viewer })).body,
    ).toMatchObject({
      role: 'viewer',
      namespaces: ['bookinfo'],
    });
    expect(
      (
        await trpcMutation(
          base,
          'alerts.validate',
          { rule: {} },
          { bearer: viewer },
        )
      ).status,
    ).toBe(403);
    const graph = await trpcQuery(
      base,
      'topology.graph',
      { window: win },
      { bearer: viewer },
    );
    expect(graph.status).toBe(200);
    for (const name of SECRET_NAMES) expect(graph.text).not.toContain(name);
  });

  it('refuses a token for another audience, expired, or signed by someone else', async () => {
    const wrongAud = await issuer.idToken({}, { audience: 'another-client' });
    expect(
      (await trpcQuery(base, 'auth.me', undefined, { bearer: wrongAud }))
        .status,
    ).toBe(401);
    const expired = await issuer.idToken(
      {},
      { expiresIn: Math.floor(Date.now() / 1000) - 3600 },
    );
    expect(
      (await trpcQuery(base, 'auth.me', undefined, { bearer: expired })).status,
    ).toBe(401);
    const other = await startTestIssuer();
    try {
      other.issuer = issuer.issuer; // same issuer name, different key: the JWKS decides
      const forged = await other.idToken();
      expect(
        (await trpcQuery(base, 'auth.me', undefined, { bearer: forged }))
          .status,
      ).toBe(401);
    } finally {
      await other.close();
    }
  });
});

describe('OIDC browser sign-in', () => {
  it('runs the code flow with PKCE into a session cookie, back to the page asked for', async () => {
    issuer.user = { sub: 'u-2', preferred_username: 'carol', groups: ['ops'] };
    const start = await fetch(`${base}/auth/oidc/login?next=%2Fsettings`, {
      redirect: 'manual',
    });
    expect(start.status).toBe(303);
    const loginCookie = (start.headers.get('set-cookie') ?? '').split(';')[0]!;
    expect(loginCookie).toMatch(/^meshlens_oidc=/);
    const authorize = new URL(start.headers.get('location')!);
    expect(authorize.origin).toBe(issuer.issuer);
    expect(authorize.searchParams.get('redirect_uri')).toBe(
      `${base}/auth/oidc/callback`,
    );

    const atIssuer = await fetch(authorize, { redirect: 'manual' });
    expect(atIssuer.status).toBe(302);
    const callback = atIssuer.headers.get('location')!;

    // The callback without the login cookie (another browser) is refused.
    const stolen = await fetch(callback, { redirect: 'manual' });
    expect(stolen.headers.get('location')).toBe('/login?error=oidc-state');

    // Replay the whole flow in the right browser.
    const start2 = await fetch(`${base}/auth/oidc/login?next=%2Fsettings`, {
      redirect: 'manual',
    });
    const cookie2 = (start2.headers.get('set-cookie') ?? '').split(';')[0]!;
    const atIssuer2 = await fetch(start2.headers.get('location')!, {
      redirect: 'manual',
    });
    const done = await fetch(atIssuer2.headers.get('location')!, {
      headers: { cookie: cookie2 },
      redirect: 'manual',
    });
    expect(done.status).toBe(303);
    expect(done.headers.get('location')).toBe('/settings');
    const session = done.headers
      .getSetCookie()
      .find((c) => c.startsWith('meshlens_session='))!;
    expect(session).toContain('HttpOnly');
    const me = await trpcQuery(base, 'auth.me', undefined, {
      cookie: session.split(';')[0]!,
    });
    expect(me.body).toMatchObject({
      name: 'carol',
      role: 'admin',
      canLogout: true,
    });
    expect(issuer.tokenRequests.at(-1)?.get('code_verifier')).toBeTruthy();
    expect(
      (await get(base, '/settings', { cookie: session.split(';')[0]! })).status,
    ).toBe(200);
  });
});
