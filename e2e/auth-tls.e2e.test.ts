/**
 * TLS (MESHLENS_TLS_CERT_FILE / _KEY_FILE) in the real process: the web listener serves HTTPS
 * with the given certificate, sends HSTS, and the session cookie is marked Secure; the receivers
 * (OTLP/HTTP, Zipkin, gRPC) serve TLS with the same certificate and drop plaintext clients
 * without falling over. The certificate is made for the test with Debian's openssl.
 */
import * as grpc from '@grpc/grpc-js';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ExportTraceServiceRequest } from '../collectors/sources/otlp/proto';
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

/** OTLP gRPC Export of one span over `creds`; resolves to the status (null when OK). */
function grpcExport(
  creds: grpc.ChannelCredentials,
  traceId: Buffer,
): Promise<grpc.ServiceError | null> {
  const client = new grpc.Client(
    app.urls.otlpGrpc.replace(/^grpcs?:\/\//, ''),
    creds,
  );
  const body = ExportTraceServiceRequest.encode(
    ExportTraceServiceRequest.fromObject({
      resourceSpans: [
        {
          resource: {
            attributes: [
              { key: 'service.name', value: { stringValue: 'tls-e2e' } },
            ],
          },
          scopeSpans: [
            {
              spans: [
                {
                  traceId,
                  spanId: Buffer.alloc(8, 1),
                  name: 'over tls',
                  kind: 2,
                  startTimeUnixNano: String(BigInt(Date.now()) * 1_000_000n),
                  endTimeUnixNano: String(BigInt(Date.now() + 5) * 1_000_000n),
                },
              ],
            },
          ],
        },
      ],
    }),
  ).finish();
  return new Promise((resolve) =>
    client.makeUnaryRequest(
      '/opentelemetry.proto.collector.trace.v1.TraceService/Export',
      (b: Uint8Array) => Buffer.from(b),
      (b: Buffer) => b,
      body,
      new grpc.Metadata(),
      { deadline: Date.now() + 10_000 },
      (err) => {
        client.close();
        resolve(err);
      },
    ),
  );
}

describe('TLS on the receivers', () => {
  it('serve OTLP/HTTP, Zipkin and OTLP/gRPC over TLS and drop plaintext clients', async () => {
    expect(app.urls.otlpHttp).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    expect(app.urls.zipkin).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    expect(app.urls.otlpGrpc).toMatch(/^grpcs:\/\/127\.0\.0\.1:\d+$/);
    const json = { 'content-type': 'application/json' };
    expect(
      (
        await request(`${app.urls.otlpHttp}/v1/traces`, {
          method: 'POST',
          headers: json,
          body: '{"resourceSpans":[]}',
        })
      ).status,
    ).toBe(200);
    expect(
      (
        await request(`${app.urls.zipkin}/api/v2/spans`, {
          method: 'POST',
          headers: json,
          body: '[]',
        })
      ).status,
    ).toBe(202);
    const ca = fs.readFileSync(cert);
    expect(
      await grpcExport(grpc.credentials.createSsl(ca), Buffer.alloc(16, 7)),
    ).toBeNull();

    // Plaintext clients: refused at the handshake, the process keeps serving.
    await expect(
      fetch(`${app.urls.otlpHttp.replace('https:', 'http:')}/v1/traces`, {
        method: 'POST',
        headers: json,
        body: '{"resourceSpans":[]}',
      }),
    ).rejects.toThrow();
    expect(
      (await grpcExport(grpc.credentials.createInsecure(), Buffer.alloc(16, 8)))
        ?.code,
    ).toBe(grpc.status.UNAVAILABLE);
    expect(
      await grpcExport(grpc.credentials.createSsl(ca), Buffer.alloc(16, 9)),
    ).toBeNull();
    expect(
      (
        await request(`${app.urls.zipkin}/api/v2/spans`, {
          method: 'POST',
          headers: json,
          body: '[]',
        })
      ).status,
    ).toBe(202);
  });
});
