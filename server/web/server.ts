/**
 * The web listener: one Node http(s) server in the same process (and module graph) as the
 * collectors. HTTPS when MESHLENS_TLS_CERT_FILE and MESHLENS_TLS_KEY_FILE are set. It answers,
 * in order:
 *   1. whatever `opts.handle` claims (/metrics, /healthz, /readyz, wired by server/main.ts);
 *   2. the auth gate (server/auth/gate.ts): login/logout/OIDC routes, security headers, and a
 *      401 or a redirect to /login for requests without a valid credential;
 *   3. `/api/v1/*`, the stable JSON read API (server/api/v1/router.ts);
 *   4. `/api/trpc/*` with the tRPC routers, so they share the process's one ClickHouse client;
 *   5. everything else with Next.js (the client-rendered UI), production mode unless `dev`.
 * Until Next is ready, page requests get a 503 page that reloads itself.
 * Production mode needs a build in .next: server/main.ts runs `ensureWebBuild()` (server/build-web.ts)
 * before calling startWeb.
 */
import fs from 'node:fs';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import https from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createHTTPHandler } from '@trpc/server/adapters/standalone';
import { appRouter } from '../api/root';
import { handleApiV1 } from '../api/v1/router';
import { createTRPCContext } from '../api/trpc';
import { bootstrapAuth } from '../auth/bootstrap';
import { authGate, principalOf } from '../auth/gate';
import { authStrategy } from '../auth/strategy';
import { getConfig } from '../config';
import { getDb } from '../db/client';
import { logger } from '../log';

export interface WebServer {
  /** e.g. http://127.0.0.1:3000 (the port actually bound when 0 was asked for). */
  url: string;
  /** Stops accepting, ends open connections, then shuts Next down. */
  close(): Promise<void>;
}

export interface StartWebOptions {
  host: string;
  port: number;
  /** Next.js dev mode (hot reload, no build needed). Default: production. */
  dev?: boolean;
  /** Called first for each request; return true when it answered (/metrics, /healthz, /readyz). */
  handle?: (
    req: IncomingMessage,
    res: ServerResponse,
  ) => boolean | Promise<boolean>;
}

/** The repository root: where app/, next.config.ts and .next/ live. */
export const repoRoot = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '..',
  '..',
);

const TRPC_PREFIX = '/api/trpc/';
/** How long close() lets in-flight requests finish before cutting connections. */
const CLOSE_GRACE_MS = 2000;

const log = logger('web');

type NextHandler = (req: IncomingMessage, res: ServerResponse) => Promise<void>;

const trpcHandler = createHTTPHandler({
  router: appRouter,
  basePath: TRPC_PREFIX,
  createContext: ({ req }) => createTRPCContext(principalOf(req)),
  maxBodySize: 1024 * 1024,
  onError({ error, path: procedure }) {
    if (
      error.code === 'INTERNAL_SERVER_ERROR' ||
      error.code === 'SERVICE_UNAVAILABLE'
    ) {
      log.error({ err: error, procedure }, 'api error');
    }
  },
});

function urlFor(host: string, port: number, tls: boolean): string {
  return `${tls ? 'https' : 'http'}://${host.includes(':') ? `[${host}]` : host}:${port}`;
}

/** The certificate and key when both are configured (server/config.ts checks the pair). */
function tlsOptions(): https.ServerOptions | undefined {
  const { MESHLENS_TLS_CERT_FILE: cert, MESHLENS_TLS_KEY_FILE: key } =
    getConfig().env;
  if (!cert || !key) return undefined;
  return { cert: fs.readFileSync(cert), key: fs.readFileSync(key) };
}

function sendText(
  res: ServerResponse,
  status: number,
  body: string,
  type = 'text/plain',
): void {
  if (res.headersSent) {
    res.end();
    return;
  }
  res.writeHead(status, {
    'content-type': `${type}; charset=utf-8`,
    'cache-control': 'no-store',
  });
  res.end(body);
}

const STARTING_PAGE = `<!doctype html><html><head><meta charset="utf-8">
<meta http-equiv="refresh" content="3"><title>Meshlens is starting</title></head>
<body style="font:14px system-ui;margin:3rem">
<h1 style="font-size:18px">Meshlens is starting</h1>
<p>The web UI is being prepared. This page reloads by itself.</p></body></html>`;

function listen(
  server: http.Server,
  host: string,
  port: number,
): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (err: Error) => reject(err);
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

