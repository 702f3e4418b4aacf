/**
 * Envoy / Istio access logs: parser (format.ts, decode.ts), normalization to mesh_requests
 * (normalize.ts), and the inputs: HTTP push (receiver.ts) and file tail (tail.ts). gRPC ALS is
 * in ../envoy-als, OTLP logs in ../otlp-logs; both reuse this folder's decoder and normalizer.
 */
import path from 'node:path';
import type { Config } from '~/server/config';
import { getDb, type Db } from '~/server/db/client';
import type { Pipeline } from '../../pipeline';
import { FileTailer } from './tail';

export { envoyLogsPushRoute } from './receiver';
export { compileFormat } from './format';
export { LineDecoder } from './decode';
export { normalizeRecord } from './normalize';
export { RESPONSE_FLAGS, describeFlag } from './response-flags';
export { FileTailer } from './tail';

export interface FileTailersContext {
  config: Config;
  pipeline: Pipeline;
  /** Defaults to the process's client (getDb). */
  db?: Db;
}

export interface FileTailers {
  tailer: FileTailer;
  /** Stops reading, waits for the batch in flight, saves offsets. Call before pipeline.close(). */
  stop(): Promise<void>;
}

/**
 * Starts tailing MESHLENS_ACCESS_LOG_FILES (offsets in <dataDir>/tail-offsets.json).
 * Returns undefined when no files are configured.
 */
export async function startFileTailers(
  ctx: FileTailersContext,
): Promise<FileTailers | undefined> {
  const patterns = (ctx.config.env.MESHLENS_ACCESS_LOG_FILES ?? '')
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean);
  if (patterns.length === 0) return undefined;
  const tailer = new FileTailer({
    patterns,
    pipeline: ctx.pipeline,
    db: ctx.db ?? (await getDb(ctx.config)),
    offsetsFile: path.join(ctx.config.dataDir, 'tail-offsets.json'),
    customFormat: ctx.config.env.MESHLENS_ACCESS_LOG_FORMAT,
    batchLines: ctx.config.pipeline.batchMaxRows,
  });
  tailer.start();
  return { tailer, stop: () => tailer.stop() };
}
