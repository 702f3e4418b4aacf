// Ingest tokens managed like API tokens (stored hashed, per receiver, revocable) on the real
// receivers: Zipkin, OTLP/HTTP, OTLP/gRPC (authorization metadata), the access-log push and
// Envoy's gRPC Access Log Service (authorization metadata on the stream).
import * as grpc from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TempDb } from '~/test/helpers/temp-db';
import {
  ALS_SERVICE,
  StreamAccessLogsMessage,
} from '~/collectors/sources/envoy-als/proto';
import { ExportTraceServiceRequest } from '~/collectors/sources/otlp/proto';
import { refreshIngestTokens } from '~/collectors/sources/traces-shared/ingest-tokens';
import {
  startSpanReceivers,
  startTestDb,
  type SpanReceivers,
} from '~/collectors/sources/traces-shared/testing';
import { createToken, revokeToken } from './token-store';

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

const auth = (token?: string): Record<string, string> =>
  token ? { authorization: `Bearer ${token}` } : {};

const zipkin = (token?: string) =>
  fetch(`${rx.zipkin.url}/api/v2/spans`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...auth(token) },
    body: '[]',
  });
const otlpHttp = (token?: string) =>
  fetch(`${rx.otlpHttp.url}/v1/traces`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...auth(token) },
    body: '{"resourceSpans":[]}',
  });
const accessLogPush = (token?: string) =>
  fetch(`${rx.otlpHttp.url}/v1/envoy/logs`, {
    method: 'POST',
    headers: { 'content-type': 'text/plain', ...auth(token) },
    body: '',
  });

function otlpGrpc(token?: string): Promise<grpc.ServiceError | null> {
  const client = new grpc.Client(
    rx.grpc.url.replace('grpc://', ''),
    grpc.credentials.createInsecure(),
  );
  const md = new grpc.Metadata();
  if (token) md.set('authorization', `Bearer ${token}`);
  const body = ExportTraceServiceRequest.encode(
    ExportTraceServiceRequest.fromObject({ resourceSpans: [] }),
  ).finish();
  return new Promise((resolve) =>
    client.makeUnaryRequest(
      '/opentelemetry.proto.collector.trace.v1.TraceService/Export',
      (b: Uint8Array) => Buffer.from(b),
      (b: Buffer) => b,
      body,
      md,
      (err) => {
        client.close();
        resolve(err);
      },
    ),
  );
}

/**
 * One ALS stream with a single HTTP entry whose path is `marker`, as Envoy sends it (client
 * stream, token in the metadata); resolves to the status it ended with (null when OK).
 */
function alsStream(
  marker: string,
  token?: string,
): Promise<grpc.ServiceError | null> {
  const client = new grpc.Client(
    rx.grpc.url.replace('grpc://', ''),
    grpc.credentials.createInsecure(),
  );
  const md = new grpc.Metadata();
  if (token) md.set('authorization', `Bearer ${token}`);
  return new Promise((resolve) => {
    const call = client.makeClientStreamRequest(
      `/${ALS_SERVICE}/StreamAccessLogs`,
      (v: object) =>
        Buffer.from(
          StreamAccessLogsMessage.encode(
            StreamAccessLogsMessage.fromObject(v),
          ).finish(),
        ),
      (b: Buffer) => b,
      md,
      (err) => {
        client.close();
        resolve(err);
      },
    );
    call.on('error', () => {}); // the status arrives in the callback
    call.write({
      identifier: { node: { id: 'sidecar~10.0.0.9~als-test.default~x' } },
      http_logs: {
        log_entry: [
          {
            common_properties: {
              start_time: { seconds: Math.floor(Date.now() / 1000) - 60 },
              upstream_cluster: 'inbound|9080||',
            },
            request: { request_method: 'GET', path: marker },
            response: { response_code: { value: 200 } },
          },
        ],
      },
    });
    call.end();
  });
}

