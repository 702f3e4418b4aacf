/**
 * A collector process that only tails files, for the kill -9 / restart test.
 *   node --import tsx tail-runner.ts <dataDir> <glob> [run|idle-exit|count]
 * Prints `COMMITTED <bytes>` as offsets advance, `IDLE` when caught up (idle-exit mode),
 * `COUNT <rows> <distinct request ids>` in count mode.
 */
import { createPipeline } from '~/collectors/pipeline';
import { parseConfig, setConfig } from '~/server/config';
import { closeDb, getDb } from '~/server/db/client';
import { migrate } from '~/server/db/migrate';
import { startFileTailers } from '../index';

const [dataDir, glob, mode = 'run'] = process.argv.slice(2);
const config = parseConfig({
  MESHLENS_DATA_DIR: dataDir,
  CLICKHOUSE_DATABASE: 'tailtest',
  MESHLENS_BATCH_MAX_ROWS: '300',
  MESHLENS_BATCH_MAX_WAIT_MS: '50',
  MESHLENS_ACCESS_LOG_FILES: glob,
  MESHLENS_LOG_LEVEL: 'warn',
});
setConfig(config);
const db = await getDb(config);
await migrate(db, config.ttlDays);

if (mode === 'count') {
  const rs = await db.client.query({
    query:
      'SELECT count() AS n, uniqExact(RequestId) AS u FROM {db:Identifier}.mesh_requests',
    query_params: { db: db.database },
    format: 'JSONEachRow',
  });
  const [row] = await rs.json<{ n: number; u: number }>();
  process.stdout.write(`COUNT ${row!.n} ${row!.u}\n`);
  await closeDb();
  process.exit(0);
}

const pipeline = createPipeline({ db, config });
const tailers = (await startFileTailers({ config, pipeline, db }))!;
let last = -1;
let idleSince = Date.now();
setInterval(() => {
  const files = tailers.tailer.status();
  const committed = files.reduce((s, f) => s + f.offset, 0);
  if (committed !== last) {
    last = committed;
    idleSince = Date.now();
    process.stdout.write(`COMMITTED ${committed}\n`);
  }
  const caughtUp = files.length > 0 && files.every((f) => f.offset === f.size);
  if (mode === 'idle-exit' && caughtUp && Date.now() - idleSince > 1000) {
    void (async () => {
      await tailers.stop();
      await pipeline.close();
      process.stdout.write('IDLE\n');
      await closeDb();
      process.exit(0);
    })();
  }
}, 50);
