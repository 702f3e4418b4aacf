import * as grpc from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPipeline, type Pipeline } from '~/collectors/pipeline';
import { startGrpcListener, type GrpcListener } from '~/collectors/grpc/server';
import { tempDb, type TempDb } from '~/test/helpers/temp-db';
import {
  ALS_SERVICE,
  StreamAccessLogsMessage,
  StreamAccessLogsResponse,
  Struct,
} from './proto';
import { envoyAlsService } from './service';

/** A grpc-js client for AccessLogService built from the same .proto files. */
function alsClient(url: string) {
  const Client = grpc.makeGenericClientConstructor(
    {
      StreamAccessLogs: {
        path: `/${ALS_SERVICE}/StreamAccessLogs`,
        requestStream: true,
        responseStream: false,
        requestSerialize: (v: object) =>
          Buffer.from(
            StreamAccessLogsMessage.encode(
              StreamAccessLogsMessage.fromObject(v),
            ).finish(),
          ),
        requestDeserialize: (b: Buffer) => StreamAccessLogsMessage.decode(b),
        responseSerialize: (v: object) =>
          Buffer.from(StreamAccessLogsResponse.encode(v).finish()),
        responseDeserialize: (b: Buffer) => StreamAccessLogsResponse.decode(b),
      },
    },
    'AccessLogService',
  );
  return new Client(
    url.replace('grpc://', ''),
    grpc.credentials.createInsecure(),
  ) as unknown as grpc.Client & {
    StreamAccessLogs(
      cb: (err: grpc.ServiceError | null) => void,
    ): grpc.ClientWritableStream<object>;
  };
}

const nowSeconds = Math.floor(Date.now() / 1000) - 60;
const addr = (address: string, port: number) => ({
  socket_address: { address, port_value: port },
});
const peerState = (fields: Record<string, string>) => ({
  type_url: 'type.googleapis.com/google.protobuf.Struct',
  value: Struct.encode(
    Struct.fromObject({
      fields: Object.fromEntries(
        Object.entries(fields).map(([k, v]) => [k, { stringValue: v }]),
      ),
    }),
  ).finish(),
});

