import zlib from 'node:zlib';
import { ExportResultCode, type ExportResult } from '@opentelemetry/core';
import { OTLPTraceExporter as OtlpProtoExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TempDb } from '~/test/helpers/temp-db';
import {
  startSpanReceivers,
  startTestDb,
  withEnv,
  type SpanReceivers,
} from '../traces-shared/testing';
import { ExportTraceServiceRequest, RpcStatus } from './proto';
import { makeSdkSpans } from './sdk-spans';

let db: TempDb;
let rx: SpanReceivers;

beforeAll(async () => {
  db = await startTestDb();
  rx = await startSpanReceivers(db, (c) =>
    withEnv(c, {}, { maxBodyBytes: 64 * 1024 }),
  );
});
afterAll(async () => {
  await rx?.close();
  await db?.close();
});

const post = (url: string, body: BodyInit, headers: Record<string, string>) =>
  fetch(`${url}/v1/traces`, { method: 'POST', headers, body });

function jsonSpan(traceId: string, spanId: string, name: string) {
  return {
    traceId,
    spanId,
    name,
    kind: 2,
    startTimeUnixNano: '1795514400000000000',
    endTimeUnixNano: 1795514400000001000,
  };
}
const jsonRequest = (spans: unknown[]) =>
  JSON.stringify({
    resourceSpans: [
      {
        resource: {
          attributes: [{ key: 'service.name', value: { stringValue: 'svc' } }],
        },
        scopeSpans: [{ spans }],
      },
    ],
  });

describe('OTLP/HTTP receiver answers', () => {
  it('415 for a content type that is not protobuf or JSON', async () => {
    const res = await post(rx.otlpHttp.url, 'hello', {
      'content-type': 'text/plain',
    });
    expect(res.status).toBe(415);
    expect(((await res.json()) as { message: string }).message).toMatch(
      /application\/x-protobuf/,
    );
  });

  it('400 with a google.rpc.Status for garbage protobuf', async () => {
    const res = await post(
      rx.otlpHttp.url,
      Buffer.from('this is not protobuf at all'),
      { 'content-type': 'application/x-protobuf' },
    );
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toBe('application/x-protobuf');
    const status = RpcStatus.decode(
      new Uint8Array(await res.arrayBuffer()),
    ) as unknown as { code: number; message: string };
    expect(status.code).toBe(3);
    expect(status.message).toMatch(/not an OTLP ExportTraceServiceRequest/);
  });

  it('400 for garbage JSON and for JSON of the wrong shape', async () => {
    const bad = await post(rx.otlpHttp.url, '{"resourceSpans": [', {
      'content-type': 'application/json',
    });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { message: string }).message).toMatch(
      /not JSON/,
    );
    const shape = await post(rx.otlpHttp.url, '{"resourceSpans": 5}', {
      'content-type': 'application/json',
    });
    expect(shape.status).toBe(400);
  });

  it('413 for a body over MESHLENS_MAX_BODY_BYTES', async () => {
    const res = await post(rx.otlpHttp.url, Buffer.alloc(100 * 1024, 0x20), {
      'content-type': 'application/json',
    });
    expect(res.status).toBe(413);
  });

  it('413 for a gzip bomb (small on the wire, huge inflated)', async () => {
    const bomb = zlib.gzipSync(Buffer.alloc(50 * 1024 * 1024, 0x20));
    expect(bomb.length).toBeLessThan(64 * 1024);
    const res = await post(rx.otlpHttp.url, bomb, {
      'content-type': 'application/json',
      'content-encoding': 'gzip',
    });
    expect(res.status).toBe(413);
    expect(((await res.json()) as { message: string }).message).toMatch(
      /after decompression/,
    );
  });

  it('200 with partialSuccess when some spans are bad; the bad ones go to the dead letters', async () => {
    const good = jsonSpan('11'.repeat(16), '22'.repeat(8), 'good');
    const shortId = jsonSpan('11'.repeat(15), '33'.repeat(8), 'short trace id');
    const noSpanId = { ...jsonSpan('11'.repeat(16), '', 'no span id') };
    const res = await post(
      rx.otlpHttp.url,
      jsonRequest([good, shortId, noSpanId]),
      { 'content-type': 'application/json' },
    );
    expect(res.status).toBe(200);
    const body = (await res.json()) as {
      partialSuccess: { rejectedSpans: string; errorMessage: string };
    };
    expect(body.partialSuccess.rejectedSpans).toBe('2');
    expect(body.partialSuccess.errorMessage).toMatch(
      /trace_id is not 16 non-zero bytes/,
    );
    expect(body.partialSuccess.errorMessage).toMatch(/missing span_id/);
    const stored = await db.rows<{ SpanName: string }>(
      `SELECT SpanName FROM {db:Identifier}.otel_traces WHERE TraceId = {t:String}`,
      { t: '11'.repeat(16) },
    );
    expect(stored.map((r) => r.SpanName)).toEqual(['good']);
    await rx.pipeline.flush();
    const dead = await db.rows<{ Reason: string }>(
      `SELECT Reason FROM {db:Identifier}.dead_letters WHERE Source = 'otlp_traces' ORDER BY Reason`,
    );
    expect(dead.map((d) => d.Reason)).toEqual([
      'missing span_id',
      'trace_id is not 16 non-zero bytes',
    ]);
  });

  it('stores a span whose name is invalid UTF-8 instead of failing', async () => {
    const req = ExportTraceServiceRequest.fromObject({
      resourceSpans: [
        {
          scopeSpans: [
            {
              spans: [
                {
                  traceId: Buffer.alloc(16, 0x44),
                  spanId: Buffer.alloc(8, 0x55),
                  name: 'x',
                  startTimeUnixNano: '1795514400000000000',
                },
              ],
            },
          ],
        },
      ],
    });
    const bytes = Buffer.from(ExportTraceServiceRequest.encode(req).finish());
    // Replace the 1-byte name 'x' with 0xff (never valid in UTF-8); lengths stay the same.
    const at = bytes.indexOf(Buffer.from([0x2a, 0x01, 0x78]));
    expect(at).toBeGreaterThan(0);
    bytes[at + 2] = 0xff;
    const res = await post(rx.otlpHttp.url, bytes, {
      'content-type': 'application/x-protobuf',
    });
    expect(res.status).toBe(200);
    const rows = await db.rows<{ SpanName: string; ServiceName: string }>(
      `SELECT SpanName, ServiceName FROM {db:Identifier}.otel_traces WHERE TraceId = {t:String}`,
      { t: '44'.repeat(16) },
    );
    expect(rows).toEqual([
      { SpanName: '\uFFFD', ServiceName: 'unknown_service' },
    ]);
  });
});

