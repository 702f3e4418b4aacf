/**
 * OTLP logs receivers: `POST /v1/logs` (protobuf or JSON, compressed bodies via readBody) on the
 * OTLP/HTTP port and `opentelemetry.proto.collector.logs.v1.LogsService/Export` on the gRPC port.
 * Istio `envoyOtelAls` records become mesh_requests rows; other records go to otel_logs.
 * Errors as the OTLP spec asks: 400 / INVALID_ARGUMENT for a body that does not decode, 401 /
 * UNAUTHENTICATED without the token, 415 for a wrong content type, 429 / RESOURCE_EXHAUSTED
 * and 503 / UNAVAILABLE (+ Retry-After) when the pipeline is full or stopping.
 */
import { bearerChecker } from '../traces-shared/auth';
import type { IncomingMessage, ServerResponse } from 'node:http';
import * as grpc from '@grpc/grpc-js';
import { HttpError, readBody } from '../../http/body';
import type { Route } from '../../http/server';
import {
  BackpressureError,
  ShuttingDownError,
  SpoolFullError,
  type Pipeline,
} from '../../pipeline';
import type { GrpcService } from '../index';
import {
  accessLogLines,
  AccessLogIngester,
  MESH_REQUESTS_TABLE,
} from '../envoy-access-log/ingest';
import type { MeshRequestRow } from '../envoy-access-log/row';
import {
  normalizeOtlpLogs,
  type OtelLogRow,
  type OtlpLogsRequest,
} from './normalize';
import {
  ExportLogsServiceRequest,
  ExportLogsServiceResponse,
  LOGS_SERVICE,
} from './proto';

export const OTEL_LOGS_TABLE = 'otel_logs';

export interface OtlpLogsOptions {
  pipeline: Pipeline;
  maxBodyBytes: number;
  /** MESHLENS_OTLP_TOKEN: bearer token senders must present; undefined = no auth. */
  token?: string | undefined;
  customFormat?: string | undefined;
}

/** Stores one export request; resolves when every row is durable. */
export async function ingestOtlpLogs(
  pipeline: Pipeline,
  ingester: AccessLogIngester,
  req: OtlpLogsRequest,
): Promise<{ requests: number; logs: number }> {
  const { requests, logs } = normalizeOtlpLogs(req, ingester);
  await Promise.all([
    pipeline.sink<MeshRequestRow>(MESH_REQUESTS_TABLE).offer(requests),
    pipeline.sink<OtelLogRow>(OTEL_LOGS_TABLE).offer(logs),
  ]);
  if (requests.length > 0)
    accessLogLines().inc(
      { input: 'otlp_logs', outcome: 'parsed' },
      requests.length,
    );
  return { requests: requests.length, logs: logs.length };
}

function decodeProtobuf(body: Uint8Array): OtlpLogsRequest {
  try {
    return ExportLogsServiceRequest.decode(body) as unknown as OtlpLogsRequest;
  } catch (err) {
    throw new HttpError(
      400,
      `the protobuf body is not an ExportLogsServiceRequest: ${(err as Error).message}`,
    );
  }
}

function httpErrorOf(err: unknown): HttpError {
  if (err instanceof HttpError) return err;
  if (err instanceof BackpressureError)
    return new HttpError(429, err.message, {
      'retry-after': String(err.retryAfterSeconds),
    });
  if (err instanceof ShuttingDownError || err instanceof SpoolFullError)
    return new HttpError(503, err.message, { 'retry-after': '5' });
  return new HttpError(500, (err as Error).message);
}

