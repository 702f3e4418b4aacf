/**
 * Hostile input on OTLP/HTTP with the default limits: every request gets its status code, the
 * process keeps serving, and the next valid request (the real OTLP proto exporter) is stored.
 */
import zlib from 'node:zlib';
import { ExportResultCode, type ExportResult } from '@opentelemetry/core';
import { OTLPTraceExporter as OtlpProtoExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TempDb } from '~/test/helpers/temp-db';
import {
  startSpanReceivers,
  startTestDb,
  type SpanReceivers,
} from '../traces-shared/testing';
import { ExportTraceServiceRequest, RpcStatus } from './proto';
import { makeSdkSpans } from './sdk-spans';

let db: TempDb;
let rx: SpanReceivers;
let sdkSpans: ReadableSpan[];

beforeAll(async () => {
  db = await startTestDb();
  rx = await startSpanReceivers(db);
  sdkSpans = await makeSdkSpans();
});
afterAll(async () => {
  await rx?.close();
  await db?.close();
});

const post = (body: BodyInit, headers: Record<string, string>) =>
  fetch(`${rx.otlpHttp.url}/v1/traces`, { method: 'POST', headers, body });
const PROTOBUF = { 'content-type': 'application/x-protobuf' };
const JSON_TYPE = { 'content-type': 'application/json' };

/** The next valid request after a hostile one: the real exporter's spans are stored. */
async function nextValidRequestIsStored(): Promise<void> {
  const before = await count();
  const exporter = new OtlpProtoExporter({
    url: `${rx.otlpHttp.url}/v1/traces`,
  });
  const result = await new Promise<ExportResult>((resolve) =>
    exporter.export(sdkSpans, resolve),
  );
  await exporter.shutdown();
  expect(result.code).toBe(ExportResultCode.SUCCESS);
  expect(await count()).toBe(before + sdkSpans.length);
}

async function count(): Promise<number> {
  const [row] = await db.rows<{ n: string }>(
    'SELECT count() AS n FROM {db:Identifier}.otel_traces',
  );
  return Number(row?.n);
}

function request(attributes: object[], traceByte: number) {
  return {
    resourceSpans: [
      {
        scopeSpans: [
          {
            spans: [
              {
                traceId: Buffer.alloc(16, traceByte),
                spanId: Buffer.alloc(8, 0x11),
                name: 'hostile',
                startTimeUnixNano: '1795514400000000000',
                attributes,
              },
            ],
          },
        ],
      },
    ],
  };
}
const encode = (req: object) =>
  Buffer.from(
    ExportTraceServiceRequest.encode(
      ExportTraceServiceRequest.fromObject(req),
    ).finish(),
  );
const hex = (byte: number) => byte.toString(16).padStart(2, '0').repeat(16);

