import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { tempDb, type TempDb } from '~/test/helpers/temp-db';
import { createPipeline } from '.';

let t: TempDb;
beforeAll(async () => {
  t = await tempDb();
});
afterAll(async () => {
  await t.close();
});

const row = (i: number, extra: Record<string, unknown> = {}) => ({
  Timestamp: new Date(Date.UTC(2026, 10, 24, 10, 0, 0, i)).toISOString(),
  Kind: 'http',
  Reporter: 'inbound',
  Signal: 'spool-test',
  DestinationService: 'reviews',
  RequestId: `spooled-${i}`,
  ResponseCode: 200,
  ...extra,
});

async function count(where: string): Promise<number> {
  const [r] = await t.rows<{ n: number }>(
    `SELECT count() AS n FROM {db:Identifier}.mesh_requests WHERE ${where}`,
  );
  return Number(r?.n);
}

it('replays past a spooled batch ClickHouse refuses for good: bad rows to the dead letters, the rest stored', async () => {
  const pipeline = createPipeline({
    db: t.db,
    config: t.config,
    replayIntervalMs: 100,
  });
  // Spooled while the store was down; meanwhile a row became unstorable (e.g. a schema change).
  await pipeline.spool.write('mesh_requests', [
    row(1),
    row(2, { ResponseCode: 'not a number' }),
    row(3),
  ]);
  await pipeline.spool.write('mesh_requests', [row(4), row(5)]);
  const until = Date.now() + 30_000;
  while (pipeline.spool.list().length > 0 && Date.now() < until)
    await new Promise((r) => setTimeout(r, 100));
  expect(pipeline.spool.list()).toEqual([]);
  expect(pipeline.spool.sizeBytes).toBe(0);
  expect(await count("Signal = 'spool-test'")).toBe(4);
  const [dead] = await t.rows<{ n: number }>(
    `SELECT count() AS n FROM {db:Identifier}.dead_letters
     WHERE Source = 'insert:mesh_requests' AND Payload LIKE '%spooled-2%'`,
  );
  expect(Number(dead?.n)).toBe(1);
  await pipeline.close();
});

it('sets an unreadable spooled batch aside instead of stopping the replay', async () => {
  const pipeline = createPipeline({
    db: t.db,
    config: t.config,
    replayIntervalMs: 100,
  });
  const dir = path.join(pipeline.spool.dir, 'mesh_requests');
  fs.mkdirSync(dir, { recursive: true });
  // Sorts first (oldest): a torn or hand-edited file.
  const bad = path.join(dir, '0000000000000-1-000000.ndjson');
  fs.writeFileSync(bad, '{"Timestamp": "2026-11-24T10:00:00Z", "Kind": \n');
  await pipeline.spool.write('mesh_requests', [row(6)]);
  const until = Date.now() + 30_000;
  while (pipeline.spool.list().length > 0 && Date.now() < until)
    await new Promise((r) => setTimeout(r, 100));
  expect(pipeline.spool.list()).toEqual([]);
  expect(fs.existsSync(`${bad}.unreadable`)).toBe(true);
  expect(await count("RequestId = 'spooled-6'")).toBe(1);
  await pipeline.close();
});