describe('OTLP/HTTP receiver under backpressure and with auth', () => {
  it('429 with Retry-After when the span queue is full', async () => {
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
      const priming = await post(
        tiny.otlpHttp.url,
        jsonRequest([jsonSpan('66'.repeat(16), '55'.repeat(8), 'priming')]),
        { 'content-type': 'application/json' },
      );
      expect(priming.status).toBe(200);
      const first = post(
        tiny.otlpHttp.url,
        jsonRequest([jsonSpan('66'.repeat(16), '77'.repeat(8), 'held')]),
        { 'content-type': 'application/json' },
      );
      await new Promise((r) => setTimeout(r, 100)); // the first request now waits in the queue
      const second = await post(
        tiny.otlpHttp.url,
        jsonRequest([jsonSpan('66'.repeat(16), '88'.repeat(8), 'refused')]),
        { 'content-type': 'application/json' },
      );
      expect(second.status).toBe(429);
      expect(second.headers.get('retry-after')).toBe('5');
      await tiny.pipeline.flush();
      expect((await first).status).toBe(200);
    } finally {
      await tiny.close();
    }
  });

  it('503 with Retry-After once the pipeline is shutting down', async () => {
    const stopping = await startSpanReceivers(db);
    try {
      await stopping.pipeline.close();
      const res = await post(
        stopping.otlpHttp.url,
        jsonRequest([jsonSpan('99'.repeat(16), '98'.repeat(8), 'too late')]),
        { 'content-type': 'application/json' },
      );
      expect(res.status).toBe(503);
      expect(res.headers.get('retry-after')).toBe('5');
      expect(((await res.json()) as { message: string }).message).toMatch(
        /shutting down/,
      );
    } finally {
      await stopping.close();
    }
  });

  it('401 without the bearer token when MESHLENS_OTLP_TOKEN is set, 200 with it (real exporter)', async () => {
    const authed = await startSpanReceivers(db, (c) =>
      withEnv(c, { MESHLENS_OTLP_TOKEN: 's3cret' }),
    );
    try {
      const spans: ReadableSpan[] = await makeSdkSpans();
      const res = await post(authed.otlpHttp.url, jsonRequest([]), {
        'content-type': 'application/json',
      });
      expect(res.status).toBe(401);
      expect(res.headers.get('www-authenticate')).toMatch(/^Bearer/);
      const wrong = await post(authed.otlpHttp.url, jsonRequest([]), {
        'content-type': 'application/json',
        authorization: 'Bearer nope',
      });
      expect(wrong.status).toBe(401);
      const exporter = new OtlpProtoExporter({
        url: `${authed.otlpHttp.url}/v1/traces`,
        headers: { authorization: 'Bearer s3cret' },
      });
      const result = await new Promise<ExportResult>((resolve) =>
        exporter.export(spans, resolve),
      );
      expect(result.code, String(result.error)).toBe(ExportResultCode.SUCCESS);
      await exporter.shutdown();
    } finally {
      await authed.close();
    }
  });
});
