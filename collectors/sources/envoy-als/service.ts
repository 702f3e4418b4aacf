/**
 * Envoy gRPC Access Log Service: `envoy.service.accesslog.v3.AccessLogService/StreamAccessLogs`,
 * a client stream that Envoy keeps open and never expects an answer on. The node identifier of
 * the first message is remembered for the whole stream. The stream is paused while a message's
 * rows are offered (backpressure reaches Envoy's buffer); when the pipeline refuses, the stream
 * is ended with RESOURCE_EXHAUSTED / UNAVAILABLE and Envoy reconnects (ALS is lossy by design).
 * Once an ingest token covers `access_log` (Settings, docs/security.md), a stream without
 * `authorization: Bearer <token>` in its metadata (Envoy: grpc_service.initial_metadata) is
 * answered UNAUTHENTICATED before any message is read.
 */
import * as grpc from '@grpc/grpc-js';
import { logger } from '~/server/log';
import { BackpressureError, type Pipeline } from '../../pipeline';
import type { GrpcService } from '../index';
import { bearerChecker } from '../traces-shared/auth';
import {
  accessLogLines,
  MESH_REQUESTS_TABLE,
} from '../envoy-access-log/ingest';
import { normalizeRecord } from '../envoy-access-log/normalize';
import type { MeshRequestRow, ProxyContext } from '../envoy-access-log/row';
import {
  ALS_SERVICE,
  StreamAccessLogsMessage,
  StreamAccessLogsResponse,
  toObjectOptions,
} from './proto';
import {
  contextFromNode,
  recordFromHttpEntry,
  recordFromTcpEntry,
  type AlsHttpEntry,
  type AlsNode,
  type AlsTcpEntry,
} from './normalize';

const log = logger('envoy-als');

interface AlsMessage {
  identifier?: { node?: AlsNode; log_name?: string };
  http_logs?: { log_entry?: AlsHttpEntry[] };
  tcp_logs?: { log_entry?: AlsTcpEntry[] };
}

/** Rows of one decoded StreamAccessLogsMessage (exported for tests). */
export function rowsFromAlsMessage(
  msg: AlsMessage,
  ctx: ProxyContext | undefined,
): MeshRequestRow[] {
  const rows: MeshRequestRow[] = [];
  for (const e of msg.http_logs?.log_entry ?? [])
    rows.push(normalizeRecord(recordFromHttpEntry(e), 'als', ctx));
  for (const e of msg.tcp_logs?.log_entry ?? [])
    rows.push(normalizeRecord(recordFromTcpEntry(e), 'als', ctx));
  return rows;
}

export const alsServiceDefinition: grpc.ServiceDefinition = {
  StreamAccessLogs: {
    path: `/${ALS_SERVICE}/StreamAccessLogs`,
    requestStream: true,
    responseStream: false,
    // Raw bytes in: decoding happens in the handler so a bad message is a dead letter, not a crash.
    requestSerialize: (v: Buffer) => v,
    requestDeserialize: (b: Buffer) => b,
    responseSerialize: (v: object) =>
      Buffer.from(
        StreamAccessLogsResponse.encode(
          StreamAccessLogsResponse.fromObject(v),
        ).finish(),
      ),
    responseDeserialize: (b: Buffer) =>
      StreamAccessLogsResponse.toObject(StreamAccessLogsResponse.decode(b)),
  },
};

/** The ALS service for the gRPC listener. */
export function envoyAlsService(pipeline: Pipeline): GrpcService {
  const sink = pipeline.sink<MeshRequestRow>(MESH_REQUESTS_TABLE);
  // Same rule as the access-log push on 4318: open unless ingest tokens for access_log exist.
  const authorized = bearerChecker(undefined, 'access_log');
  const handler = (
    call: grpc.ServerReadableStream<Buffer, object>,
    callback: grpc.sendUnaryData<object>,
  ) => {
    const auth = call.metadata.get('authorization')[0];
    if (!authorized(typeof auth === 'string' ? auth : undefined)) {
      log.debug({ peer: call.getPeer() }, 'ALS stream refused: no valid token');
      callback({
        name: 'Error',
        message: 'missing or wrong bearer token',
        code: grpc.status.UNAUTHENTICATED,
        details:
          'missing or wrong bearer token in the authorization metadata (an ingest token covering access_log)',
        metadata: new grpc.Metadata(),
      });
      return;
    }
    let ctx: ProxyContext | undefined;
    let nodeId = '';
    let done = false;
    let chain = Promise.resolve();
    const finish = (err: grpc.ServiceError | null) => {
      if (done) return;
      done = true;
      if (err) callback(err);
      else callback(null, {});
    };
    const remote = call.getPeer();
    const handle = async (buf: Buffer) => {
      let msg: AlsMessage;
      try {
        msg = StreamAccessLogsMessage.toObject(
          StreamAccessLogsMessage.decode(buf),
          toObjectOptions,
        );
      } catch (err) {
        await pipeline.deadLetter(
          'access_log:als',
          `ALS message does not decode: ${(err as Error).message}`,
          buf.toString('base64'),
          remote,
        );
        accessLogLines().inc({ input: 'als', outcome: 'dead_letter' });
        return;
      }
      if (msg.identifier?.node && !ctx) {
        ctx = contextFromNode(msg.identifier.node);
        nodeId = msg.identifier.node.id ?? '';
      }
      const rows = rowsFromAlsMessage(msg, ctx);
      if (rows.length === 0) return;
      if (nodeId) for (const r of rows) r.NodeId = nodeId;
      await sink.offer(rows);
      accessLogLines().inc({ input: 'als', outcome: 'parsed' }, rows.length);
    };
    call.on('data', (buf: Buffer) => {
      call.pause();
      chain = chain
        .then(() => handle(buf))
        .then(
          () => {
            call.resume();
          },
          (err: unknown) => {
            const code =
              err instanceof BackpressureError
                ? grpc.status.RESOURCE_EXHAUSTED
                : grpc.status.UNAVAILABLE;
            log.warn(
              { err: (err as Error).message, node: nodeId },
              'ALS stream ended: the pipeline refused rows',
            );
            finish(
              Object.assign(new Error((err as Error).message), {
                code,
                details: (err as Error).message,
                metadata: new grpc.Metadata(),
              }),
            );
          },
        );
    });
    call.on('end', () => {
      void chain.then(() => finish(null));
    });
    call.on('error', () => finish(null));
  };
  return {
    definition: alsServiceDefinition,
    implementation: { StreamAccessLogs: handler },
  };
}
