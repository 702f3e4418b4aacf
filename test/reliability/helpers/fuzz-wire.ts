/** Sends one fuzz input to the running collector the way each protocol's senders do. */
import * as grpc from '@grpc/grpc-js';
import type { AppUrls } from '~/test/helpers/app-process';

/** Answers a protocol defines for bad input or load. Anything else is a bug. */
const CLEAN_HTTP = new Set([200, 202, 204, 400, 413, 415, 429, 503]);
const CLEAN_GRPC = new Set([
  grpc.status.OK,
  grpc.status.INVALID_ARGUMENT,
  grpc.status.RESOURCE_EXHAUSTED,
  grpc.status.UNAVAILABLE,
]);

export interface WireAnswer {
  clean: boolean;
  /** HTTP status, gRPC status name, or the transport error. */
  answer: string;
}

const TIMEOUT_MS = 15_000;

async function post(
  url: string,
  headers: Record<string, string>,
  body: Buffer,
): Promise<WireAnswer> {
  try {
    const res = await fetch(url, {
      method: 'POST',
      headers,
      body: new Uint8Array(body),
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
    await res.arrayBuffer();
    return { clean: CLEAN_HTTP.has(res.status), answer: String(res.status) };
  } catch (err) {
    return { clean: false, answer: `transport: ${(err as Error).message}` };
  }
}

const grpcAnswer = (err: grpc.ServiceError | null): WireAnswer => {
  const code = err ? err.code : grpc.status.OK;
  return {
    clean: CLEAN_GRPC.has(code),
    answer: grpc.status[code] ?? String(code),
  };
};

export class WireFuzzer {
  private readonly grpcClient: grpc.Client;

  constructor(private readonly urls: AppUrls) {
    this.grpcClient = new grpc.Client(
      urls.otlpGrpc.replace('grpc://', ''),
      grpc.credentials.createInsecure(),
    );
  }

  close(): void {
    this.grpcClient.close();
  }

  private unary(path: string, body: Buffer): Promise<WireAnswer> {
    return new Promise((resolve) => {
      this.grpcClient.makeUnaryRequest(
        path,
        (b: Buffer) => b,
        (b: Buffer) => b,
        body,
        new grpc.Metadata(),
        { deadline: Date.now() + TIMEOUT_MS },
        (err) => resolve(grpcAnswer(err)),
      );
    });
  }

  private clientStream(path: string, body: Buffer): Promise<WireAnswer> {
    return new Promise((resolve) => {
      const call = this.grpcClient.makeClientStreamRequest(
        path,
        (b: Buffer) => b,
        (b: Buffer) => b,
        new grpc.Metadata(),
        { deadline: Date.now() + TIMEOUT_MS },
        (err) => resolve(grpcAnswer(err)),
      );
      call.write(body);
      call.end();
    });
  }

  /** One input for `target` (names as in fuzz-targets.ts); `alt` picks the second transport. */
  send(target: string, body: Buffer, alt: boolean): Promise<WireAnswer> {
    const { otlpHttp, zipkin } = this.urls;
    switch (target) {
      case 'otlp-protobuf':
        return alt
          ? this.unary(
              '/opentelemetry.proto.collector.trace.v1.TraceService/Export',
              body,
            )
          : post(
              `${otlpHttp}/v1/traces`,
              { 'content-type': 'application/x-protobuf' },
              body,
            );
      case 'otlp-json':
        return post(
          `${otlpHttp}/v1/traces`,
          { 'content-type': 'application/json' },
          body,
        );
      case 'zipkin-json':
        return post(
          `${zipkin}/api/v2/spans`,
          { 'content-type': 'application/json' },
          body,
        );
      case 'remote-write':
        return post(
          `${otlpHttp}/api/v1/write`,
          {
            'content-type': 'application/x-protobuf',
            'content-encoding': 'snappy',
            'x-prometheus-remote-write-version': '0.1.0',
          },
          body,
        );
      case 'access-log-text':
        return post(
          `${otlpHttp}/v1/envoy/logs`,
          { 'content-type': 'text/plain' },
          body,
        );
      case 'access-log-json':
        return post(
          `${otlpHttp}/v1/envoy/logs`,
          { 'content-type': 'application/x-ndjson' },
          body,
        );
      case 'envoy-als':
        return this.clientStream(
          '/envoy.service.accesslog.v3.AccessLogService/StreamAccessLogs',
          body,
        );
      default:
        throw new Error(`no wire route for fuzz target ${target}`);
    }
  }
}