describe('OTLP/HTTP under hostile input (default limits)', () => {
  it('truncated protobuf: 400 with a google.rpc.Status', async () => {
    const whole = encode(
      request([{ key: 'k', value: { stringValue: 'v'.repeat(100) } }], 0x61),
    );
    const res = await post(whole.subarray(0, whole.length - 40), PROTOBUF);
    expect(res.status).toBe(400);
    const status = RpcStatus.decode(
      new Uint8Array(await res.arrayBuffer()),
    ) as unknown as { code: number; message: string };
    expect(status.message).toMatch(/not an OTLP ExportTraceServiceRequest/);
    await nextValidRequestIsStored();
  });

  it('wrong content type: 415 naming the accepted ones', async () => {
    const res = await post('<spans/>', { 'content-type': 'application/xml' });
    expect(res.status).toBe(415);
    expect(await res.text()).toMatch(/application\/x-protobuf/);
    await nextValidRequestIsStored();
  });

  it('gzip bomb: 413 without inflating it all', async () => {
    const bomb = zlib.gzipSync(Buffer.alloc(200 * 1024 * 1024, 0x20));
    expect(bomb.length).toBeLessThan(1024 * 1024);
    const res = await post(bomb, {
      ...JSON_TYPE,
      'content-encoding': 'gzip',
    });
    expect(res.status).toBe(413);
    expect(await res.text()).toMatch(/after decompression/);
    await nextValidRequestIsStored();
  });

  it('a 10 MB attribute: 200, stored whole', async () => {
    const big = 'a'.repeat(10 * 1024 * 1024);
    const res = await post(
      encode(request([{ key: 'big', value: { stringValue: big } }], 0x62)),
      PROTOBUF,
    );
    expect(res.status).toBe(200);
    const [row] = await db.rows<{ len: string }>(
      `SELECT length(SpanAttributes['big']) AS len FROM {db:Identifier}.otel_traces WHERE TraceId = {t:String}`,
      { t: hex(0x62) },
    );
    expect(Number(row?.len)).toBe(big.length);
    await nextValidRequestIsStored();
  });

  it('invalid UTF-8 in a JSON body: 200, stored with U+FFFD', async () => {
    const body = Buffer.concat([
      Buffer.from(
        `{"resourceSpans":[{"scopeSpans":[{"spans":[{"traceId":"${hex(0x63)}","spanId":"${'11'.repeat(8)}","name":"bad `,
      ),
      Buffer.from([0xc3, 0x28, 0xff]),
      Buffer.from('","startTimeUnixNano":"1795514400000000000"}]}]}]}'),
    ]);
    const res = await post(body, JSON_TYPE);
    expect(res.status).toBe(200);
    const rows = await db.rows<{ SpanName: string }>(
      `SELECT SpanName FROM {db:Identifier}.otel_traces WHERE TraceId = {t:String}`,
      { t: hex(0x63) },
    );
    expect(rows).toEqual([{ SpanName: 'bad \uFFFD(\uFFFD' }]);
    await nextValidRequestIsStored();
  });

  it('deeply nested JSON and protobuf attribute values: 400 saying why', async () => {
    const depth = 200_000;
    const json = Buffer.from(
      `{"resourceSpans":[{"scopeSpans":[{"spans":[{"traceId":"${hex(0x64)}","spanId":"${'11'.repeat(8)}","startTimeUnixNano":"1","attributes":[{"key":"deep","value":` +
        '{"arrayValue":{"values":['.repeat(depth) +
        ']}}'.repeat(depth) +
        '}]}]}]}]}',
    );
    expect(json.length).toBeLessThan(16 * 1024 * 1024);
    const res = await post(json, JSON_TYPE);
    expect(res.status).toBe(400);
    expect(await res.text()).toMatch(/nest/);
    await nextValidRequestIsStored();

    // the same in protobuf: AnyValue{array_value: ArrayValue{values: [AnyValue{...}]}}
    let value = Buffer.from([0x0a, 0x00]); // AnyValue{string_value: ''}
    for (let i = 0; i < 20_000; i++) {
      const array = Buffer.concat([
        Buffer.from([0x0a]),
        varint(value.length),
        value,
      ]);
      value = Buffer.concat([Buffer.from([0x2a]), varint(array.length), array]);
    }
    const kv = Buffer.concat([
      Buffer.from([0x0a, 0x04]),
      Buffer.from('deep'),
      Buffer.from([0x12]),
      varint(value.length),
      value,
    ]);
    const res2 = await post(new Uint8Array(requestWithAttribute(kv)), PROTOBUF);
    expect(res2.status).toBe(400);
    const status = RpcStatus.decode(
      new Uint8Array(await res2.arrayBuffer()),
    ) as unknown as { message: string };
    expect(status.message).toMatch(/not an OTLP ExportTraceServiceRequest/);
    await nextValidRequestIsStored();
  });
});

function varint(n: number): Buffer {
  const out: number[] = [];
  while (n >= 0x80) {
    out.push((n & 0x7f) | 0x80);
    n = Math.floor(n / 128);
  }
  out.push(n);
  return Buffer.from(out);
}

/** A request of one span (trace id 0x65...) with one raw KeyValue attribute, encoded by hand. */
function requestWithAttribute(kv: Buffer): Buffer {
  const spanBody = Buffer.concat([
    Buffer.from([0x0a, 0x10]),
    Buffer.alloc(16, 0x65),
    Buffer.from([0x12, 0x08]),
    Buffer.alloc(8, 0x11),
    Buffer.from([0x39]), // start_time_unix_nano, fixed64
    Buffer.from([1, 0, 0, 0, 0, 0, 0, 0]),
    Buffer.from([0x4a]),
    varint(kv.length),
    kv,
  ]);
  const scopeSpans = Buffer.concat([
    Buffer.from([0x12]),
    varint(spanBody.length),
    spanBody,
  ]);
  const resourceSpans = Buffer.concat([
    Buffer.from([0x12]),
    varint(scopeSpans.length),
    scopeSpans,
  ]);
  return Buffer.concat([
    Buffer.from([0x0a]),
    varint(resourceSpans.length),
    resourceSpans,
  ]);
}
