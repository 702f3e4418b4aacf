/**
 * For integration tests of the span receivers: a real embedded ClickHouse, the real pipeline and
 * the real listeners on 127.0.0.1 port 0. Not used by production code.
 */
import type { Config } from '~/server/config';
import { tempDb, type TempDb } from '~/test/helpers/temp-db';
import { createPipeline, type Pipeline } from '../../pipeline';
import { startGrpcListener, type GrpcListener } from '../../grpc/server';
import { startHttpListener, type HttpListener } from '../../http/server';
import { receivers } from '../index';

export interface SpanReceivers {
  config: Config;
  pipeline: Pipeline;
  otlpHttp: HttpListener;
  zipkin: HttpListener;
  grpc: GrpcListener;
  close(): Promise<void>;
}

/**
 * Test knobs: a short batch wait so offers resolve fast, and the longest retention so fixture
 * spans from years ago are not dropped by the TTL as they are inserted.
 */
export const TEST_ENV = {
  MESHLENS_BATCH_MAX_WAIT_MS: '20',
  MESHLENS_TTL_SPANS_DAYS: '3650',
  MESHLENS_TTL_ROLLUPS_DAYS: '3650',
  MESHLENS_TTL_DEAD_LETTERS_DAYS: '3650',
};

/** Starts the three listeners over a pipeline on `db`; `adjust` edits the config first. */
export async function startSpanReceivers(
  db: TempDb,
  adjust: (c: Config) => Config = (c) => c,
): Promise<SpanReceivers> {
  const config = adjust(db.config);
  const pipeline = createPipeline({
    db: db.db,
    config,
    replayIntervalMs: 60_000,
  });
  const r = receivers({ config, pipeline });
  const otlpHttp = await startHttpListener({
    name: 'otlp-http',
    host: '127.0.0.1',
    port: 0,
    routes: r.otlpHttp,
  });
  const zipkin = await startHttpListener({
    name: 'zipkin',
    host: '127.0.0.1',
    port: 0,
    routes: r.zipkin,
  });
  const grpc = await startGrpcListener({
    host: '127.0.0.1',
    port: 0,
    services: r.grpc,
    maxReceiveBytes: config.pipeline.maxBodyBytes,
  });
  return {
    config,
    pipeline,
    otlpHttp,
    zipkin,
    grpc,
    async close() {
      await Promise.all([otlpHttp.close(), zipkin.close(), grpc.close()]);
      await pipeline.close();
    },
  };
}

/** A config with some env values changed (e.g. a token or a small body limit). */
export function withEnv(
  config: Config,
  env: Partial<Config['env']>,
  pipeline: Partial<Config['pipeline']> = {},
): Config {
  return {
    ...config,
    env: { ...config.env, ...env },
    pipeline: { ...config.pipeline, ...pipeline },
  };
}

/**
 * A temp database for span tests. The spans TTL is removed: fixtures from 2016 are older than the
 * longest retention and would be dropped as they are inserted.
 */
export async function startTestDb(): Promise<TempDb> {
  const db = await tempDb(TEST_ENV);
  await db.db.client.command({
    query: `ALTER TABLE ${db.db.database}.otel_traces REMOVE TTL`,
  });
  return db;
}
