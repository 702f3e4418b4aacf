/**
 * The token strategy end to end in the real process and Chromium: the admin token printed once
 * at first start, 401/redirect without it, sign-in at /login, Settings creating an API token
 * whose secret works on /api/v1, a viewer that cannot write, and no new token on a restart.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import superjson from 'superjson';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureWebBuild } from '../server/build-web';
import { startApp, type AppProcess } from '../test/helpers/app-process';
import { collectPageErrors, launchBrowser } from '../test/helpers/browser';

const TOKEN = /mlk_[A-Za-z0-9_-]{43}/;
let app: AppProcess;
let browser: Browser;
let adminToken = '';
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'meshlens-auth-e2e-'));

beforeAll(async () => {
  await ensureWebBuild();
  app = await startApp({ MESHLENS_AUTH: 'token', MESHLENS_DATA_DIR: dataDir });
  const printed = app.logs.filter((l) => TOKEN.test(l));
  expect(printed).toHaveLength(1);
  adminToken = TOKEN.exec(printed[0]!)![0];
  browser = await launchBrowser();
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await app?.stop();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

async function trpc(
  path: string,
  input: unknown,
  bearer: string,
  mutation = false,
) {
  const res = mutation
    ? await fetch(`${app.urls.web}/api/trpc/${path}`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          authorization: `Bearer ${bearer}`,
        },
        body: JSON.stringify(superjson.serialize(input)),
      })
    : await fetch(`${app.urls.web}/api/trpc/${path}`, {
        headers: { authorization: `Bearer ${bearer}` },
      });
  const body = (await res.json()) as { result?: { data: unknown } };
  return {
    status: res.status,
    data: body.result
      ? superjson.deserialize(body.result.data as never)
      : undefined,
  };
}

describe('token authentication', () => {
  it('answers 401 or redirects without a credential', async () => {
    const page = await fetch(`${app.urls.web}/topology`, {
      redirect: 'manual',
    });
    expect(page.status).toBe(303);
    expect(page.headers.get('location')).toBe('/login?next=%2Ftopology');
    expect(
      (await fetch(`${app.urls.web}/api/trpc/status.overview`)).status,
    ).toBe(401);
    expect((await fetch(`${app.urls.web}/api/v1/services`)).status).toBe(401);
    expect((await fetch(`${app.urls.web}/embed/topology`)).status).toBe(401);
    expect((await fetch(`${app.urls.web}/healthz`)).status).toBe(200);
  });

  it('signs in at /login, shows who is signed in, and Settings makes a working API token', async () => {
    const page = await browser.newPage({
      viewport: { width: 1400, height: 900 },
    });
    const errors = collectPageErrors(page);
    await page.goto(`${app.urls.web}/settings`);
    await page.waitForURL(/\/login\?next=%2Fsettings/);
    await page.locator('input[name=token]').fill('mlk_not-a-real-token');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page
      .getByRole('alert')
      .filter({ hasText: 'unknown, revoked or expired' })
      .waitFor();

    await page.locator('input[name=token]').fill(adminToken);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(/\/settings$/);
    await page
      .getByTestId('auth-status')
      .filter({ hasText: 'admin' })
      .waitFor();
    const cookies = await page.context().cookies();
    const session = cookies.find((c) => c.name === 'meshlens_session')!;
    expect(session.httpOnly).toBe(true);
    expect(session.sameSite).toBe('Lax');

    const form = page.getByRole('form', { name: 'New token' });
    await form.locator('input[name=name]').fill('grafana');
    await form.getByRole('button', { name: 'Create token' }).click();
    const secret = (await page
      .getByTestId('new-secret')
      .locator('code')
      .textContent())!.trim();
    expect(secret).toMatch(TOKEN);
    const res = await fetch(`${app.urls.web}/api/v1/services`, {
      headers: { authorization: `Bearer ${secret}` },
    });
    expect(res.status).toBe(200);
    expect(errors.errors).toEqual([]);
    await page.close();
  });

  it('a viewer token reads but cannot write', async () => {
    const made = await trpc(
      'auth.createToken',
      { name: 'ro', kind: 'api', role: 'viewer' },
      adminToken,
      true,
    );
    const viewer = (made.data as { secret: string }).secret;
    expect((await trpc('alerts.list', undefined, viewer)).status).toBe(200);
    const rule = {
      rule: {
        name: 'x',
        spec: { kind: 'error_rate', scope: { type: 'mesh' }, threshold: 0.1 },
      },
    };
    expect((await trpc('alerts.add', rule, viewer, true)).status).toBe(403);
    expect(
      (await trpc('auth.createToken', { name: 'y', kind: 'api' }, viewer, true))
        .status,
    ).toBe(403);
  });

  it('does not print a new admin token on the next start', async () => {
    expect(await app.stop()).toBe(0);
    app = await startApp({
      MESHLENS_AUTH: 'token',
      MESHLENS_DATA_DIR: dataDir,
    });
    expect(app.logs.filter((l) => TOKEN.test(l))).toEqual([]);
    expect((await trpc('auth.me', undefined, adminToken)).data).toMatchObject({
      role: 'admin',
    });
  }, 120_000);
});
