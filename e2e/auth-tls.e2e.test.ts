/**
 * TLS on the web listener (MESHLENS_TLS_CERT_FILE / _KEY_FILE) in the real process: it serves
 * HTTPS with the given certificate, sends HSTS, and the session cookie is marked Secure.
 * The certificate is made for the test with Debian's openssl.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureWebBuild } from '../server/build-web';
import { startApp, type AppProcess } from '../test/helpers/app-process';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'meshlens-tls-'));
const cert = path.join(dir, 'cert.pem');
const key = path.join(dir, 'key.pem');
let app: AppProcess;
let adminToken = '';

function request(
  url: string,
  opts: {
    method?: string;
    body?: string;
    headers?: Record<string, string>;
  } = {},
): Promise<{
  status: number;
  headers: Record<string, string | string[] | undefined>;
}> {
  return new Promise((resolve, reject) => {
    const req = https.request(
      url,
      {
        method: opts.method ?? 'GET',
        headers: opts.headers,
        ca: fs.readFileSync(cert),
      },
      (res) => {
        res.resume();
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers }),
        );
      },
    );
    req.on('error', reject);
    req.end(opts.body);
  });
}

beforeAll(async () => {
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-days',
      '1',
      '-keyout',
      key,
      '-out',
      cert,
      '-subj',
      '/CN=127.0.0.1',
      '-addext',
      'subjectAltName=IP:127.0.0.1',
    ],
    { stdio: 'ignore' },
  );
  await ensureWebBuild();
  app = await startApp({
    MESHLENS_AUTH: 'token',
    MESHLENS_TLS_CERT_FILE: cert,
    MESHLENS_TLS_KEY_FILE: key,
  });
  adminToken = /mlk_[A-Za-z0-9_-]{43}/.exec(app.logs.join('\n'))![0];
}, 240_000);

afterAll(async () => {
  await app?.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('TLS', () => {
  it('serves HTTPS with HSTS and a Secure session cookie', async () => {
    expect(app.urls.web).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    const unauth = await request(`${app.urls.web}/api/v1/services`);
    expect(unauth.status).toBe(401);
    expect(unauth.headers['strict-transport-security']).toContain('max-age=');
    const login = await request(`${app.urls.web}/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ token: adminToken, next: '/' }).toString(),
    });
    expect(login.status).toBe(303);
    const cookie = String(login.headers['set-cookie']);
    expect(cookie).toContain('meshlens_session=');
    expect(cookie).toContain('Secure');
    expect(cookie).toContain('HttpOnly');
    const page = await request(`${app.urls.web}/`, {
      headers: { cookie: cookie.split(';')[0]! },
    });
    expect(page.status).toBe(200);
  });
});
