/**
 * `POST /api/v1/write`: Prometheus remote_write 1.0 (and 2.0) on the OTLP/HTTP listener.
 *
 * Status codes (remote-write spec 1.0 "Responses", shared/reference/prometheus.md section 4; a real
 * Prometheus retries 5xx with backoff and drops on any 4xx, 429 included by default):
 *   204  stored (only after the rows are durable: inserted or spooled)
 *   400  body that is not snappy / protobuf, or invalid series (the valid series are still stored)
 *   401  missing or wrong bearer token (MESHLENS_REMOTE_WRITE_TOKEN)
 *   413  body over MESHLENS_MAX_BODY_BYTES, compressed or by its snappy length header
 *   415  Content-Encoding other than snappy, or a Content-Type / proto we do not speak
 *   503  + Retry-After when the pipeline is full, shutting down or its spool is full. Not 429:
 *        Prometheus 2.x drops a batch on 429 unless retry_on_http_429 is set, and data we could
 *        not take must not be lost.
 *   500  anything unexpected (retried by the sender)
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { HttpError } from '../../http/body';
import type { Route } from '../../http/server';
import {
  BackpressureError,
  ShuttingDownError,
  SpoolFullError,
} from '../../pipeline';
import { bearerChecker } from '../traces-shared/auth';
import type { ReceiverContext } from '../index';
import { MetricsIngester } from '../prometheus-shared/ingest';
import { metrics } from '~/server/telemetry/metrics';
import {
  decodeSnappy,
  decodeWriteRequestV2,
  DecodeError,
  TooLargeError,
} from './decode';
import { decodeNormalizeV1, SeriesByLabelBytes } from './fast-decode';
import { FamilyTypes, normalizeWrite, type NormalizedWrite } from './normalize';

export const REMOTE_WRITE_PATH = '/api/v1/write';
const SOURCE = 'prometheus_remote_write';
const MAX_REASONS = 3;

/** Reads the raw (snappy) body with a byte cap; readBody would refuse the snappy encoding. */
async function readRaw(
  req: IncomingMessage,
  maxBytes: number,
): Promise<Buffer> {
  const declared = Number(req.headers['content-length'] ?? NaN);
  if (Number.isFinite(declared) && declared > maxBytes) {
    req.resume();
    throw new HttpError(
      413,
      `body of ${declared} bytes is over the limit of ${maxBytes} bytes`,
    );
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buf = chunk as Buffer;
    size += buf.length;
    if (size > maxBytes) {
      req.resume();
      throw new HttpError(413, `body is over the limit of ${maxBytes} bytes`);
    }
    chunks.push(buf);
  }
  return Buffer.concat(chunks, size);
}

/** Which protobuf message the Content-Type names (spec 2.0: dispatch on `proto=`). */
export function writeVersionOf(contentType: string | undefined): 'v1' | 'v2' {
  const ct = (contentType ?? '').toLowerCase().replace(/\s+/g, '');
  if (ct === '') return 'v1';
  const [media, ...params] = ct.split(';');
  if (media !== 'application/x-protobuf') {
    throw new HttpError(
      415,
      `unsupported Content-Type "${contentType}"; remote_write sends application/x-protobuf`,
    );
  }
  const proto = params
    .find((p) => p.startsWith('proto='))
    ?.slice('proto='.length);
  if (proto === undefined || proto === 'prometheus.writerequest') return 'v1';
  if (proto === 'io.prometheus.write.v2.request') return 'v2';
  throw new HttpError(
    415,
    `unsupported remote_write message "${proto}"; this receiver accepts prometheus.WriteRequest (1.0) and io.prometheus.write.v2.Request (2.0)`,
  );
}

function retryLater(err: Error): HttpError {
  const seconds = err instanceof BackpressureError ? err.retryAfterSeconds : 5;
  return new HttpError(503, `${err.message}`, {
    'retry-after': String(seconds),
  });
}

