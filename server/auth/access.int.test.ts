// Access control through the real request path (auth gate, tRPC over HTTP, /api/v1) on an
// embedded ClickHouse holding two namespaces: credentials, roles, namespace scope, embeds, CSRF.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDb, type TempDb } from '~/test/helpers/temp-db';
import { handleApi } from '../web/server';
import { createEmbedToken } from './embed-token';
import { signingKey } from './signing-key';
import {
  get,
  trpcMutation,
  trpcQuery,
  type Answer,
} from './testing/api-client';
import {
  SECRET_NAMES,
  seedTwoNamespaces,
  TRACE_BOOKINFO,
  TRACE_MIXED,
  TRACE_SECRET,
} from './testing/seed-two-namespaces';
import { createToken } from './token-store';

let t: TempDb;
let server: http.Server;
let base: string;
const tokens = {
  admin: '',
  viewer: '',
  editor: '',
  scoped: '',
  scopedEditor: '',
};

const win = { lastMs: 15 * 60_000 };
const node = (namespace: string, workload: string) => ({
  kind: 'workload' as const,
  namespace,
  workload,
  service: '',
  app: '',
  version: 'v1',
});
const rule = (namespace: string) => ({
  rule: {
    name: `errors in ${namespace}`,
    spec: {
      kind: 'error_rate',
      scope: { type: 'namespace', namespace },
      threshold: 0.05,
    },
  },
});

function noSecrets(a: Answer): void {
  for (const name of SECRET_NAMES) expect(a.text).not.toContain(name);
}