/** `POST /v1/logs` for the OTLP/HTTP listener. */
export function otlpLogsHttpRoute(opts: OtlpLogsOptions): Route {
  const ingester = new AccessLogIngester(
    opts.pipeline,
    'otlp_logs',
    opts.customFormat,
  );
  const authorized = bearerChecker(opts.token, 'otlp');
  return {
    method: 'POST',
    path: '/v1/logs',
    receiver: 'otlp_logs',
    async handler(req: IncomingMessage, res: ServerResponse) {
      const type = String(req.headers['content-type'] ?? '')
        .split(';')[0]!
        .trim()
        .toLowerCase();
      const json = type === 'application/json';
      try {
        if (!authorized(req.headers.authorization)) {
          throw new HttpError(401, 'missing or wrong bearer token', {
            'www-authenticate': 'Bearer realm="meshlens-otlp"',
          });
        }
        if (
          !json &&
          type !== 'application/x-protobuf' &&
          type !== 'application/protobuf'
        ) {
          throw new HttpError(
            415,
            `unsupported Content-Type "${type}"; send application/x-protobuf or application/json`,
          );
        }
        const body = await readBody(req, opts.maxBodyBytes);
        let decoded: OtlpLogsRequest;
        if (json) {
          try {
            decoded = JSON.parse(body.toString('utf8')) as OtlpLogsRequest;
          } catch (err) {
            throw new HttpError(
              400,
              `the JSON body does not parse: ${(err as Error).message}`,
            );
          }
        } else decoded = decodeProtobuf(body);
        await ingestOtlpLogs(opts.pipeline, ingester, decoded);
        const answer = json
          ? '{}'
          : Buffer.from(ExportLogsServiceResponse.encode({}).finish());
        res.writeHead(200, {
          'content-type': json ? 'application/json' : 'application/x-protobuf',
          'content-length': String(answer.length),
        });
        res.end(answer);
      } catch (err) {
        const e = httpErrorOf(err);
        if (!req.complete) req.resume();
        const text = JSON.stringify({ code: e.status, message: e.message });
        res.writeHead(e.status, {
          'content-type': 'application/json',
          ...e.headers,
        });
        res.end(text);
      }
    },
  };
}

/** LogsService for the gRPC listener. */
export function otlpLogsGrpcService(opts: OtlpLogsOptions): GrpcService {
  const ingester = new AccessLogIngester(
    opts.pipeline,
    'otlp_logs',
    opts.customFormat,
  );
  const authorized = bearerChecker(opts.token, 'otlp');
  const definition: grpc.ServiceDefinition = {
    Export: {
      path: `/${LOGS_SERVICE}/Export`,
      requestStream: false,
      responseStream: false,
      requestSerialize: (v: Buffer) => v,
      requestDeserialize: (b: Buffer) => b,
      responseSerialize: (v: Buffer) => v,
      responseDeserialize: (b: Buffer) => b,
    },
  };
  const fail = (code: grpc.status, message: string): grpc.ServiceError =>
    Object.assign(new Error(message), {
      code,
      details: message,
      metadata: new grpc.Metadata(),
    });
  const Export = (
    call: grpc.ServerUnaryCall<Buffer, Buffer>,
    callback: grpc.sendUnaryData<Buffer>,
  ) => {
    const auth = call.metadata.get('authorization')[0];
    if (!authorized(typeof auth === 'string' ? auth : undefined)) {
      callback(
        fail(grpc.status.UNAUTHENTICATED, 'missing or wrong bearer token'),
      );
      return;
    }
    let decoded: OtlpLogsRequest;
    try {
      decoded = ExportLogsServiceRequest.decode(
        call.request,
      ) as unknown as OtlpLogsRequest;
    } catch (err) {
      callback(
        fail(
          grpc.status.INVALID_ARGUMENT,
          `not an ExportLogsServiceRequest: ${(err as Error).message}`,
        ),
      );
      return;
    }
    ingestOtlpLogs(opts.pipeline, ingester, decoded).then(
      () =>
        callback(
          null,
          Buffer.from(ExportLogsServiceResponse.encode({}).finish()),
        ),
      (err: unknown) => {
        const code =
          err instanceof BackpressureError
            ? grpc.status.RESOURCE_EXHAUSTED
            : err instanceof ShuttingDownError || err instanceof SpoolFullError
              ? grpc.status.UNAVAILABLE
              : grpc.status.INTERNAL;
        callback(fail(code, (err as Error).message));
      },
    );
  };
  return { definition, implementation: { Export } };
}
