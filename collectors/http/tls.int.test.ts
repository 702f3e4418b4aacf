// TLS on the receiver listeners (MESHLENS_TLS_CERT_FILE / _KEY_FILE): OTLP/HTTP, remote_write
// and the access-log push on 4318, Zipkin on 9411 and gRPC on 4317, with real clients (the OTel
// exporters, node https, grpc-js) trusting a CA made for the test with Debian's openssl.
// Plaintext and untrusting clients are refused at the handshake; the listeners go on serving.
import * as grpc from '@grpc/grpc-js';
import { ExportResultCode, type ExportResult } from '@opentelemetry/core';
import { OTLPTraceExporter as OtlpGrpcExporter } from '@opentelemetry/exporter-trace-otlp-grpc';
import { OTLPTraceExporter as OtlpHttpExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeWriteRequest } from '~/test/fixtures/metrics/remote-write';
import type { TempDb } from '~/test/helpers/temp-db';
import { createPipeline, type Pipeline } from '../pipeline';
import { startGrpcListener, type GrpcListener } from '../grpc/server';
import { receivers } from '../sources';
import { ALS_SERVICE } from '../sources/envoy-als/proto';
import { makeSdkSpans } from '../sources/otlp/sdk-spans';
import { startTestDb } from '../sources/traces-shared/testing';
import { startHttpListener, type HttpListener } from './server';
import { receiverTls } from './tls';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'meshlens-rx-tls-'));
const certFile = path.join(dir, 'cert.pem');
const keyFile = path.join(dir, 'key.pem');
let ca: Buffer;
let db: TempDb;
let pipeline: Pipeline;
let otlpHttp: HttpListener;
let zipkin: HttpListener;
let grpcListener: GrpcListener;

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
      keyFile,
      '-out',
      certFile,
      '-subj',
      '/CN=127.0.0.1',
      '-addext',
      'subjectAltName=IP:127.0.0.1',
    ],
    { stdio: 'ignore' },
  );
  ca = fs.readFileSync(certFile);
  db = await startTestDb();
  const config = {
    ...db.config,
    env: {
      ...db.config.env,
      MESHLENS_TLS_CERT_FILE: certFile,
      MESHLENS_TLS_KEY_FILE: keyFile,
    },
  };
  const tls = receiverTls(config.env);
  pipeline = createPipeline({ db: db.db, config, replayIntervalMs: 60_000 });
  const r = receivers({ config, pipeline });
  const host = '127.0.0.1';
  otlpHttp = await startHttpListener({
    name: 'otlp-http',
    host,
    port: 0,
    routes: r.otlpHttp,
    tls,
  });
  zipkin = await startHttpListener({
    name: 'zipkin',
    host,
    port: 0,
    routes: r.zipkin,
    tls,
  });
  grpcListener = await startGrpcListener({
    host,
    port: 0,
    services: r.grpc,
    maxReceiveBytes: config.pipeline.maxBodyBytes,
    tls,
  });
}, 60_000);