describe('Envoy gRPC ALS', () => {
  let t: TempDb;
  let pipeline: Pipeline;
  let listener: GrpcListener;

  beforeAll(async () => {
    t = await tempDb({ MESHLENS_BATCH_MAX_WAIT_MS: '20' });
    pipeline = createPipeline({ db: t.db, config: t.config });
    listener = await startGrpcListener({
      host: '127.0.0.1',
      port: 0,
      services: [envoyAlsService(pipeline)],
      maxReceiveBytes: 4 << 20,
    });
  });
  afterAll(async () => {
    await listener.close();
    await pipeline.close();
    await t.close();
  });

  it("stores HTTP and TCP entries with the node of the stream's first message", async () => {
    const client = alsClient(listener.url);
    const done = new Promise<void>((resolve, reject) => {
      const call = client.StreamAccessLogs((err) =>
        err ? reject(err) : resolve(),
      );
      call.write({
        identifier: {
          node: {
            id: 'sidecar~10.44.1.27~reviews-v2-5b667bcbf8-x7k2p.bookinfo~bookinfo.svc.cluster.local',
            metadata: {
              fields: {
                CLUSTER_ID: { stringValue: 'east' },
                LABELS: {
                  structValue: {
                    fields: {
                      app: { stringValue: 'reviews' },
                      version: { stringValue: 'v2' },
                    },
                  },
                },
              },
            },
          },
          log_name: 'http_envoy_accesslog',
        },
        http_logs: {
          log_entry: [
            {
              common_properties: {
                start_time: { seconds: nowSeconds, nanos: 250_000_000 },
                duration: { seconds: 0, nanos: 17_000_000 },
                downstream_remote_address: addr('10.44.1.23', 37652),
                downstream_local_address: addr('10.44.1.27', 9080),
                upstream_remote_address: addr('10.44.1.27', 9080),
                upstream_cluster: 'inbound|9080||',
                response_flags: { upstream_connection_termination: true },
                tls_properties: {
                  tls_version: 'TLSv1_3',
                  tls_sni_hostname:
                    'outbound_.9080_.v2_.reviews.bookinfo.svc.cluster.local',
                  peer_certificate_properties: {
                    subject_alt_name: [
                      {
                        uri: 'spiffe://cluster.local/ns/bookinfo/sa/productpage',
                      },
                    ],
                  },
                },
                filter_state_objects: {
                  downstream_peer: peerState({
                    workload: 'productpage-v1',
                    namespace: 'bookinfo',
                  }),
                },
              },
              protocol_version: 'HTTP11',
              request: {
                request_method: 'GET',
                path: '/reviews/1',
                authority: 'reviews:9080',
                request_id: 'als-1',
                request_headers: {
                  traceparent:
                    '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01',
                },
              },
              response: {
                response_code: { value: 503 },
                response_body_bytes: 95,
                response_code_details:
                  'upstream_reset_before_response_started{connection_termination}',
              },
            },
          ],
        },
      });
      call.write({
        tcp_logs: {
          log_entry: [
            {
              common_properties: {
                start_time: { seconds: nowSeconds },
                duration: { seconds: 2, nanos: 0 },
                upstream_cluster: 'inbound|5432||',
                downstream_remote_address: addr('10.44.1.30', 40000),
              },
              connection_properties: {
                received_bytes: 839,
                sent_bytes: 2504306,
              },
            },
          ],
        },
      });
      call.end();
    });
    await done;
    client.close();
    await pipeline.flush();
    const rows = await t.rows<Record<string, unknown>>(
      `SELECT Kind, Reporter, Signal, NodeId, DestinationWorkload, DestinationNamespace, DestinationService, DestinationVersion, DestinationCluster,
              SourcePrincipal, SourceNamespace, Mtls, TlsVersion, ResponseCode, ResponseFlags, DurationMs, RequestId, TraceId, BytesReceived, BytesSent,
              Extra['downstream_peer.workload'] AS peer
         FROM {db:Identifier}.mesh_requests ORDER BY Kind`,
    );
    expect(rows).toHaveLength(2);
    expect(rows[0]).toMatchObject({
      Kind: 'http',
      Reporter: 'inbound',
      Signal: 'als',
      NodeId:
        'sidecar~10.44.1.27~reviews-v2-5b667bcbf8-x7k2p.bookinfo~bookinfo.svc.cluster.local',
      DestinationWorkload: 'reviews-v2',
      DestinationNamespace: 'bookinfo',
      DestinationService: 'reviews',
      DestinationVersion: 'v2',
      DestinationCluster: 'east',
      SourcePrincipal: 'spiffe://cluster.local/ns/bookinfo/sa/productpage',
      SourceNamespace: 'bookinfo',
      Mtls: 'yes',
      TlsVersion: 'TLSv1.3',
      ResponseCode: 503,
      ResponseFlags: ['UC'],
      DurationMs: 17,
      RequestId: 'als-1',
      TraceId: '4bf92f3577b34da6a3ce929d0e0e4736',
      peer: 'productpage-v1',
    });
    // The second message has no identifier: the stream's node still applies. No TLS -> plaintext.
    expect(rows[1]).toMatchObject({
      Kind: 'tcp',
      Reporter: 'inbound',
      DestinationWorkload: 'reviews-v2',
      Mtls: 'no',
      DurationMs: 2000,
    });
    expect(Number(rows[1]!.BytesReceived)).toBe(839);
    expect(Number(rows[1]!.BytesSent)).toBe(2504306);
  });

  it('keeps an undecodable message as a dead letter', async () => {
    const client = new grpc.Client(
      listener.url.replace('grpc://', ''),
      grpc.credentials.createInsecure(),
    );
    await new Promise<void>((resolve) => {
      const call = client.makeClientStreamRequest(
        `/${ALS_SERVICE}/StreamAccessLogs`,
        (v: Buffer) => v,
        (b: Buffer) => b,
        () => resolve(),
      );
      call.write(Buffer.from([0x0a, 0xff, 0xff, 0xff]));
      call.end();
    });
    client.close();
    await pipeline.flush();
    const dead = await t.rows<{ Source: string; Reason: string }>(
      `SELECT Source, Reason FROM {db:Identifier}.dead_letters`,
    );
    expect(dead).toHaveLength(1);
    expect(dead[0]!.Source).toBe('access_log:als');
    expect(dead[0]!.Reason).toMatch(/does not decode/);
  });
});
