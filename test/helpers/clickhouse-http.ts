/**
 * A stand-in ClickHouse server for server-mode tests (the store-outage scenario, the scale-out
 * e2e with every role in its own process). There is no ClickHouse server
 * binary on this machine (chDB is the engine as a library; the npm packages are clients), so
 * this serves ClickHouse's HTTP interface minimally over a real chDB engine in the test
 * process: POST / with the SQL in the body, or `?query=INSERT ... FORMAT X` with the rows in the
 * body; `param_<name>` query parameters; other URL parameters are settings; GET /ping.
 * Errors are answered as ClickHouse does: HTTP 500/503, `X-ClickHouse-Exception-Code`, and a
 * body `Code: N. DB::Exception: message. (NAME) (version ...)` that @clickhouse/client parses.
 *
 * Known difference: chdb/connection applies a request's settings with SET on the engine's one
 * session, so they outlast the request (ClickHouse scopes them to the query). Harmless while
 * every client sends the same settings (server/db/client.ts commonSettings); a test that sends
 * other settings must not rely on later requests running without them.
 *
 * Credentials (Basic auth, `X-ClickHouse-User`, or the `user`/`password` URL parameters) are
 * read but not checked: every user may do everything. `statements` keeps who sent what, in
 * the spirit of `system.query_log` (user and SQL; an INSERT without its rows), so a test that
 * gives each process its own CLICKHOUSE_USER can tell which process sent which statement.
 *
 * Faults, switched at any time with `setMode`:
 *   'ok'      answers normally
 *   'errors'  answers every request 503 `Code: 202 ... (TOO_MANY_SIMULTANEOUS_QUERIES)`
 *   'down'    resets every connection without answering (a dead or unreachable server)
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Socket } from 'node:net';
import { createClient, type ClickHouseClient } from '@clickhouse/client';
import { createChdbConnection } from 'chdb/connection';

export type StoreMode = 'ok' | 'errors' | 'down';

export interface Statement {
  user: string;
  sql: string;
}

export interface ClickHouseHttp {
  url: string;
  /** A client on the engine itself (bypasses the HTTP faults), to check what was stored. */
  client: ClickHouseClient;
  setMode(mode: StoreMode): void;
  /** Requests answered per mode ('down' counts reset connections). */
  requests: Record<StoreMode, number>;
  /** The SQL of every request answered, in arrival order. */
  statements: Statement[];
  close(): Promise<void>;
}

const NOT_SETTINGS = new Set([
  'query',
  'database',
  'query_id',
  'session_id',
  'role',
  'user',
  'password',
]);

/** The user a request authenticates as, the ways ClickHouse's HTTP interface accepts. */
function userOf(req: http.IncomingMessage, url: URL): string {
  const header = req.headers['x-clickhouse-user'];
  if (typeof header === 'string' && header) return header;
  const auth = req.headers.authorization;
  if (auth?.startsWith('Basic ')) {
    const [user] = Buffer.from(auth.slice(6), 'base64')
      .toString('utf8')
      .split(':');
    if (user) return user;
  }
  return url.searchParams.get('user') || 'default';
}

function errorBody(code: number, name: string, message: string): string {
  return `Code: ${code}. DB::Exception: ${message}. (${name}) (version 25.8.1.1 (meshlens test stand-in))\n`;
}

export async function startClickHouseHttp(
  dataDir: string,
): Promise<ClickHouseHttp> {
  const connection = createChdbConnection({ path: dataDir });
  const client = createClient({
    connection: connection as unknown as NonNullable<
      Parameters<typeof createClient>[0]
    >['connection'],
  });
  let mode: StoreMode = 'ok';
  const requests: Record<StoreMode, number> = { ok: 0, errors: 0, down: 0 };
  const statements: Statement[] = [];
  const sockets = new Set<Socket>();

  const server = http.createServer((req, res) => {
    if (mode === 'down') {
      requests.down++;
      req.socket.destroy();
      return;
    }
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (mode === 'errors') {
        requests.errors++;
        const body = errorBody(
          202,
          'TOO_MANY_SIMULTANEOUS_QUERIES',
          'Too many simultaneous queries. Maximum: 100',
        );
        res.writeHead(503, {
          'content-type': 'text/plain; charset=UTF-8',
          'x-clickhouse-exception-code': '202',
        });
        res.end(body);
        return;
      }
      requests.ok++;
      void answer(req, Buffer.concat(chunks).toString('utf8'), res);
    });
  });

  async function answer(
    req: http.IncomingMessage,
    body: string,
    res: http.ServerResponse,
  ): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://x');
    if (url.pathname === '/ping') {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end('Ok.\n');
      return;
    }
    const query_params: Record<string, string> = {};
    const clickhouse_settings: Record<string, string> = {};
    for (const [k, v] of url.searchParams) {
      if (k.startsWith('param_')) query_params[k.slice(6)] = v;
      else if (!NOT_SETTINGS.has(k)) clickhouse_settings[k] = v;
    }
    const urlQuery = url.searchParams.get('query');
    const queryId = url.searchParams.get('query_id') ?? crypto.randomUUID();
    statements.push({ user: userOf(req, url), sql: urlQuery ?? body });
    try {
      const result = await connection.exec({
        query: urlQuery ?? body,
        values: urlQuery ? body : undefined,
        query_params,
        clickhouse_settings,
        query_id: queryId,
      } as Parameters<typeof connection.exec>[0]);
      const out: Buffer[] = [];
      for await (const c of result.stream) out.push(Buffer.from(c as Buffer));
      res.writeHead(200, {
        'content-type': 'text/plain; charset=UTF-8',
        'x-clickhouse-query-id': queryId,
      });
      res.end(Buffer.concat(out));
    } catch (err) {
      const e = err as { code?: string; type?: string; message?: string };
      const code = Number(e.code ?? 1000);
      res.writeHead(500, {
        'content-type': 'text/plain; charset=UTF-8',
        'x-clickhouse-exception-code': String(code),
      });
      res.end(
        errorBody(
          code,
          e.type ?? 'UNKNOWN_EXCEPTION',
          e.message ?? String(err),
        ),
      );
    }
  }

  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    client,
    requests,
    statements,
    setMode(next) {
      mode = next;
      // Kept-alive connections must see the fault too.
      if (next === 'down') for (const s of sockets) s.destroy();
    },
    async close() {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await client.close();
    },
  };
}