async function prepareNext(
  opts: StartWebOptions,
  server: http.Server,
  port: number,
): Promise<{ handler: NextHandler; close: () => Promise<void> }> {
  const dev = opts.dev ?? false;
  if (!dev && !fs.existsSync(path.join(repoRoot, '.next', 'BUILD_ID'))) {
    throw new Error(
      `no production build of the web UI in ${path.join(repoRoot, '.next')}: run \`npx next build\` ` +
        '(server/main.ts does it through ensureWebBuild) or start with --dev',
    );
  }
  // React and Next pick their builds from NODE_ENV; a custom server must set it itself.
  (process.env as Record<string, string>).NODE_ENV = dev
    ? 'development'
    : 'production';
  // Meshlens users are not Next.js developers: no usage reports (and no network) from Next.
  process.env.NEXT_TELEMETRY_DISABLED ??= '1';
  const { default: next } = await import('next');
  const wildcard = opts.host === '0.0.0.0' || opts.host === '::';
  const app = next({
    dev,
    dir: repoRoot,
    hostname: wildcard ? 'localhost' : opts.host,
    port,
    httpServer: server,
  });
  await app.prepare();
  return { handler: app.getRequestHandler(), close: () => app.close() };
}

/**
 * Everything but the pages: the auth gate, /api/v1 and /api/trpc. True when it answered;
 * false for a request Next.js should render (its principal, if any, is known to the gate).
 */
export async function handleApi(
  req: IncomingMessage,
  res: ServerResponse,
  dev = false,
): Promise<boolean> {
  if (await authGate(req, res, { dev })) return true;
  if (await handleApiV1(req, res, principalOf(req))) return true;
  const pathname = (req.url ?? '/').split('?')[0] ?? '/';
  if (pathname.startsWith(TRPC_PREFIX)) {
    trpcHandler(req, res);
    return true;
  }
  return false;
}

/** Starts the web listener; resolves once the port is bound and Next.js is ready. */
export async function startWeb(opts: StartWebOptions): Promise<WebServer> {
  let nextHandler: NextHandler | undefined;
  const config = getConfig();
  try {
    await bootstrapAuth(config, await getDb());
  } catch (err) {
    // Without auth there is nothing to bootstrap but the embed signing key: start anyway.
    if (authStrategy(config) !== 'none') throw err;
    log.warn(
      { err },
      'auth bootstrap failed; embeds will not work until it succeeds',
    );
  }

  const onRequest = (req: IncomingMessage, res: ServerResponse) => {
    void (async () => {
      try {
        if (opts.handle && (await opts.handle(req, res))) return;
        if (await handleApi(req, res, opts.dev ?? false)) return;
        if (!nextHandler) {
          res.setHeader('retry-after', '3');
          sendText(res, 503, STARTING_PAGE, 'text/html');
          return;
        }
        await nextHandler(req, res);
      } catch (err) {
        log.error({ err, url: req.url }, 'request failed');
        sendText(
          res,
          500,
          'Internal error in the Meshlens web server; see its log.',
        );
      }
    })();
  };
  const tls = tlsOptions();
  const server: http.Server = tls
    ? https.createServer(tls, onRequest)
    : http.createServer(onRequest);
  // Every socket, upgraded ones included (Next's dev HMR websocket), so close() can end them:
  // closeAllConnections() only knows sockets still speaking HTTP.
  const sockets = new Set<Socket>();
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });

  const port = await listen(server, opts.host, opts.port);
  const url = urlFor(opts.host, port, tls !== undefined);
  log.debug({ url }, 'web listener bound; preparing Next.js');

  let nextClose: (() => Promise<void>) | undefined;
  const close = async (): Promise<void> => {
    const closed = new Promise<void>((resolve) =>
      server.close(() => resolve()),
    );
    server.closeIdleConnections();
    const grace = setTimeout(() => {
      server.closeAllConnections();
      for (const socket of sockets) socket.destroy();
    }, CLOSE_GRACE_MS);
    await closed;
    clearTimeout(grace);
    if (nextClose) await nextClose();
  };

  try {
    const prepared = await prepareNext(opts, server, port);
    nextHandler = prepared.handler;
    nextClose = prepared.close;
  } catch (err) {
    await close().catch(() => undefined);
    throw err;
  }
  log.debug({ url, dev: opts.dev ?? false }, 'Next.js ready');
  return { url, close };
}
