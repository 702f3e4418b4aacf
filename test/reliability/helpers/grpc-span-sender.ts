/**
 * The OTLP/gRPC twin of SpanSender: the same spans as protobuf over TraceService/Export.
 * RESOURCE_EXHAUSTED and UNAVAILABLE are "refused" (the collector pushed back).
 */
import * as grpc from '@grpc/grpc-js';
import {
  ExportTraceServiceRequest,
  ExportTraceServiceResponse,
} from '~/collectors/sources/otlp/proto';
import { otlpRequest, SpanSender, type SendOutcome } from './span-sender';

const TRACE_EXPORT =
  '/opentelemetry.proto.collector.trace.v1.TraceService/Export';

/** The JSON-mapping request as protobuf: hex ids become bytes. */
function protobufBody(first: number, count: number): Uint8Array {
  const req = otlpRequest(first, count);
  for (const rs of req.resourceSpans)
    for (const ss of rs.scopeSpans)
      for (const span of ss.spans as Record<string, unknown>[]) {
        span.traceId = Buffer.from(span.traceId as string, 'hex');
        span.spanId = Buffer.from(span.spanId as string, 'hex');
      }
  return ExportTraceServiceRequest.encode(
    ExportTraceServiceRequest.fromObject(req),
  ).finish();
}

export class GrpcSpanSender extends SpanSender {
  private readonly client: grpc.Client;

  /** `target`: host:port of the OTLP/gRPC listener. */
  constructor(target: string, firstId: number) {
    super(target, firstId);
    this.client = new grpc.Client(target, grpc.credentials.createInsecure());
  }

  override async send(count: number): Promise<SendOutcome> {
    const first = this.take(count);
    const body = protobufBody(first, count);
    const { err, res } = await new Promise<{
      err: grpc.ServiceError | null;
      res?: Buffer;
    }>((resolve) => {
      this.client.makeUnaryRequest(
        TRACE_EXPORT,
        (b: Uint8Array) => Buffer.from(b),
        (b: Buffer) => b,
        body,
        new grpc.Metadata(),
        { deadline: Date.now() + this.timeoutMs },
        (e, r) => resolve({ err: e, res: r }),
      );
    });
    if (err) {
      const refused =
        err.code === grpc.status.RESOURCE_EXHAUSTED ||
        err.code === grpc.status.UNAVAILABLE;
      return this.record(
        first,
        count,
        refused ? 'refused' : 'failed',
        grpc.status[err.code] ?? String(err.code),
      );
    }
    const decoded = ExportTraceServiceResponse.toObject(
      ExportTraceServiceResponse.decode(res!),
      { longs: String },
    ) as { partialSuccess?: { rejectedSpans?: string } };
    const rejected = Number(decoded.partialSuccess?.rejectedSpans ?? 0);
    return this.record(first, count, rejected === 0 ? 'acked' : 'failed', 'OK');
  }

  close(): void {
    this.client.close();
  }
}
