/**
 * Zipkin v2 receiver: `POST /api/v2/spans` (JSON) on the Zipkin port (9411), what Istio's Zipkin
 * tracer (Envoy's Zipkin driver, HTTP_JSON) sends. 202 when stored (as Zipkin answers), 400 for a
 * body that is not a JSON array, 401 without the configured token, 413 over the size limit, 415
 * for protobuf/thrift, 429/503 + Retry-After when the pipeline is full or stopping.
 * Bad spans go to the dead letters; the rest of the request is still stored and answered 202.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { HttpError, readBody } from '../../http/body';
import { sendJson, type Route } from '../../http/server';
import type { ReceiverContext } from '../index';
import { bearerChecker } from '../traces-shared/auth';
import { httpErrorOf } from '../traces-shared/http-error';
import { ingestSpans, remoteOf, spansQueueFull } from '../traces-shared/ingest';
import { decodeZipkinJson, zipkinUnsupportedContentType } from './decode';
import { normalizeZipkinSpans } from './normalize';

export const ZIPKIN_SOURCE = 'zipkin';

export function zipkinRoutes(ctx: ReceiverContext): Route[] {
  const { pipeline, config } = ctx;
  const authorized = bearerChecker(config.env.MESHLENS_ZIPKIN_TOKEN, 'zipkin');

  async function handle(
    req: IncomingMessage,
    res: ServerResponse,
  ): Promise<void> {
    try {
      if (!authorized(req.headers.authorization)) {
        throw new HttpError(401, 'missing or wrong bearer token', {
          'www-authenticate': 'Bearer realm="meshlens-zipkin"',
        });
      }
      if (zipkinUnsupportedContentType(req.headers['content-type'])) {
        throw new HttpError(
          415,
          `unsupported Content-Type "${req.headers['content-type']}"; send Zipkin v2 JSON (application/json)`,
        );
      }
      if (spansQueueFull(pipeline, config.pipeline.queueMaxRows)) {
        throw new HttpError(429, 'the span queue is full; retry later', {
          'retry-after': '5',
        });
      }
      const body = await readBody(req, config.pipeline.maxBodyBytes);
      const spans = normalizeZipkinSpans(decodeZipkinJson(body));
      await ingestSpans(
        pipeline,
        ZIPKIN_SOURCE,
        spans,
        remoteOf(req.socket.remoteAddress, req.socket.remotePort),
      );
      res.writeHead(202, { 'content-length': '0' });
      res.end();
    } catch (err) {
      const e = httpErrorOf(err);
      if (!req.complete) req.resume();
      sendJson(res, e.status, { error: e.message }, e.headers);
    }
  }

  return [
    {
      method: 'POST',
      path: '/api/v2/spans',
      receiver: ZIPKIN_SOURCE,
      handler: handle,
    },
  ];
}
