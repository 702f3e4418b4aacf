import { execFile } from 'node:child_process';
import fs from 'node:fs';
import { promisify } from 'node:util';
import { ExportResultCode, type ExportResult } from '@opentelemetry/core';
import { ZipkinExporter } from '@opentelemetry/exporter-zipkin';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TempDb } from '~/test/helpers/temp-db';
import { makeSdkSpans } from '../otlp/sdk-spans';
import {
  startSpanReceivers,
  startTestDb,
  withEnv,
  type SpanReceivers,
} from '../traces-shared/testing';

let db: TempDb;
let rx: SpanReceivers;

beforeAll(async () => {
  db = await startTestDb();
  rx = await startSpanReceivers(db);
});
afterAll(async () => {
  await rx?.close();
  await db?.close();
});

const post = (
  body: BodyInit,
  headers: Record<string, string> = { 'content-type': 'application/json' },
  url = rx.zipkin.url,
) => fetch(`${url}/api/v2/spans`, { method: 'POST', headers, body });

interface Row {
  TraceId: string;
  SpanId: string;
  ParentSpanId: string;
  SpanName: string;
  SpanKind: string;
  ServiceName: string;
  Timestamp: string;
  Duration: number;
  StatusCode: string;
  SpanAttributes: Record<string, string>;
  'Events.Name': string[];
  'Events.Timestamp': string[];
}

const spansOf = (traceId: string) =>
  db.rows<Row>(
    `SELECT * FROM {db:Identifier}.otel_traces WHERE TraceId = {t:String} ORDER BY Timestamp, SpanKind`,
    { t: traceId },
  );

