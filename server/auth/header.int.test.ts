// The header strategy over real HTTP: an auth proxy's user header is believed only from the
// configured proxy addresses; groups map to role and namespaces.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig, setConfig } from '../config';
import { tempDb, type TempDb } from '~/test/helpers/temp-db';
import { handleApi } from '../web/server';
import { trpcQuery } from './testing/api-client';

let t: TempDb;
let server: http.Server;
let base: string;

const useProxies = (list: string) =>
  setConfig(
    parseConfig({
      MESHLENS_DATA_DIR: t.dataDir,
      CLICKHOUSE_DATABASE: t.db.database,
      MESHLENS_AUTH: 'header',
      MESHLENS_AUTH_TRUSTED_PROXIES: list,
      MESHLENS_AUTH_ROLE_GROUPS: 'admin=ops',
      MESHLENS_AUTH_NAMESPACE_GROUPS: 'books=bookinfo|reviews',
    }),
  );

beforeAll(async () => {
  t = await tempDb({
    MESHLENS_AUTH: 'header',
    MESHLENS_AUTH_TRUSTED_PROXIES: '127.0.0.1',
  });
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
  await t?.close();
});

const proxied = (user: string, groups: string) =>
  ({
    headers: { 'x-forwarded-user': user, 'x-forwarded-groups': groups },
  }) as const;

async function me(init: { headers: Record<string, string> }) {
  const res = await fetch(`${base}/api/trpc/auth.me`, init);
  return {
    status: res.status,
    body: (await res.json()) as { result?: { data: { json: unknown } } },
  };
}

describe('header strategy', () => {
  it('believes the user header from a trusted proxy address (CIDR too)', async () => {
    for (const list of ['127.0.0.1', '127.0.0.0/8', '10.0.0.1, 127.0.0.1']) {
      useProxies(list);
      const a = await me(proxied('dana', 'books'));
      expect(a.status, list).toBe(200);
      expect(a.body.result?.data.json).toMatchObject({
        name: 'dana',
        kind: 'header',
        role: 'viewer',
        namespaces: ['bookinfo', 'reviews'],
      });
      expect(
        (await me(proxied('erin', 'ops'))).body.result?.data.json,
      ).toMatchObject({ role: 'admin', namespaces: null });
    }
  });

  it('ignores the header from any other address', async () => {
    useProxies('10.0.0.1,192.168.0.0/16');
    expect((await me(proxied('mallory', 'ops'))).status).toBe(401);
    expect((await trpcQuery(base, 'status.overview', undefined)).status).toBe(
      401,
    );
  });

  it('refuses a bad proxy list at start, naming it', () => {
    expect(() => parseConfig({ MESHLENS_AUTH: 'header' })).toThrow(
      /MESHLENS_AUTH_TRUSTED_PROXIES: required/,
    );
    expect(() =>
      parseConfig({ MESHLENS_AUTH: 'none', MESHLENS_HOST: '0.0.0.0' }),
    ).toThrow(/only allowed when MESHLENS_HOST is a loopback/);
  });
});
