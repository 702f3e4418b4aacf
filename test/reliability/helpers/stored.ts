/**
 * Reads what a (stopped) Meshlens process stored in its embedded data folder, from this test
 * process: chDB binds one folder per process, so call it only after the app has exited.
 */
import { parseConfig, setConfig } from '~/server/config';
import { closeDb, getDb, type Db } from '~/server/db/client';

export async function openStore(dataDir: string): Promise<Db> {
  const config = parseConfig({ MESHLENS_DATA_DIR: dataDir });
  setConfig(config);
  return getDb(config);
}

export async function closeStore(): Promise<void> {
  await closeDb();
}

export async function queryRows<T>(
  db: Db,
  query: string,
  params: Record<string, unknown> = {},
): Promise<T[]> {
  const rs = await db.client.query({
    query,
    query_params: { db: db.database, ...params },
    format: 'JSONEachRow',
  });
  return rs.json<T>();
}

/** SpanIds stored for `service`, with how often each occurs. */
export async function storedSpanIds(
  db: Db,
  service: string,
): Promise<Map<string, number>> {
  const rows = await queryRows<{ id: string; n: number | string }>(
    db,
    `SELECT SpanId AS id, count() AS n FROM {db:Identifier}.otel_traces
     WHERE ServiceName = {service:String} GROUP BY SpanId`,
    { service },
  );
  return new Map(rows.map((r) => [r.id, Number(r.n)]));
}

/** Acknowledged ids missing from the store, and ids stored more than once. */
export function compareAcked(
  ackedIds: string[],
  stored: Map<string, number>,
): { missing: number; duplicated: number } {
  let missing = 0;
  for (const id of ackedIds) if (!stored.has(id)) missing++;
  let duplicated = 0;
  for (const n of stored.values()) if (n > 1) duplicated += n - 1;
  return { missing, duplicated };
}

/** Scrapes a Prometheus text endpoint into name{labels} -> value. */
export async function scrapeMetrics(url: string): Promise<Map<string, number>> {
  const res = await fetch(url, { signal: AbortSignal.timeout(10_000) });
  const text = await res.text();
  const out = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const i = line.lastIndexOf(' ');
    out.set(line.slice(0, i), Number(line.slice(i + 1)));
  }
  return out;
}