beforeAll(async () => {
  t = await tempDb({
    MESHLENS_AUTH: 'token',
    MESHLENS_TTL_ROLLUPS_DAYS: '3650',
  });
  await seedTwoNamespaces(t.db);
  const make = async (
    role: 'viewer' | 'editor' | 'admin',
    namespaces: string[] = [],
  ) =>
    (
      await createToken(t.db, {
        name: `${role}${namespaces.join()}`,
        kind: 'api',
        role,
        namespaces,
        createdBy: 'test',
      })
    ).secret!;
  tokens.admin = await make('admin');
  tokens.viewer = await make('viewer');
  tokens.editor = await make('editor');
  tokens.scoped = await make('viewer', ['bookinfo']);
  tokens.scopedEditor = await make('editor', ['bookinfo']);
  server = http.createServer((req, res) => {
    void handleApi(req, res).then((done) => {
      if (!done)
        res.writeHead(200, { 'content-type': 'text/plain' }).end('page');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  // Alert rules in both namespaces, written by the admin.
  for (const ns of ['bookinfo', 'secretns'])
    expect(
      (
        await trpcMutation(base, 'alerts.add', rule(ns), {
          bearer: tokens.admin,
        })
      ).status,
    ).toBe(200);
});

afterAll(async () => {
  await new Promise((r) => server?.close(r));
  await t?.close();
});

describe('without a credential', () => {
  it('refuses tRPC, /api/v1 and embeds, and sends pages to /login', async () => {
    const trpc = await trpcQuery(base, 'topology.graph', { window: win });
    expect(trpc.status).toBe(401);
    expect(trpc.headers.get('www-authenticate')).toMatch(/Bearer/);
    expect((await get(base, '/api/v1/topology')).status).toBe(401);
    expect((await get(base, '/api/v1/services')).status).toBe(401);
    expect((await get(base, '/embed/topology')).status).toBe(401);
    const page = await get(base, '/topology?namespaces=bookinfo');
    expect(page.status).toBe(303);
    expect(page.headers.get('location')).toBe(
      '/login?next=%2Ftopology%3Fnamespaces%3Dbookinfo',
    );
    // The login page itself and static assets need no credential.
    expect((await get(base, '/login')).status).toBe(200);
  });

  it('refuses a wrong or revoked token', async () => {
    expect(
      (await get(base, '/api/v1/topology', { bearer: 'mlk_wrong' })).status,
    ).toBe(401);
    const { token, secret } = await createToken(t.db, {
      name: 'short-lived',
      kind: 'api',
      role: 'viewer',
      createdBy: 'test',
    });
    expect(
      (await get(base, '/api/v1/services', { bearer: secret! })).status,
    ).toBe(200);
    const revoked = await trpcMutation(
      base,
      'auth.revokeToken',
      { id: token.id },
      { bearer: tokens.admin },
    );
    expect(revoked.status).toBe(200);
    expect(
      (await get(base, '/api/v1/services', { bearer: secret! })).status,
    ).toBe(401);
  });
});

describe('roles', () => {
  it('a viewer reads but cannot write rules or manage tokens', async () => {
    expect(
      (
        await trpcQuery(base, 'alerts.list', undefined, {
          bearer: tokens.viewer,
        })
      ).status,
    ).toBe(200);
    const add = await trpcMutation(base, 'alerts.add', rule('bookinfo'), {
      bearer: tokens.viewer,
    });
    expect(add.status).toBe(403);
    expect(add.text).toContain('needs the editor role');
    expect(
      (
        await trpcMutation(
          base,
          'alerts.addSilence',
          {
            matchers: [{ name: 'a', value: 'b' }],
            endsAt: Date.now() + 60_000,
          },
          { bearer: tokens.viewer },
        )
      ).status,
    ).toBe(403);
    expect(
      (
        await trpcQuery(base, 'auth.tokens', undefined, {
          bearer: tokens.viewer,
        })
      ).status,
    ).toBe(403);
    expect(
      (
        await trpcMutation(
          base,
          'auth.createToken',
          { name: 'x', kind: 'api' },
          { bearer: tokens.viewer },
        )
      ).status,
    ).toBe(403);
  });

  it('an editor writes rules but cannot manage tokens; an admin can', async () => {
    expect(
      (
        await trpcMutation(base, 'alerts.validate', rule('bookinfo'), {
          bearer: tokens.editor,
        })
      ).status,
    ).toBe(200);
    expect(
      (
        await trpcMutation(
          base,
          'auth.createToken',
          { name: 'x', kind: 'api' },
          { bearer: tokens.editor },
        )
      ).status,
    ).toBe(403);
    const made = await trpcMutation(
      base,
      'auth.createToken',
      { name: 'made', kind: 'api', role: 'viewer' },
      { bearer: tokens.admin },
    );
    expect(made.status).toBe(200);
    const secret = (made.body as { secret: string }).secret;
    expect(secret).toMatch(/^mlk_/);
    // Only the hash is stored.
    const stored = await t.rows<{ TokenHash: string }>(
      'SELECT TokenHash FROM {db:Identifier}.api_tokens',
    );
    expect(stored.map((r) => r.TokenHash).join()).not.toContain(secret);
  });
});

describe('a token scoped to bookinfo', () => {
  const c = () => ({ bearer: tokens.scoped });

  it('sees only bookinfo in the graph, the inventory and the service list', async () => {
    const graph = await trpcQuery(base, 'topology.graph', { window: win }, c());
    expect(graph.status).toBe(200);
    noSecrets(graph);
    const g = graph.body as {
      nodes: { namespace: string }[];
      edges: unknown[];
    };
    expect(g.nodes.length).toBeGreaterThan(0);
    expect(new Set(g.nodes.map((n) => n.namespace))).toEqual(
      new Set(['bookinfo']),
    );
    expect(g.edges.length).toBeGreaterThan(0);
    // The admin sees the other namespace: the data is there, the scope hides it.
    const all = await trpcQuery(
      base,
      'topology.graph',
      { window: win },
      { bearer: tokens.admin },
    );
    expect(all.text).toContain('secretns');

    for (const path of [
      'topology.inventory',
      'services.list',
      'traces.services',
      'requests.search',
    ]) {
      const a = await trpcQuery(base, path, { window: win }, c());
      expect(a.status, path).toBe(200);
      noSecrets(a);
    }
  });

  it('is refused another namespace asked for by name, everywhere', async () => {
    const asks: [string, unknown][] = [
      ['topology.graph', { window: win, filter: { namespaces: ['secretns'] } }],
      ['services.list', { window: win, filter: { namespaces: ['secretns'] } }],
      [
        'requests.search',
        { window: win, filter: { namespaces: ['secretns'] } },
      ],
      [
        'services.byName',
        { window: win, namespace: 'secretns', service: 'ledger' },
      ],
      ['topology.node', { window: win, node: node('secretns', 'vault-v1') }],
      [
        'topology.edge',
        {
          window: win,
          source: node('secretns', 'vault-v1'),
          target: node('secretns', 'ledger-v1'),
          protocol: 'http',
        },
      ],
    ];
    for (const [path, input] of asks) {
      const a = await trpcQuery(base, path, input, c());
      expect(a.status, path).toBe(403);
    }
    expect(
      (await get(base, '/api/v1/topology?namespace=secretns', c())).status,
    ).toBe(403);
    expect(
      (await get(base, '/api/v1/services?namespaces=secretns', c())).status,
    ).toBe(403);
  });

  it('reads its own node and service without the other namespace as a peer', async () => {
    const n = await trpcQuery(
      base,
      'topology.node',
      { window: win, node: node('bookinfo', 'productpage-v1') },
      c(),
    );
    expect(n.status).toBe(200);
    noSecrets(n);
    const s = await trpcQuery(
      base,
      'services.byName',
      { window: win, namespace: 'bookinfo', service: 'reviews' },
      c(),
    );
    expect(s.status).toBe(200);
    noSecrets(s);
  });

  it('cannot read the other namespace’s traces or access-log lines', async () => {
    const search = await trpcQuery(
      base,
      'traces.search',
      { window: win, filters: {} },
      c(),
    );
    expect(search.status).toBe(200);
    noSecrets(search);
    const ids = (search.body as { traces: { traceId: string }[] }).traces.map(
      (x) => x.traceId,
    );
    expect(ids).toContain(TRACE_BOOKINFO);
    expect(ids).not.toContain(TRACE_SECRET);

    expect(
      (await trpcQuery(base, 'traces.byId', { traceId: TRACE_SECRET }, c()))
        .status,
    ).toBe(404);
    expect(
      (await trpcQuery(base, 'traces.otlpJson', { traceId: TRACE_SECRET }, c()))
        .status,
    ).toBe(404);
    const mixed = await trpcQuery(
      base,
      'traces.byId',
      { traceId: TRACE_MIXED },
      c(),
    );
    expect(mixed.status).toBe(200);
    noSecrets(mixed);
    expect(
      (
        await trpcQuery(
          base,
          'traces.byId',
          { traceId: TRACE_SECRET },
          { bearer: tokens.admin },
        )
      ).status,
    ).toBe(200);

    for (const requestId of ['req-secret', 'req-mixed']) {
      const lines = await trpcQuery(
        base,
        'traces.accessLog',
        { requestId, aroundMs: Date.now() },
        c(),
      );
      expect(lines.status).toBe(200);
      expect(lines.body).toEqual([]);
    }
    const own = await trpcQuery(
      base,
      'traces.accessLog',
      { requestId: 'req-bookinfo', aroundMs: Date.now() },
      c(),
    );
    expect((own.body as unknown[]).length).toBe(1);
  });

  it('gets only bookinfo from every /api/v1 endpoint', async () => {
    const start = Date.now() - 15 * 60_000;
    for (const path of [
      '/api/v1/topology',
      '/api/v1/services',
      `/api/v1/traces?start=${start}`,
      `/api/v1/requests?start=${start}`,
      '/api/v1/alerts',
      `/api/v1/traces/${TRACE_MIXED}`,
    ]) {
      const a = await get(base, path, c());
      expect(a.status, path).toBe(200);
      noSecrets(a);
    }
    expect(
      (await get(base, `/api/v1/traces/${TRACE_SECRET}`, c())).status,
    ).toBe(404);
    const admin = await get(base, `/api/v1/requests?start=${start}`, {
      bearer: tokens.admin,
    });
    expect(admin.text).toContain('secretns');
  });

  it('lists only its namespace’s alert rules, and may write rules only there', async () => {
    const list = await trpcQuery(base, 'alerts.list', undefined, c());
    expect(list.status).toBe(200);
    noSecrets(list);
    expect((list.body as unknown[]).length).toBe(1);
    const e = { bearer: tokens.scopedEditor };
    expect(
      (await trpcMutation(base, 'alerts.add', rule('secretns'), e)).status,
    ).toBe(403);
    expect(
      (await trpcMutation(base, 'alerts.add', rule('bookinfo'), e)).status,
    ).toBe(200);
    const all = (
      await trpcQuery(base, 'alerts.list', undefined, { bearer: tokens.admin })
    ).body as { id: string; spec: { scope: { namespace: string } } }[];
    const secretRule = all.find((r) => r.spec.scope.namespace === 'secretns')!;
    expect(
      (await trpcMutation(base, 'alerts.remove', { id: secretRule.id }, e))
        .status,
    ).toBe(403);
    expect(
      (await trpcQuery(base, 'alerts.byId', { id: secretRule.id }, e)).status,
    ).toBe(404);
    // Endpoints without a scope rule fail closed.
    expect(
      (
        await trpcMutation(
          base,
          'alerts.addSilence',
          {
            matchers: [{ name: 'a', value: 'b' }],
            endsAt: Date.now() + 60_000,
          },
          e,
        )
      ).status,
    ).toBe(403);
  });
});

describe('embed tokens', () => {
  it('open their widget read-only, scoped, framed only by their origins', async () => {
    const { jwt } = await createEmbedToken(t.db, {
      name: 'wiki',
      widgets: ['topology'],
      namespaces: ['bookinfo'],
      services: [],
      origins: ['http://127.0.0.1:8099'],
      expiresInHours: 1,
      createdBy: 'test',
    });
    const page = await get(base, `/embed/topology?token=${jwt}`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toContain(
      'frame-ancestors http://127.0.0.1:8099',
    );
    expect(page.headers.get('x-frame-options')).toBeNull();
    expect(page.headers.get('referrer-policy')).toBe('no-referrer');
    expect((await get(base, `/embed/service?token=${jwt}`)).status).toBe(401);

    const graph = await trpcQuery(
      base,
      'topology.graph',
      { window: win },
      { bearer: jwt },
    );
    expect(graph.status).toBe(200);
    noSecrets(graph);
    expect(
      (await trpcQuery(base, 'services.list', { window: win }, { bearer: jwt }))
        .status,
    ).toBe(403);
    expect(
      (
        await trpcMutation(base, 'alerts.add', rule('bookinfo'), {
          bearer: jwt,
        })
      ).status,
    ).toBe(403);
    expect((await get(base, '/api/v1/services', { bearer: jwt })).status).toBe(
      403,
    );
    // Not a key to the dashboard.
    expect((await get(base, '/topology', { bearer: jwt })).status).toBe(303);
  });

  it('refuses an expired, a tampered and a foreign-key token', async () => {
    const { jwt } = await createEmbedToken(t.db, {
      name: 'x',
      widgets: ['topology'],
      namespaces: null,
      services: [],
      origins: ['*'],
      expiresInHours: 1,
      createdBy: 'test',
    });
    const [h, p, s] = jwt.split('.') as [string, string, string];
    const claims = JSON.parse(Buffer.from(p, 'base64url').toString()) as Record<
      string,
      unknown
    >;
    const widened = Buffer.from(
      JSON.stringify({ ...claims, w: ['topology', 'service'] }),
    ).toString('base64url');
    const tampered = `${h}.${widened}.${s}`;
    const r1 = await get(base, `/embed/topology?token=${tampered}`);
    expect(r1.status).toBe(401);
    expect(r1.text).toContain('not valid');
    expect(
      (
        await trpcQuery(
          base,
          'topology.graph',
          { window: win },
          { bearer: tampered },
        )
      ).status,
    ).toBe(401);

    const key = await signingKey(t.db);
    const expired = await new SignJWT({ ...claims })
      .setProtectedHeader({ alg: 'HS256' })
      .setExpirationTime(Math.floor(Date.now() / 1000) - 60)
      .sign(key);
    const r2 = await get(base, `/embed/topology?token=${expired}`);
    expect(r2.status).toBe(401);
    expect(r2.text).toContain('expired');

    const foreign = await new SignJWT({ ...claims })
      .setProtectedHeader({ alg: 'HS256' })
      .sign(new TextEncoder().encode('another installation key 32 byt'));
    expect((await get(base, `/embed/topology?token=${foreign}`)).status).toBe(
      401,
    );
    expect((await get(base, `/embed/topology?token=${jwt}`)).status).toBe(200);
  });
});

describe('sessions', () => {
  it('logs in with a token into an HttpOnly SameSite cookie, and refuses cross-site writes', async () => {
    const res = await fetch(`${base}/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ token: tokens.editor, next: '/alerts' }),
      redirect: 'manual',
    });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/alerts');
    const setCookie = res.headers.get('set-cookie') ?? '';
    expect(setCookie).toMatch(/^meshlens_session=/);
    expect(setCookie).toContain('HttpOnly');
    expect(setCookie).toContain('SameSite=Lax');
    expect(setCookie).not.toContain('Secure'); // plain HTTP here
    const cookie = setCookie.split(';')[0]!;
    expect(
      (await trpcQuery(base, 'alerts.list', undefined, { cookie })).status,
    ).toBe(200);
    expect(
      (
        await trpcMutation(base, 'alerts.validate', rule('bookinfo'), {
          cookie,
        })
      ).status,
    ).toBe(403);
    expect(
      (
        await trpcMutation(base, 'alerts.validate', rule('bookinfo'), {
          cookie,
          origin: 'http://evil.example',
        })
      ).status,
    ).toBe(403);
    expect(
      (
        await trpcMutation(base, 'alerts.validate', rule('bookinfo'), {
          cookie,
          origin: base,
        })
      ).status,
    ).toBe(200);

    const bad = await fetch(`${base}/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ token: 'mlk_nope', next: '//evil.example' }),
      redirect: 'manual',
    });
    expect(bad.headers.get('location')).toBe('/login?error=token&next=%2F');
  });

  it('sets security headers on pages and API answers', async () => {
    const page = await get(base, '/login');
    expect(page.headers.get('x-content-type-options')).toBe('nosniff');
    expect(page.headers.get('content-security-policy')).toContain(
      "frame-ancestors 'none'",
    );
    expect(page.headers.get('x-frame-options')).toBe('DENY');
    expect(page.headers.get('referrer-policy')).toBe('same-origin');
    const api = await get(base, '/api/v1/services', { bearer: tokens.viewer });
    expect(api.headers.get('content-security-policy')).toContain(
      "default-src 'none'",
    );
  });
});
