/**
 * A small HTTP listener for receivers: routes by method and path, turns HttpError into the
 * status it names, answers unknown paths with a 404 that says what is served here. HTTPS when
 * given a certificate (tls.ts); a client that does not speak TLS to it is dropped at the
 * handshake and logged at debug level.
 */
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { logger } from '~/server/log';
import { metrics } from '~/server/telemetry/metrics';
import { HttpError } from './body';
import type { TlsFiles } from './tls';

const log = logger('http');

export type RouteHandler = (
  req: IncomingMessage,
  res: ServerResponse,
) => Promise<void>;

export interface Route {
  method: 'POST' | 'GET' | 'PUT';
  path: string;
  /** Receiver name for metrics, e.g. otlp_traces. */
  receiver: string;
  handler: RouteHandler;
}

export interface HttpListener {
  name: string;
  url: string;
  server: http.Server;
  close(): Promise<void>;
}

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
}

export async function startHttpListener(opts: {
  name: string;
  host: string;
  port: number;
  routes: Route[];
  /** Paths that will exist once their receivers land: answered 501 with this text. */
  planned?: Record<string, string>;
  /** Serve HTTPS with this certificate and key. */
  tls?: TlsFiles;
}): Promise<HttpListener> {
  const byKey = new Map(opts.routes.map((r) => [`${r.method} ${r.path}`, r]));
  const served = opts.routes.map((r) => `${r.method} ${r.path}`);
  const onRequest = (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const route = byKey.get(`${req.method} ${url.pathname}`);
    if (!route) {
      const planned = opts.planned?.[url.pathname];
      const status = planned ? 501 : byKeyHasPath(url.pathname) ? 405 : 404;
      metrics().receiverRequests.inc({
        receiver: opts.name,
        code: String(status),
      });
      req.resume();
      sendJson(res, status, {
        error:
          planned ??
          (status === 405
            ? `${req.method} is not allowed on ${url.pathname}`
            : `nothing is served at ${url.pathname}`),
        served,
      });
      return;
    }
    route
      .handler(req, res)
      .catch((err: unknown) => {
        const status = err instanceof HttpError ? err.status : 500;
        if (status >= 500)
          log.error({ err, path: url.pathname }, 'receiver failed');
        if (!res.headersSent) {
          sendJson(
            res,
            status,
            { error: (err as Error).message },
            err instanceof HttpError ? err.headers : {},
          );
        } else res.destroy();
      })
      .finally(() =>
        metrics().receiverRequests.inc({
          receiver: route.receiver,
          code: String(res.statusCode),
        }),
      );
  };
  const server: http.Server = opts.tls
    ? https.createServer({ cert: opts.tls.cert, key: opts.tls.key }, onRequest)
    : http.createServer(onRequest);
  if (opts.tls)
    server.on('tlsClientError', (err: Error, socket: { destroy(): void }) => {
      log.debug(
        { listener: opts.name, err: err.message },
        'TLS handshake failed (a plaintext or untrusting client?)',
      );
      socket.destroy();
    });
  function byKeyHasPath(p: string): boolean {
    return opts.routes.some((r) => r.path === p);
  }
  server.keepAliveTimeout = 65_000;
  server.requestTimeout = 120_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    name: opts.name,
    url: `${opts.tls ? 'https' : 'http'}://${opts.host.includes(':') ? `[${opts.host}]` : opts.host}:${port}`,
    server,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
        setTimeout(() => server.closeAllConnections(), 5000).unref();
      }),
  };
}
