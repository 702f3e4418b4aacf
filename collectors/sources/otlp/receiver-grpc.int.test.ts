import * as grpc from '@grpc/grpc-js';
import { ExportResultCode, type ExportResult } from '@opentelemetry/core';
import { OTLPTraceExporter as OtlpGrpcExporter } from '@opentelemetry/exporter-trace-otlp-grpc';
import { CompressionAlgorithm } from '@opentelemetry/otlp-exporter-base';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TempDb } from '~/test/helpers/temp-db';
import {
  startSpanReceivers,
  startTestDb,
  withEnv,
  type SpanReceivers,
} from '../traces-shared/testing';
import { startGrpcListener } from '../../grpc/server';
import { ExportTraceServiceRequest, ExportTraceServiceResponse } from './proto';
import { otlpGrpcPlaceholderServices } from './receiver-grpc';
import { makeSdkSpans } from './sdk-spans';

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

const address = (url: string) => url.replace('grpc://', '');

/** A raw unary call with a @grpc/grpc-js client; the channel compresses requests with gzip. */
function call(
  url: string,
  path: string,
  body: Uint8Array,
  metadata = new grpc.Metadata(),
): Promise<{ err: grpc.ServiceError | null; res?: Buffer }> {
  const client = new grpc.Client(
    address(url),
    grpc.credentials.createInsecure(),
    { 'grpc.default_compression_algorithm': 2 },
  );
  return new Promise((resolve) => {
    client.makeUnaryRequest(
      path,
      (b: Uint8Array) => Buffer.from(b),
      (b: Buffer) => b,
      body,
      metadata,
      (err, res) => {
        client.close();
        resolve({ err, res });
      },
    );
  });
}

const TRACE_EXPORT =
  '/opentelemetry.proto.collector.trace.v1.TraceService/Export';

function request(traceByte: number, spanIds: (Buffer | null)[]) {
  return ExportTraceServiceRequest.encode(
    ExportTraceServiceRequest.fromObject({
      resourceSpans: [
        {
          resource: {
            attributes: [
              { key: 'service.name', value: { stringValue: 'grpc-svc' } },
            ],
          },
          scopeSpans: [
            {
              spans: spanIds.map((id, i) => ({
                traceId: Buffer.alloc(16, traceByte),
                spanId: id ?? Buffer.alloc(0),
                name: `s${i}`,
                kind: 3,
                startTimeUnixNano: '1795514400000000007',
                endTimeUnixNano: '1795514400000000009',
              })),
            },
          ],
        },
      ],
    }),
  ).finish();
}