describe('Zipkin v2 receiver', () => {
  it('stores the shared-span example: 64-bit trace id left-padded, shared server half marked', async () => {
    const res = await post(
      fs.readFileSync(
        'test/fixtures/traces/zipkin-v2-shared-span-example.json',
      ),
    );
    expect(res.status).toBe(202);
    const rows = await spansOf('00000000000000001e223ff1f80f1c69');
    expect(
      rows.map((r) => [r.ServiceName, r.SpanKind, r.SpanId, r.ParentSpanId]),
    ).toEqual([
      ['serviceb', 'Server', '74280ae0c10d8062', 'bf396325699c84bf'],
      ['serviceb', 'Internal', '43210ae0c10d1234', '74280ae0c10d8062'],
      ['servicea', 'Server', 'bf396325699c84bf', ''],
      ['servicea', 'Client', '74280ae0c10d8062', 'bf396325699c84bf'],
    ]);
    expect(rows[1]).toMatchObject({
      Timestamp: '2016-08-02T15:00:04.008762000Z',
      Duration: 65000000,
    });
    expect(rows[0]!.SpanAttributes).toMatchObject({
      'zipkin.shared': 'true',
      'net.host.ip': '192.0.0.0',
    });
    expect(rows[3]!.SpanAttributes['zipkin.shared']).toBeUndefined();
  });

  it('stores a B3 64-bit Envoy-style span with tags, annotations and an error', async () => {
    const span = {
      traceId: 'A1B2C3D4E5F60718',
      id: '0102030405060708',
      kind: 'CLIENT',
      name: 'reviews.bookinfo.svc.cluster.local:9080/*',
      timestamp: 1795514400123456,
      duration: 2500,
      localEndpoint: { serviceName: 'productpage.bookinfo', ipv4: '10.0.0.5' },
      remoteEndpoint: { ipv4: '10.0.0.9', port: 9080 },
      annotations: [{ timestamp: 1795514400123999, value: 'cs' }],
      tags: {
        'http.status_code': '503',
        error: 'true',
        response_flags: 'UF,URX',
        upstream_cluster: 'outbound|9080||reviews.bookinfo.svc.cluster.local',
        'istio.canonical_service': 'productpage',
      },
    };
    expect((await post(JSON.stringify([span]))).status).toBe(202);
    const [row] = await spansOf('0000000000000000a1b2c3d4e5f60718');
    expect(row).toMatchObject({
      SpanId: '0102030405060708',
      SpanKind: 'Client',
      ServiceName: 'productpage.bookinfo',
      StatusCode: 'Error',
      Timestamp: '2026-11-24T10:00:00.123456000Z',
      Duration: 2500000,
      'Events.Name': ['cs'],
      'Events.Timestamp': ['2026-11-24T10:00:00.123999000Z'],
    });
    expect(row!.SpanAttributes).toMatchObject({
      response_flags: 'UF,URX',
      'net.peer.ip': '10.0.0.9',
      'net.peer.port': '9080',
    });
  });

  it('dead-letters bad spans and still stores the good ones (202)', async () => {
    const good = {
      traceId: 'cc'.repeat(16),
      id: 'dd'.repeat(8),
      name: 'ok',
      timestamp: 1795514400000000,
    };
    const res = await post(
      JSON.stringify([
        good,
        { ...good, id: 'xyz' },
        { ...good, id: 'ee'.repeat(8), timestamp: undefined },
      ]),
    );
    expect(res.status).toBe(202);
    expect(await spansOf('cc'.repeat(16))).toHaveLength(1);
    await rx.pipeline.flush();
    const dead = await db.rows<{ Reason: string }>(
      `SELECT Reason FROM {db:Identifier}.dead_letters WHERE Source = 'zipkin' ORDER BY Reason`,
    );
    expect(dead.map((d) => d.Reason)).toEqual([
      'id is not 1-16 hex digits, or is zero',
      'missing or invalid timestamp (epoch microseconds)',
    ]);
  });

  it('400 for a body that is not a JSON array, 415 for protobuf', async () => {
    expect((await post('{"traceId": "x"}')).status).toBe(400);
    expect((await post('[{')).status).toBe(400);
    expect(
      (await post('[]', { 'content-type': 'application/x-protobuf' })).status,
    ).toBe(415);
  });

  it('401 without the token when MESHLENS_ZIPKIN_TOKEN is set', async () => {
    const authed = await startSpanReceivers(db, (c) =>
      withEnv(c, { MESHLENS_ZIPKIN_TOKEN: 'zz' }),
    );
    try {
      expect(
        (
          await post(
            '[]',
            { 'content-type': 'application/json' },
            authed.zipkin.url,
          )
        ).status,
      ).toBe(401);
      expect(
        (
          await post(
            '[]',
            { 'content-type': 'application/json', authorization: 'Bearer zz' },
            authed.zipkin.url,
          )
        ).status,
      ).toBe(202);
    } finally {
      await authed.close();
    }
  });

  it('stores spans from the real OpenTelemetry Zipkin exporter (128-bit ids)', async () => {
    const spans = await makeSdkSpans();
    const exporter = new ZipkinExporter({
      url: `${rx.zipkin.url}/api/v2/spans`,
    });
    const result = await new Promise<ExportResult>((resolve) =>
      exporter.export(spans, resolve),
    );
    expect(result.code, String(result.error)).toBe(ExportResultCode.SUCCESS);
    await exporter.shutdown();
    const rows = await spansOf(spans[0]!.spanContext().traceId);
    expect(rows.map((r) => [r.SpanName, r.SpanKind, r.ServiceName])).toEqual([
      ['GET /checkout', 'Server', 'checkout.shop'],
      ['charge card', 'Client', 'checkout.shop'],
    ]);
    // Zipkin carries microseconds: the SDK's nanoseconds are rounded by the exporter.
    expect(rows[0]!.Timestamp).toMatch(/^2026-11-24T10:00:00\.123457000Z$/);
  });

  const pyZipkin = fs.existsSync('/usr/lib/python3/dist-packages/py_zipkin');
  it.skipIf(!pyZipkin)(
    'stores spans from py_zipkin (a real Zipkin client, 64-bit trace ids)',
    async () => {
      const port = new URL(rx.zipkin.url).port;
      const { stdout } = await promisify(execFile)('/usr/bin/python3', [
        'collectors/sources/zipkin/testdata/py_zipkin_client.py',
        port,
      ]);
      const traceId = stdout.trim();
      expect(traceId).toMatch(/^[0-9a-f]{16}$/);
      const rows = await spansOf(`0000000000000000${traceId}`);
      expect(rows.map((r) => r.SpanName).sort()).toEqual([
        'inner op',
        'outer op',
      ]);
      expect(rows.every((r) => r.ServiceName === 'pyclient')).toBe(true);
    },
  );
});
