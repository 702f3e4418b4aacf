/** Operational endpoints on the web port: /metrics (Prometheus), /healthz, /readyz. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { getDb } from './db/client';
import { logger } from './log';
import { runtime } from './runtime';
import { metrics } from './telemetry/metrics';

const log = logger('ops');

async function refreshTableRows(): Promise<void> {
  const db = await getDb();
  const rs = await db.client.query({
    query: `SELECT name, total_rows FROM system.tables
            WHERE database = {db:String} AND total_rows IS NOT NULL`,
    query_params: { db: db.database },
    format: 'JSONEachRow',
  });
  for (const row of await rs.json<{
    name: string;
    total_rows: number | string;
  }>()) {
    metrics().tableRows.set({ table: row.name }, Number(row.total_rows));
  }
}

function send(
  res: ServerResponse,
  status: number,
  type: string,
  body: string,
): void {
  res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' });
  res.end(body);
}

/** Answers the ops paths; returns false for anything else. */
export async function handleOps(
  req: IncomingMessage,
  res: ServerResponse,
): Promise<boolean> {
  const path = (req.url ?? '/').split('?')[0];
  if (req.method !== 'GET' && req.method !== 'HEAD') return false;
  switch (path) {
    case '/metrics': {
      try {
        await refreshTableRows();
      } catch (err) {
        log.warn(
          { err: (err as Error).message },
          'could not read table sizes for /metrics',
        );
      }
      const registry = metrics().registry;
      send(res, 200, registry.contentType, await registry.metrics());
      return true;
    }
    case '/healthz':
      send(res, 200, 'application/json', JSON.stringify({ status: 'ok' }));
      return true;
    case '/readyz': {
      const rt = runtime();
      let store = 'ok';
      try {
        const db = await getDb();
        await db.client
          .query({ query: 'SELECT 1', format: 'JSONEachRow' })
          .then((r) => r.json());
      } catch (err) {
        store = (err as Error).message;
      }
      const ready = rt.ready && store === 'ok';
      send(
        res,
        ready ? 200 : 503,
        'application/json',
        JSON.stringify({
          status: ready ? 'ready' : 'not ready',
          store,
          listeners: rt.listeners,
        }),
      );
      return true;
    }
    default:
      return false;
  }
}
