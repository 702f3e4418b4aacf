/**
 * Access-log ingest benchmark (run: `npx tsx bench/ingest-logs.bench.ts [lines]`).
 *   1. parse: Istio 1.9+ default-format lines -> mesh_requests rows (decode + normalize), one core.
 *   2. end to end: lines -> AccessLogIngester -> pipeline (batching, JSONEachRow insert) into
 *      the embedded engine, until every offer() resolved.
 *   3. ceiling: the same rows, prebuilt, inserted by the client in pipeline-sized batches
 *      (what the pipeline could do with zero parse cost), and the engine alone copying them
 *      (INSERT ... SELECT), in the same run.
 * Targets (issue 4): parse >= 300,000 lines/s; end to end >= 1/3 of the client ceiling.
 */
import { createPipeline } from '~/collectors/pipeline';
import { AccessLogIngester } from '~/collectors/sources/envoy-access-log/ingest';
import { LineDecoder } from '~/collectors/sources/envoy-access-log/decode';
import { normalizeRecord } from '~/collectors/sources/envoy-access-log/normalize';
import type { MeshRequestRow } from '~/collectors/sources/envoy-access-log/row';
import { istioLine } from '~/collectors/sources/envoy-access-log/testdata/lines';
import { tempDb } from '~/test/helpers/temp-db';

const total = Number(process.argv[2] ?? 100_000);
const batch = 10_000;
const lines = Array.from({ length: total }, (_, i) =>
  istioLine(i, Date.now() - 3_600_000),
);
const rate = (n: number, ms: number) => Math.round(n / (ms / 1000));
const fmt = (n: number) => n.toLocaleString('en-US');

// 1. parse, best of 5 passes (JIT warm-up included in pass 1)
const decoder = new LineDecoder();
let best = 0;
let sink = 0;
for (let pass = 0; pass < 5; pass++) {
  const t0 = performance.now();
  for (const line of lines) {
    const rec = decoder.decode(line)!;
    sink += normalizeRecord(rec, 'file').DurationMs;
  }
  best = Math.max(best, rate(total, performance.now() - t0));
}
let decodeOnly = 0;
for (let pass = 0; pass < 3; pass++) {
  const t0 = performance.now();
  for (const line of lines) sink += decoder.decode(line)!.duration.length;
  decodeOnly = Math.max(decodeOnly, rate(total, performance.now() - t0));
}

const t = await tempDb({
  MESHLENS_BATCH_MAX_ROWS: String(batch),
  MESHLENS_BATCH_MAX_WAIT_MS: '200',
  MESHLENS_QUEUE_MAX_ROWS: String(total * 2),
  MESHLENS_LOG_LEVEL: 'warn',
});
const count = async () =>
  Number(
    (
      await t.rows<{ n: string }>(
        'SELECT count() AS n FROM {db:Identifier}.mesh_requests',
      )
    )[0]!.n,
  );

// ceiling first (same rows, prebuilt; direct client inserts of the pipeline's batch size)
const rows: MeshRequestRow[] = lines.map((l) =>
  normalizeRecord(decoder.decode(l)!, 'file'),
);
const t2 = performance.now();
for (let i = 0; i < total; i += batch) {
  await t.db.client.insert({
    table: `${t.db.database}.mesh_requests`,
    values: rows.slice(i, i + batch),
    format: 'JSONEachRow',
  });
}
const ceiling = rate(total, performance.now() - t2);

// 2. end to end through the pipeline
await t.db.client.command({
  query: `TRUNCATE TABLE ${t.db.database}.mesh_requests`,
});
const pipeline = createPipeline({ db: t.db, config: t.config });
const ingester = new AccessLogIngester(pipeline, 'file');
const t1 = performance.now();
const pending: Promise<void>[] = [];
for (let i = 0; i < total; i += batch)
  pending.push(ingester.write(ingester.decodeLines(lines.slice(i, i + batch))));
await Promise.all(pending);
const e2e = rate(total, performance.now() - t1);
await pipeline.close();
if ((await count()) !== total)
  throw new Error(`end to end stored ${await count()} rows, expected ${total}`);

// 3b. the engine alone: copy the stored rows (MergeTree write + the rollup view)
await t.db.client.command({
  query: `CREATE TABLE ${t.db.database}.mr_copy AS ${t.db.database}.mesh_requests`,
});
await t.db.client.command({
  query: `INSERT INTO ${t.db.database}.mr_copy SELECT * FROM ${t.db.database}.mesh_requests`,
});
const t3 = performance.now();
await t.db.client.command({
  query: `INSERT INTO ${t.db.database}.mesh_requests SELECT * FROM ${t.db.database}.mr_copy`,
});
const engine = rate(total, performance.now() - t3);
await t.close();

console.log(
  `access-log ingest, ${fmt(total)} Istio default-format lines (sink ${sink > 0})`,
);
console.log(
  `  parse (decode + normalize), 1 core : ${fmt(best)} lines/s   (decode only ${fmt(decodeOnly)}; target >= 300,000)`,
);
console.log(`  end to end into embedded engine   : ${fmt(e2e)} lines/s`);
console.log(
  `  ceiling, client insert same rows  : ${fmt(ceiling)} rows/s  -> end to end = ${(e2e / ceiling).toFixed(2)} of it (target >= 0.33)`,
);
console.log(`  engine alone (INSERT ... SELECT)  : ${fmt(engine)} rows/s`);
process.exit(0);