afterAll(async () => {
  await Promise.all([
    otlpHttp?.close(),
    zipkin?.close(),
    grpcListener?.close(),
  ]);
  await pipeline?.close();
  await db?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

/** A POST with node's https client; `trust` false leaves the test CA out. */
function post(
  url: string,
  body: string | Buffer,
  type: string,
  trust = true,
  headers: Record<string, string> = {},
): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = https.request(
      url,
      {
        method: 'POST',
        headers: { 'content-type': type, ...headers },
        ca: trust ? ca : undefined,
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

const grpcAddress = (url: string) => url.replace(/^grpcs?:\/\//, '');

/** One empty ALS stream: resolves to the status it ended with (null when OK). */
function alsStream(
  creds: grpc.ChannelCredentials,
): Promise<grpc.ServiceError | null> {
  const client = new grpc.Client(grpcAddress(grpcListener.url), creds);
  return new Promise((resolve) => {
    const call = client.makeClientStreamRequest(
      `/${ALS_SERVICE}/StreamAccessLogs`,
      (b: Buffer) => b,
      (b: Buffer) => b,
      (err) => {
        client.close();
        resolve(err);
      },
    );
    call.end();
  });
}

describe('TLS on the receivers', () => {
  it('advertise https:// and grpcs:// URLs', () => {
    expect(otlpHttp.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    expect(zipkin.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    expect(grpcListener.url).toMatch(/^grpcs:\/\/127\.0\.0\.1:\d+$/);
  });

  it('OTLP/HTTP: the OTel exporter trusting the CA delivers spans', async () => {
    const spans = await makeSdkSpans();
    const exporter = new OtlpHttpExporter({
      url: `${otlpHttp.url}/v1/traces`,
      httpAgentOptions: { ca },
    });
    const result = await new Promise<ExportResult>((resolve) =>
      exporter.export(spans, resolve),
    );
    expect(result.code, String(result.error)).toBe(ExportResultCode.SUCCESS);
    await exporter.shutdown();
    const rows = await db.rows<{ n: string }>(
      `SELECT count() AS n FROM {db:Identifier}.otel_traces WHERE TraceId = {t:String}`,
      { t: spans[0]!.spanContext().traceId },
    );
    expect(Number(rows[0]!.n)).toBe(spans.length);
  });

  it('OTLP/gRPC: the OTel exporter with createSsl(ca) delivers spans', async () => {
    const spans = await makeSdkSpans();
    const exporter = new OtlpGrpcExporter({
      url: `https://${grpcAddress(grpcListener.url)}`,
      credentials: grpc.credentials.createSsl(ca),
    });
    const result = await new Promise<ExportResult>((resolve) =>
      exporter.export(spans, resolve),
    );
    expect(result.code, String(result.error)).toBe(ExportResultCode.SUCCESS);
    await exporter.shutdown();
    const rows = await db.rows<{ n: string }>(
      `SELECT count() AS n FROM {db:Identifier}.otel_traces WHERE TraceId = {t:String}`,
      { t: spans[0]!.spanContext().traceId },
    );
    expect(Number(rows[0]!.n)).toBe(spans.length);
  });

  it('Zipkin, remote_write and the access-log push answer over HTTPS', async () => {
    expect(
      await post(`${zipkin.url}/api/v2/spans`, '[]', 'application/json'),
    ).toBe(202);
    expect(await post(`${otlpHttp.url}/v1/envoy/logs`, '', 'text/plain')).toBe(
      204,
    );
    const ts = Date.now() - 60_000;
    const write = encodeWriteRequest([
      {
        labels: { __name__: 'tls_probe_total', job: 'tls-test' },
        samples: [{ value: 7, timestamp: ts }],
      },
    ]);
    expect(
      await post(
        `${otlpHttp.url}/api/v1/write`,
        write,
        'application/x-protobuf',
        true,
        {
          'content-encoding': 'snappy',
          'x-prometheus-remote-write-version': '0.1.0',
        },
      ),
    ).toBe(204);
    const samples = await db.rows<{ n: string }>(
      `SELECT count() AS n FROM {db:Identifier}.metric_samples WHERE MetricName = {m:String}`,
      { m: 'tls_probe_total' },
    );
    expect(Number(samples[0]!.n)).toBe(1);
  });

  it('Envoy ALS: a grpc-js stream with createSsl(ca) is accepted', async () => {
    expect(await alsStream(grpc.credentials.createSsl(ca))).toBeNull();
  });

  it('refuses plaintext and untrusting clients at the handshake and keeps serving', async () => {
    // Plain HTTP to the HTTPS listeners: the connection is dropped, no HTTP answer.
    await expect(
      fetch(`${otlpHttp.url.replace('https:', 'http:')}/v1/traces`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{"resourceSpans":[]}',
      }),
    ).rejects.toThrow();
    await expect(
      fetch(`${zipkin.url.replace('https:', 'http:')}/api/v2/spans`, {
        method: 'POST',
        body: '[]',
      }),
    ).rejects.toThrow();
    // A client that does not trust the certificate.
    await expect(
      post(`${zipkin.url}/api/v2/spans`, '[]', 'application/json', false),
    ).rejects.toThrow(/self[- ]signed/i);
    // Plaintext gRPC: UNAVAILABLE, no answer from a service.
    const plain = await alsStream(grpc.credentials.createInsecure());
    expect(plain?.code).toBe(grpc.status.UNAVAILABLE);
    // Still serving afterwards.
    expect(
      await post(`${zipkin.url}/api/v2/spans`, '[]', 'application/json'),
    ).toBe(202);
    expect(await alsStream(grpc.credentials.createSsl(ca))).toBeNull();
  });

  it('MESHLENS_TLS_RECEIVERS=off keeps the receivers plaintext; no certificate, no TLS', () => {
    const env = {
      MESHLENS_TLS_CERT_FILE: certFile,
      MESHLENS_TLS_KEY_FILE: keyFile,
    };
    expect(receiverTls({ ...env, MESHLENS_TLS_RECEIVERS: 'on' })?.cert).toEqual(
      ca,
    );
    expect(
      receiverTls({ ...env, MESHLENS_TLS_RECEIVERS: 'off' }),
    ).toBeUndefined();
    expect(
      receiverTls({
        MESHLENS_TLS_CERT_FILE: undefined,
        MESHLENS_TLS_KEY_FILE: undefined,
        MESHLENS_TLS_RECEIVERS: 'on',
      }),
    ).toBeUndefined();
    expect(() =>
      receiverTls({
        ...env,
        MESHLENS_TLS_KEY_FILE: path.join(dir, 'missing.pem'),
        MESHLENS_TLS_RECEIVERS: 'on',
      }),
    ).toThrow(/MESHLENS_TLS_KEY_FILE: cannot read .*missing\.pem/);
  });
});