export function remoteWriteRoutes(ctx: ReceiverContext): Route[] {
  const { config, pipeline } = ctx;
  const authorized = bearerChecker(
    config.env.MESHLENS_REMOTE_WRITE_TOKEN,
    'remote_write',
  );
  const maxBytes = config.pipeline.maxBodyBytes;
  const families = new FamilyTypes();
  const known = new SeriesByLabelBytes(config.env.MESHLENS_METRICS_MAX_SERIES);
  const ingester = new MetricsIngester(pipeline, {
    source: 'remote_write',
    maxSeries: config.env.MESHLENS_METRICS_MAX_SERIES,
    queueMaxRows: config.pipeline.queueMaxRows,
  });

  const handler = async (
    req: IncomingMessage,
    res: ServerResponse,
  ): Promise<void> => {
    if (!authorized(req.headers.authorization)) {
      req.resume();
      throw new HttpError(401, 'missing or wrong bearer token', {
        'www-authenticate': 'Bearer',
      });
    }
    const encoding = String(req.headers['content-encoding'] ?? '')
      .trim()
      .toLowerCase();
    if (encoding !== 'snappy') {
      req.resume();
      throw new HttpError(
        415,
        `unsupported Content-Encoding "${encoding}"; remote_write bodies are snappy (block format)`,
      );
    }
    const version = writeVersionOf(req.headers['content-type']);
    const raw = await readRaw(req, maxBytes);
    let normalized: NormalizedWrite;
    try {
      const bytes = decodeSnappy(raw, maxBytes);
      if (version === 'v2') {
        const decoded = decodeWriteRequestV2(bytes);
        normalized = normalizeWrite(decoded.series, families);
      } else {
        normalized = decodeNormalizeV1(bytes, families, known).normalized;
      }
    } catch (err) {
      if (err instanceof TooLargeError) throw new HttpError(413, err.message);
      if (err instanceof DecodeError) {
        metrics().ingestRows.inc({
          table: 'metric_samples',
          outcome: 'rejected',
        });
        throw new HttpError(400, err.message);
      }
      throw err;
    }
    const remote = req.socket.remoteAddress
      ? `${req.socket.remoteAddress}:${req.socket.remotePort ?? ''}`
      : '';
    let written = 0;
    try {
      const result = await ingester.ingest(normalized.samples);
      written = result.samples;
      await Promise.all(
        normalized.rejected.map((r) =>
          pipeline.deadLetter(SOURCE, r.reason, r.payload, remote),
        ),
      );
    } catch (err) {
      if (
        err instanceof BackpressureError ||
        err instanceof ShuttingDownError ||
        err instanceof SpoolFullError
      ) {
        throw retryLater(err);
      }
      throw err;
    }
    const headers: Record<string, string> = {};
    if (version === 'v2') {
      headers['x-prometheus-remote-write-samples-written'] = String(written);
      headers['x-prometheus-remote-write-histograms-written'] = '0';
      headers['x-prometheus-remote-write-exemplars-written'] = '0';
    }
    if (
      normalized.rejected.length > 0 ||
      (version === 'v2' && normalized.histograms > 0)
    ) {
      metrics().ingestRows.inc(
        { table: 'metric_samples', outcome: 'rejected' },
        normalized.rejected.length,
      );
      const reasons = [
        ...new Set(normalized.rejected.map((r) => r.reason)),
      ].slice(0, MAX_REASONS);
      if (normalized.histograms > 0)
        reasons.push(
          `${normalized.histograms} native histogram sample(s) not supported`,
        );
      throw new HttpError(
        400,
        `${normalized.rejected.length} series refused (${written} samples stored): ${reasons.join('; ')}`,
        headers,
      );
    }
    res.writeHead(204, headers);
    res.end();
  };
  return [
    {
      method: 'POST',
      path: REMOTE_WRITE_PATH,
      receiver: 'prometheus_remote_write',
      handler,
    },
  ];
}
