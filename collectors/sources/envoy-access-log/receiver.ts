/**
 * HTTP push: `POST /v1/envoy/logs` with text lines (text/plain) or JSON records (NDJSON, or a
 * JSON array as Fluent Bit's `http` output `format json` sends). A record is either an Istio
 * JSON access-log entry or a shipper envelope whose `log` / `message` field holds the line, with
 * optional Kubernetes metadata naming the pod. Answers 204 when every line was stored, 200 with
 * counts when some went to the dead letters, 429/503 + Retry-After when the pipeline is full.
 */
import { bearerChecker } from '../traces-shared/auth';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { readBody, HttpError } from '../../http/body';
import { sendJson, type Route } from '../../http/server';
import {
  BackpressureError,
  ShuttingDownError,
  SpoolFullError,
  type Pipeline,
} from '../../pipeline';
import { contextFromShipper } from './context';
import { unwrapContainerLine } from './decode';
import { AccessLogIngester, type DecodedBatch } from './ingest';
import { normalizeRecord } from './normalize';

const TEXT_TYPES = new Set([
  '',
  'text/plain',
  'application/octet-stream',
  'text/x-log',
]);
const JSON_TYPES = new Set([
  'application/json',
  'application/x-ndjson',
  'application/jsonl',
  'application/json-lines',
  'application/ndjson',
]);

/** Maps pipeline refusals to the HTTP answer a log shipper retries on. */
export function pipelineHttpError(err: unknown): unknown {
  if (err instanceof BackpressureError) {
    return new HttpError(429, err.message, {
      'retry-after': String(err.retryAfterSeconds),
    });
  }
  if (err instanceof ShuttingDownError || err instanceof SpoolFullError) {
    return new HttpError(503, err.message, { 'retry-after': '5' });
  }
  return err;
}

const LINE_FIELDS = ['log', 'message', 'msg', 'line'];

/** Adds one JSON record (access-log entry or shipper envelope) to the batch. */
function decodeRecord(
  ingester: AccessLogIngester,
  obj: unknown,
  raw: string,
  batch: DecodedBatch,
): void {
  if (typeof obj !== 'object' || obj === null || Array.isArray(obj)) {
    batch.bad.push({ line: raw, reason: 'JSON record is not an object' });
    return;
  }
  const record = obj as Record<string, unknown>;
  const entry = ingester.decoder.decodeObject(record);
  if (entry) {
    batch.rows.push(
      normalizeRecord(entry, ingester.input, contextFromShipper(record)),
    );
    return;
  }
  for (const field of LINE_FIELDS) {
    const value = record[field];
    if (typeof value === 'string') {
      const line = unwrapContainerLine(value.replace(/\r?\n$/, '')).text;
      ingester.decodeLines([line], contextFromShipper(record), batch);
      return;
    }
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
      // Shippers that parsed the JSON line already (Vector `parse_json`) nest the entry.
      const nested = ingester.decoder.decodeObject(
        value as Record<string, unknown>,
      );
      if (nested) {
        batch.rows.push(
          normalizeRecord(nested, ingester.input, contextFromShipper(record)),
        );
        return;
      }
    }
  }
  batch.bad.push({ line: raw, reason: ingester.decoder.explain(raw) });
}

/** Decodes a push body into rows and bad lines (exported for tests). */
export function decodePushBody(
  ingester: AccessLogIngester,
  body: string,
  contentType: string,
): DecodedBatch {
  const batch: DecodedBatch = { rows: [], bad: [] };
  const trimmed = body.trimStart();
  if (JSON_TYPES.has(contentType) && trimmed.startsWith('[')) {
    let arr: unknown;
    try {
      arr = JSON.parse(trimmed);
    } catch (err) {
      throw new HttpError(
        400,
        `the JSON array body does not parse: ${(err as Error).message}`,
      );
    }
    if (!Array.isArray(arr))
      throw new HttpError(400, 'expected a JSON array of records');
    for (const item of arr)
      decodeRecord(ingester, item, JSON.stringify(item), batch);
    return batch;
  }
  for (const raw of body.split('\n')) {
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (line.trim().length === 0) continue;
    if (line.charCodeAt(0) === 123) {
      let obj: unknown;
      try {
        obj = JSON.parse(line);
      } catch (err) {
        batch.bad.push({
          line,
          reason: `JSON line does not parse: ${(err as Error).message}`,
        });
        continue;
      }
      decodeRecord(ingester, obj, line, batch);
    } else {
      ingester.decodeLines([unwrapContainerLine(line).text], undefined, batch);
    }
  }
  return batch;
}

/** The route for the OTLP/HTTP listener. */
export function envoyLogsPushRoute(
  pipeline: Pipeline,
  maxBodyBytes: number,
  customFormat?: string,
): Route {
  const ingester = new AccessLogIngester(pipeline, 'http_push', customFormat);
  // Open unless ingest tokens for access_log exist (Settings, docs/security.md).
  const authorized = bearerChecker(undefined, 'access_log');
  return {
    method: 'POST',
    path: '/v1/envoy/logs',
    receiver: 'envoy_logs_push',
    async handler(req: IncomingMessage, res: ServerResponse) {
      if (!authorized(req.headers.authorization)) {
        req.resume();
        throw new HttpError(401, 'missing or wrong bearer token', {
          'www-authenticate': 'Bearer realm="meshlens-access-log"',
        });
      }
      const contentType = String(req.headers['content-type'] ?? '')
        .split(';')[0]!
        .trim()
        .toLowerCase();
      if (!TEXT_TYPES.has(contentType) && !JSON_TYPES.has(contentType)) {
        req.resume();
        throw new HttpError(
          415,
          `unsupported Content-Type "${contentType}"; send text/plain lines or application/x-ndjson / application/json records`,
        );
      }
      const body = (await readBody(req, maxBodyBytes)).toString('utf8');
      const batch = decodePushBody(ingester, body, contentType);
      try {
        await ingester.write(batch, req.socket.remoteAddress ?? '');
      } catch (err) {
        throw pipelineHttpError(err);
      }
      if (batch.bad.length === 0) {
        res.writeHead(204);
        res.end();
        return;
      }
      sendJson(res, 200, {
        accepted: batch.rows.length,
        rejected: batch.bad.length,
        errors: batch.bad.slice(0, 5).map((b) => b.reason),
      });
    },
  };
}
