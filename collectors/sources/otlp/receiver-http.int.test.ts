import fs from 'node:fs';
import zlib from 'node:zlib';
import { ExportResultCode, type ExportResult } from '@opentelemetry/core';
import { OTLPTraceExporter as OtlpJsonExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPTraceExporter as OtlpProtoExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import type { ReadableSpan, SpanExporter } from '@opentelemetry/sdk-trace-base';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TempDb } from '~/test/helpers/temp-db';
import {
  startSpanReceivers,
  startTestDb,
  type SpanReceivers,
} from '../traces-shared/testing';
import { makeSdkSpans, SDK_TRACE } from './sdk-spans';
import { ExportTraceServiceRequest, ExportTraceServiceResponse } from './proto';

let db: TempDb;
let rx: SpanReceivers;
let spans: ReadableSpan[];

beforeAll(async () => {
  db = await startTestDb();
  rx = await startSpanReceivers(db);
  spans = await makeSdkSpans();
});
afterAll(async () => {
  await rx?.close();
  await db?.close();
});

function exportWith(
  exporter: SpanExporter,
  items: ReadableSpan[],
): Promise<ExportResult> {
  return new Promise((resolve) => exporter.export(items, resolve));
}

interface Row {
  TraceId: string;
  SpanId: string;
  ParentSpanId: string;
  Timestamp: string;
  Duration: string;
  SpanName: string;
  SpanKind: string;
  ServiceName: string;
  ScopeName: string;
  ScopeVersion: string;
  ResourceAttributes: Record<string, string>;
  SpanAttributes: Record<string, string>;
  StatusCode: string;
  StatusMessage: string;
  'Events.Timestamp': string[];
  'Events.Name': string[];
  'Events.Attributes': Record<string, string>[];
  'Links.TraceId': string[];
  'Links.SpanId': string[];
  'Links.Attributes': Record<string, string>[];
}

async function spansOf(traceId: string): Promise<Row[]> {
  return db.rows<Row>(
    `SELECT * FROM {db:Identifier}.otel_traces WHERE TraceId = {t:String} ORDER BY Timestamp`,
    { t: traceId },
  );
}

function expectSdkTrace(rows: Row[], traceId: string): void {
  expect(rows).toHaveLength(2);
  const [root, child] = rows as [Row, Row];
  expect(root.TraceId).toBe(traceId);
  expect(root.TraceId).toMatch(/^[0-9a-f]{32}$/);
  expect(root.ParentSpanId).toBe('');
  expect(child.ParentSpanId).toBe(root.SpanId);
  expect(root.Timestamp).toBe('2026-11-24T10:00:00.123456789Z');
  expect(Number(root.Duration)).toBe(864197532);
  expect(child.Timestamp).toBe('2026-11-24T10:00:00.200000001Z');
  expect(Number(child.Duration)).toBe(100000001);
  expect(root.SpanKind).toBe('Server');
  expect(child.SpanKind).toBe('Client');
  expect(root.ServiceName).toBe(SDK_TRACE.service);
  expect(root.ScopeName).toBe('meshlens-test');
  expect(root.ScopeVersion).toBe('1.2.3');
  expect(root.ResourceAttributes).toMatchObject({
    'service.name': SDK_TRACE.service,
    'k8s.namespace.name': 'shop',
    'host.cpus': '4',
  });
  expect(root.SpanAttributes).toMatchObject({
    'http.status_code': '200',
    'retry.ok': 'true',
    ratio: '0.25',
    tags: '["a","b"]',
  });
  expect(root.StatusCode).toBe('Unset');
  expect(child.StatusCode).toBe('Error');
  expect(child.StatusMessage).toBe('payment failed');
  expect(child['Events.Name']).toEqual(['card declined']);
  expect(child['Events.Timestamp']).toEqual(['2026-11-24T10:00:00.250000003Z']);
  expect(child['Events.Attributes']).toEqual([
    { 'card.brand': 'visa', attempt: '2' },
  ]);
  expect(child['Links.TraceId']).toEqual([SDK_TRACE.linkTraceId]);
  expect(child['Links.SpanId']).toEqual([SDK_TRACE.linkSpanId]);
  expect(child['Links.Attributes']).toEqual([{ why: 'retry' }]);
}