describe('OTLP/gRPC receiver', () => {
  it('stores spans from the real OTLP gRPC exporter with gzip', async () => {
    const spans = await makeSdkSpans();
    const exporter = new OtlpGrpcExporter({
      url: `http://${address(rx.grpc.url)}`,
      compression: CompressionAlgorithm.GZIP,
    });
    const result = await new Promise<ExportResult>((resolve) =>
      exporter.export(spans, resolve),
    );
    expect(result.code, String(result.error)).toBe(ExportResultCode.SUCCESS);
    await exporter.shutdown();
    const rows = await db.rows<{ SpanName: string; Duration: number }>(
      `SELECT SpanName, Duration FROM {db:Identifier}.otel_traces WHERE TraceId = {t:String} ORDER BY SpanName`,
      { t: spans[0]!.spanContext().traceId },
    );
    expect(rows).toEqual([
      { SpanName: 'GET /checkout', Duration: 864197532 },
      { SpanName: 'charge card', Duration: 100000001 },
    ]);
  });

  it('answers a grpc-js client (gzip) with partial_success for a span without an id', async () => {
    const { err, res } = await call(
      rx.grpc.url,
      TRACE_EXPORT,
      request(0x61, [Buffer.alloc(8, 0x62), null]),
    );
    expect(err).toBeNull();
    const decoded = ExportTraceServiceResponse.decode(res!).toJSON() as {
      partialSuccess?: { rejectedSpans: string; errorMessage: string };
    };
    expect(decoded.partialSuccess?.rejectedSpans).toBe('1');
    expect(decoded.partialSuccess?.errorMessage).toMatch(/missing span_id/);
    const rows = await db.rows<{ Timestamp: string }>(
      `SELECT Timestamp FROM {db:Identifier}.otel_traces WHERE TraceId = {t:String}`,
      { t: '61'.repeat(16) },
    );
    expect(rows).toEqual([{ Timestamp: '2026-11-24T10:00:00.000000007Z' }]);
  });

  it('INVALID_ARGUMENT for a body that is not an ExportTraceServiceRequest', async () => {
    const { err } = await call(
      rx.grpc.url,
      TRACE_EXPORT,
      Buffer.from('garbage, not protobuf'),
    );
    expect(err?.code).toBe(grpc.status.INVALID_ARGUMENT);
  });

  it('UNIMPLEMENTED with a clear message for MetricsService (and for LogsService until its receiver is registered)', async () => {
    const metrics = await call(
      rx.grpc.url,
      '/opentelemetry.proto.collector.metrics.v1.MetricsService/Export',
      Buffer.alloc(0),
    );
    expect(metrics.err?.code).toBe(grpc.status.UNIMPLEMENTED);
    expect(metrics.err?.details).toMatch(/OTLP metrics are not accepted yet/);
    // The access-log engineer's OTLP logs receiver replaces the logs placeholder in the registry.
    const alone = await startGrpcListener({
      host: '127.0.0.1',
      port: 0,
      services: otlpGrpcPlaceholderServices(),
      maxReceiveBytes: 1024,
    });
    try {
      const logs = await call(
        alone.url,
        '/opentelemetry.proto.collector.logs.v1.LogsService/Export',
        Buffer.alloc(0),
      );
      expect(logs.err?.code).toBe(grpc.status.UNIMPLEMENTED);
      expect(logs.err?.details).toMatch(/OTLP logs are not accepted yet/);
    } finally {
      await alone.close();
    }
  });

  it('UNAUTHENTICATED without the token, OK with it', async () => {
    const authed = await startSpanReceivers(db, (c) =>
      withEnv(c, { MESHLENS_OTLP_TOKEN: 'tok' }),
    );
    try {
      const denied = await call(
        authed.grpc.url,
        TRACE_EXPORT,
        request(0x71, [Buffer.alloc(8, 0x72)]),
      );
      expect(denied.err?.code).toBe(grpc.status.UNAUTHENTICATED);
      const md = new grpc.Metadata();
      md.set('authorization', 'Bearer tok');
      const ok = await call(
        authed.grpc.url,
        TRACE_EXPORT,
        request(0x71, [Buffer.alloc(8, 0x72)]),
        md,
      );
      expect(ok.err).toBeNull();
    } finally {
      await authed.close();
    }
  });

  it('RESOURCE_EXHAUSTED with RetryInfo when the queue is full', async () => {
    const tiny = await startSpanReceivers(db, (c) =>
      withEnv(
        c,
        {},
        { queueMaxRows: 1, batchMaxRows: 1000, batchMaxWaitMs: 60_000 },
      ),
    );
    try {
      // An idle sink writes at once (group commit); this write starts the 60 s insert
      // interval, so the next request's span waits in the queue.
      const priming = await call(
        tiny.grpc.url,
        TRACE_EXPORT,
        request(0x81, [Buffer.alloc(8, 0x84)]),
      );
      expect(priming.err).toBeNull();
      const first = call(
        tiny.grpc.url,
        TRACE_EXPORT,
        request(0x81, [Buffer.alloc(8, 0x82)]),
      );
      await new Promise((r) => setTimeout(r, 100));
      const second = await call(
        tiny.grpc.url,
        TRACE_EXPORT,
        request(0x81, [Buffer.alloc(8, 0x83)]),
      );
      expect(second.err?.code).toBe(grpc.status.RESOURCE_EXHAUSTED);
      expect(second.err?.metadata.get('grpc-status-details-bin')).toHaveLength(
        1,
      );
      await tiny.pipeline.flush();
      expect((await first).err).toBeNull();
    } finally {
      await tiny.close();
    }
  });
});
