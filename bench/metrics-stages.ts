/**
 * `npx tsx bench/metrics-stages.ts`: where the time of Meshlens' metrics ingest goes, stage by
 * stage, on the data of bench/metrics.ts (no peer: this is a breakdown, not a comparison).
 *   remote_write: snappy -> protobuf -> normalize -> ingest (counter increases, rows, insert)
 *   scrape:       exposition parse -> labels + series id -> ingest
 * Env: SERVICES (200), MINUTES (60), SIDECARS (50), EDGES_PER_SIDECAR (10), ROUNDS (20).
 */
import { createPipeline } from '~/collectors/pipeline';
import { decodeSnappy } from '~/collectors/sources/prometheus-remote-write/decode';
import {
  decodeNormalizeV1,
  SeriesByLabelBytes,
} from '~/collectors/sources/prometheus-remote-write/fast-decode';
import { FamilyTypes } from '~/collectors/sources/prometheus-remote-write/normalize';
import {
  parseScrape,
  TargetSeriesCache,
} from '~/collectors/sources/prometheus-scrape/fast-scrape';
import { MetricsIngester } from '~/collectors/sources/prometheus-shared/ingest';
import { SimulatedSidecar } from '~/test/fixtures/metrics/sidecar-sim';
import { tempDb } from '~/test/helpers/temp-db';
import { graphBodies, graphEdges } from './metrics-graph';

const SERVICES = Number(process.env.SERVICES ?? 200);
const MINUTES = Number(process.env.MINUTES ?? 60);
const SIDECARS = Number(process.env.SIDECARS ?? 50);
const EDGES = Number(process.env.EDGES_PER_SIDECAR ?? 10);
const ROUNDS = Number(process.env.ROUNDS ?? 20);

const t = await tempDb({
  MESHLENS_LOG_LEVEL: 'warn',
  MESHLENS_BATCH_MAX_ROWS: '50000',
  MESHLENS_QUEUE_MAX_ROWS: '2000000',
  MESHLENS_BATCH_MAX_WAIT_MS: '500',
});
const pipeline = createPipeline({ db: t.db, config: t.config });
const stage: Record<string, number> = {};
const time = <T>(name: string, fn: () => T): T => {
  const s = performance.now();
  const v = fn();
  stage[name] = (stage[name] ?? 0) + performance.now() - s;
  return v;
};
const timeAsync = async <T>(name: string, fn: () => Promise<T>): Promise<T> => {
  const s = performance.now();
  const v = await fn();
  stage[name] = (stage[name] ?? 0) + performance.now() - s;
  return v;
};
const report = (title: string, samples: number) => {
  const total = Object.values(stage).reduce((a, b) => a + b, 0);
  console.log(
    `${title}: ${samples.toLocaleString('en-US')} samples, ${((samples / total) * 1000).toFixed(0)} samples/s overall`,
  );
  for (const [k, v] of Object.entries(stage))
    console.log(
      `  ${k.padEnd(28)} ${v.toFixed(0).padStart(7)} ms  ${((v / total) * 100).toFixed(0).padStart(3)} %  ${((samples / v) * 1000).toFixed(0).padStart(10)} samples/s`,
    );
  for (const k of Object.keys(stage)) delete stage[k];
};

try {
  const startMs = Math.floor((Date.now() - 59 * 60_000) / 60_000) * 60_000;
  const { bodies, samples } = graphBodies(
    graphEdges(SERVICES),
    startMs,
    MINUTES,
  );
  const rw = new MetricsIngester(pipeline, {
    source: 'remote_write',
    maxSeries: t.config.env.MESHLENS_METRICS_MAX_SERIES,
    queueMaxRows: t.config.pipeline.queueMaxRows,
  });
  const families = new FamilyTypes();
  const known = new SeriesByLabelBytes(1_000_000);
  for (let m = 0; m < MINUTES; m++) {
    await Promise.all(
      bodies.map(async (shard) => {
        const body = shard[m]!;
        const bytes = time('snappy', () => decodeSnappy(body, 1 << 28));
        const norm = time(
          'protobuf + normalize',
          () => decodeNormalizeV1(bytes, families, known).normalized,
        );
        await timeAsync('ingest (incl. insert wait)', () =>
          rw.ingest(norm.samples),
        );
      }),
    );
  }
  report('remote_write', samples);

  const sims = Array.from({ length: SIDECARS }, (_, i) => {
    const sim = new SimulatedSidecar(
      Array.from({ length: EDGES }, (_, k) => ({
        reporter: 'destination' as const,
        sourceWorkload: `svc-${(i + k + 1) % SIDECARS}-v1`,
        sourceNamespace: 'bench',
        destinationWorkload: `svc-${i}-v1`,
        destinationNamespace: 'bench',
        destinationService: `svc-${i}`,
        responseCode: k % 5 === 4 ? '503' : '200',
      })),
    );
    return sim;
  });
  const sc = new MetricsIngester(pipeline, {
    source: 'scrape',
    maxSeries: t.config.env.MESHLENS_METRICS_MAX_SERIES,
    queueMaxRows: t.config.pipeline.queueMaxRows,
  });
  const caches = sims.map(() => new TargetSeriesCache());
  let scraped = 0;
  for (let r = 0; r < ROUNDS; r++) {
    const ts = Date.now();
    await Promise.all(
      sims.map(async (sim, i) => {
        for (let e = 0; e < EDGES; e++)
          sim.record(e, 1 + ((r * 31 + e * 7) % 400));
        const text = sim.render();
        const batch = time('parse + labels + series id', () =>
          parseScrape(
            text,
            'text',
            { job: 'bench', instance: `10.0.0.${i}:15020` },
            caches[i]!,
            ts,
            new Map(),
            false,
          ),
        ).samples;
        scraped += batch.length;
        await timeAsync('ingest (incl. insert wait)', () => sc.ingest(batch));
      }),
    );
  }
  report('scrape', scraped);
} finally {
  await pipeline.close();
  await t.close();
}