describe('OTLP/HTTP receiver with the OpenTelemetry JS exporters', () => {
  it('stores spans sent by exporter-trace-otlp-proto (protobuf) to the nanosecond', async () => {
    const exporter = new OtlpProtoExporter({
      url: `${rx.otlpHttp.url}/v1/traces`,
    });
    const result = await exportWith(exporter, spans);
    expect(result.code, String(result.error)).toBe(ExportResultCode.SUCCESS);
    const traceId = spans[0]!.spanContext().traceId;
    expectSdkTrace(await spansOf(traceId), traceId);
    const lookup = await db.rows<{ n: string }>(
      `SELECT count() AS n FROM {db:Identifier}.otel_traces_trace_id_ts WHERE TraceId = {t:String}`,
      { t: traceId },
    );
    expect(Number(lookup[0]?.n)).toBe(1);
    await exporter.shutdown();
  });

  it('stores spans sent by exporter-trace-otlp-http (JSON) with gzip', async () => {
    const again = await makeSdkSpans();
    const exporter = new OtlpJsonExporter({
      url: `${rx.otlpHttp.url}/v1/traces`,
      compression: 'gzip' as never,
    });
    const result = await exportWith(exporter, again);
    expect(result.code, String(result.error)).toBe(ExportResultCode.SUCCESS);
    const traceId = again[0]!.spanContext().traceId;
    expectSdkTrace(await spansOf(traceId), traceId);
    await exporter.shutdown();
  });

  it('takes the OTLP/JSON example fixture as-is: uppercase hex ids are stored lowercase', async () => {
    const body = fs.readFileSync(
      'test/fixtures/traces/otlp-trace-example.json',
    );
    const res = await fetch(`${rx.otlpHttp.url}/v1/traces`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({});
    const [row] = await spansOf('5b8efff798038103d269b633813fc60c');
    expect(row).toMatchObject({
      SpanId: 'eee19b7ec3c1b174',
      ParentSpanId: 'eee19b7ec3c1b173',
      ServiceName: 'my.service',
      SpanKind: 'Server',
      Timestamp: '2018-12-13T14:51:00.000000000Z',
      Duration: 1000000000,
      ScopeName: 'my.library',
      SpanAttributes: { 'my.span.attr': 'some value' },
    });
  });

  it("takes Tempo's standard proto JSON (base64 ids, enum names) of a real Istio Bookinfo trace", async () => {
    const body = fs.readFileSync(
      'test/fixtures/traces/tempo-istio-bookinfo-trace.json',
    );
    const res = await fetch(`${rx.otlpHttp.url}/v1/traces`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
    });
    expect(res.status).toBe(200);
    const traceId = Buffer.from('O6VWCcPN5JZJzXfR+dzZNg==', 'base64').toString(
      'hex',
    );
    const rows = await spansOf(traceId);
    expect(rows).toHaveLength(8);
    expect(rows[0]).toMatchObject({
      ServiceName: 'istio-ingressgateway.istio-system',
      SpanKind: 'Client',
      ParentSpanId: '',
    });
    expect(
      rows
        .filter((r) => r.SpanKind === 'Server')
        .map((r) => r.ServiceName)
        .sort(),
    ).toEqual([
      'details.bookinfo',
      'productpage.bookinfo',
      'ratings.bookinfo',
      'reviews.bookinfo',
    ]);
  });

  it('answers a protobuf request with a protobuf ExportTraceServiceResponse', async () => {
    const body = ExportTraceServiceRequest.encode(
      ExportTraceServiceRequest.fromObject({ resourceSpans: [] }),
    ).finish();
    const res = await fetch(`${rx.otlpHttp.url}/v1/traces`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-protobuf' },
      body: Buffer.from(body),
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/x-protobuf');
    const decoded = ExportTraceServiceResponse.decode(
      new Uint8Array(await res.arrayBuffer()),
    ).toJSON();
    expect(decoded).toEqual({});
  });

  it('accepts a gzip body', async () => {
    const doc = JSON.parse(
      fs.readFileSync('test/fixtures/traces/otlp-trace-example.json', 'utf8'),
    ) as {
      resourceSpans: [{ scopeSpans: [{ spans: [{ traceId: string }] }] }];
    };
    doc.resourceSpans[0].scopeSpans[0].spans[0].traceId = 'ab'.repeat(16);
    const res = await fetch(`${rx.otlpHttp.url}/v1/traces`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'content-encoding': 'gzip',
      },
      body: zlib.gzipSync(JSON.stringify(doc)),
    });
    expect(res.status).toBe(200);
    expect(await spansOf('ab'.repeat(16))).toHaveLength(1);
  });
});
