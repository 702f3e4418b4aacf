/**
 * OTLP/HTTP traces receiver: `POST /v1/traces` on the OTLP/HTTP port (4318), binary protobuf and
 * JSON, gzip/deflate/br bodies. Answers as the OTLP spec asks: 200 (+ partial success), 400
 * undecodable, 401 without the configured token, 413 over the size limit, 415 wrong content type,
 * 429/503 + Retry-After when the pipeline is full or stopping (both retryable per the spec).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { HttpError, readBody } from '../../http/body';
import type { Route } from '../../http/server';
import type { ReceiverContext } from '../index';
import { bearerChecker } from '../traces-shared/auth';
import { httpErrorOf } from '../traces-shared/http-error';
import { ingestSpans, remoteOf, spansQueueFull } from '../traces-shared/ingest';
import { decodeOtlpJson, otlpEncodingOf, type OtlpEncoding } from './decode';
import { decodeOtlpTracesProtobuf } from './fast-decode';
import { normalizeOtlpTraces } from './normalize';
import {
  CONTENT_TYPES,
  exportResponseBody,
  grpcCodeForHttp,
  statusBody,
} from './response';

export const OTLP_TRACES_SOURCE = 'otlp_traces';

function send(
  res: ServerResponse,
  status: number,
  encoding: OtlpEncoding,
  body: Uint8Array | string,
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, {
    'content-type': CONTENT_TYPES[encoding],
    'content-length': String(
      typeof body === 'string' ? Buffer.byteLength(body) : body.byteLength,
    ),
    ...headers,
  });
  res.end(body);
}

function fail(
  res: ServerResponse,
  encoding: OtlpEncoding,
  err: HttpError,
): void {
  send(
    res,
    err.status,
    encoding,
    statusBody(grpcCodeForHttp(err.status), err.message, encoding),
    err.headers,
  );
}

export function otlpHttpTraceRoutes(ctx: ReceiverContext): Route[] {
  const { pipeline, config } = ctx;
  const authorized = bearerChecker(config.env.MESHLENS_OTLP_TOKEN, 'otlp');
  const maxBodyBytes = config.pipeline.maxBodyBytes;

  async function handle(
    req: IncomingMessage,
    res: ServerResponse,
  ): Promise<void> {
    const encoding = otlpEncodingOf(req.headers['content-type']);
    // Answer in the request's encoding when we know it, else JSON.
    const replyAs: OtlpEncoding = encoding ?? 'json';
    try {
      if (!authorized(req.headers.authorization)) {
        throw new HttpError(401, 'missing or wrong bearer token', {
          'www-authenticate': 'Bearer realm="meshlens-otlp"',
        });
      }
      if (!encoding) {
        throw new HttpError(
          415,
          `unsupported Content-Type "${req.headers['content-type'] ?? ''}"; send application/x-protobuf or application/json`,
        );
      }
      // Refuse before reading the body when the queue is already full: cheap for both sides.
      if (spansQueueFull(pipeline, config.pipeline.queueMaxRows)) {
        throw new HttpError(429, 'the span queue is full; retry later', {
          'retry-after': '5',
        });
      }
      const body = await readBody(req, maxBodyBytes);
      const spans =
        encoding === 'protobuf'
          ? decodeOtlpTracesProtobuf(body)
          : normalizeOtlpTraces(decodeOtlpJson(body));
      const result = await ingestSpans(
        pipeline,
        OTLP_TRACES_SOURCE,
        spans,
        remoteOf(req.socket.remoteAddress, req.socket.remotePort),
      );
      send(res, 200, encoding, exportResponseBody(result, encoding));
    } catch (err) {
      const httpError = httpErrorOf(err);
      if (!req.complete) req.resume();
      fail(res, replyAs, httpError);
    }
  }

  return [
    {
      method: 'POST',
      path: '/v1/traces',
      receiver: OTLP_TRACES_SOURCE,
      handler: handle,
    },
  ];
}