const alsRows = async (marker: string) =>
  Number(
    (
      await db.rows<{ n: string }>(
        `SELECT count() AS n FROM {db:Identifier}.mesh_requests WHERE Path = {p:String}`,
        { p: marker },
      )
    )[0]!.n,
  );

describe('ingest tokens', () => {
  it('leave receivers open until one exists for them', async () => {
    await refreshIngestTokens();
    expect((await zipkin()).status).toBe(202);
    expect((await otlpHttp()).status).toBe(200);
  });

  it('a token for one receiver closes that receiver only', async () => {
    const { secret } = await createToken(db.db, {
      name: 'zipkin-senders',
      kind: 'ingest',
      role: 'viewer',
      receivers: ['zipkin'],
      createdBy: 't',
    });
    const ui = await createToken(db.db, {
      name: 'ui',
      kind: 'api',
      role: 'admin',
      createdBy: 't',
    });
    await refreshIngestTokens();
    expect((await zipkin()).status).toBe(401);
    expect((await zipkin('mlk_wrong')).status).toBe(401);
    expect((await zipkin(ui.secret!)).status).toBe(401); // a UI/API token never opens a receiver
    expect((await zipkin(secret!)).status).toBe(202);
    expect((await otlpHttp()).status).toBe(200);
    expect((await otlpHttp(secret!)).status).toBe(200);
  });

  it('a token for every receiver closes OTLP over HTTP and gRPC metadata and the access-log push; revoking reopens', async () => {
    const { token, secret } = await createToken(db.db, {
      name: 'all',
      kind: 'ingest',
      role: 'viewer',
      createdBy: 't',
    });
    await refreshIngestTokens();
    expect((await otlpHttp()).status).toBe(401);
    expect((await otlpHttp(secret!)).status).toBe(200);
    expect((await otlpGrpc())?.code).toBe(grpc.status.UNAUTHENTICATED);
    expect(await otlpGrpc(secret!)).toBeNull();
    expect((await accessLogPush()).status).toBe(401);
    expect((await accessLogPush(secret!)).status).toBe(204);

    await revokeToken(db.db, token.id);
    await refreshIngestTokens();
    expect((await otlpHttp()).status).toBe(200);
    expect(await otlpGrpc()).toBeNull();
  });

  it('a token for access_log closes Envoy ALS on gRPC (UNAUTHENTICATED, nothing stored) and not OTLP', async () => {
    await refreshIngestTokens();
    expect(await alsStream('/als-open')).toBeNull();
    expect(await alsRows('/als-open')).toBe(1);

    const { token, secret } = await createToken(db.db, {
      name: 'envoys',
      kind: 'ingest',
      role: 'viewer',
      receivers: ['access_log'],
      createdBy: 't',
    });
    const otlpOnly = await createToken(db.db, {
      name: 'otlp-only',
      kind: 'ingest',
      role: 'viewer',
      receivers: ['otlp'],
      createdBy: 't',
    });
    await refreshIngestTokens();
    expect((await alsStream('/als-none'))?.code).toBe(
      grpc.status.UNAUTHENTICATED,
    );
    expect((await alsStream('/als-wrong', 'mlk_wrong'))?.code).toBe(
      grpc.status.UNAUTHENTICATED,
    );
    expect((await alsStream('/als-otlp', otlpOnly.secret!))?.code).toBe(
      grpc.status.UNAUTHENTICATED,
    );
    expect(await alsStream('/als-token', secret!)).toBeNull();
    expect(await otlpGrpc(otlpOnly.secret!)).toBeNull();
    expect((await otlpGrpc(secret!))?.code).toBe(grpc.status.UNAUTHENTICATED);
    expect(await alsRows('/als-token')).toBe(1);
    expect(await alsRows('/als-none')).toBe(0);
    expect(await alsRows('/als-wrong')).toBe(0);
    expect(await alsRows('/als-otlp')).toBe(0);

    await revokeToken(db.db, token.id);
    await revokeToken(db.db, otlpOnly.token.id);
    await refreshIngestTokens();
    expect(await alsStream('/als-reopened')).toBeNull();
  });
});
