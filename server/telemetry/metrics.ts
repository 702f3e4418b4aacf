/**
 * Meshlens' own Prometheus metrics, served at /metrics. Names stay low-cardinality: labels are
 * table, receiver and outcome names, never ids.
 */
import client from 'prom-client';

const holder = globalThis as unknown as {
  __meshlensMetrics?: ReturnType<typeof create>;
};

function create() {
  const registry = new client.Registry();
  client.collectDefaultMetrics({
    register: registry,
    prefix: 'meshlens_process_',
  });
  // prom-client names these gauges *_total, which promtool rejects: a gauge is not a counter.
  for (const name of [
    'active_handles',
    'active_requests',
    'active_resources',
  ]) {
    registry.removeSingleMetric(`meshlens_process_nodejs_${name}_total`);
  }
  return {
    registry,
    ingestRows: new client.Counter({
      name: 'meshlens_ingest_rows_total',
      help: 'Rows handled by the collector pipeline, by table and outcome (inserted, spooled, dead_letter, rejected).',
      labelNames: ['table', 'outcome'] as const,
      registers: [registry],
    }),
    queueRows: new client.Gauge({
      name: 'meshlens_queue_rows',
      help: 'Rows waiting in the pipeline queue, by table.',
      labelNames: ['table'] as const,
      registers: [registry],
    }),
    insertSeconds: new client.Histogram({
      name: 'meshlens_insert_duration_seconds',
      help: 'Time to insert one batch into ClickHouse, by table.',
      labelNames: ['table'] as const,
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [registry],
    }),
    insertErrors: new client.Counter({
      name: 'meshlens_insert_errors_total',
      help: 'Failed insert attempts, by table and kind (retryable, permanent).',
      labelNames: ['table', 'kind'] as const,
      registers: [registry],
    }),
    spoolBytes: new client.Gauge({
      name: 'meshlens_spool_bytes',
      help: 'Bytes of batches waiting in the disk spool for ClickHouse to come back.',
      registers: [registry],
    }),
    deadLetters: new client.Counter({
      name: 'meshlens_dead_letters_total',
      help: 'Records a receiver could not use, by source.',
      labelNames: ['source'] as const,
      registers: [registry],
    }),
    receiverRequests: new client.Counter({
      name: 'meshlens_receiver_requests_total',
      help: 'Requests to the collectors, by receiver and response code.',
      labelNames: ['receiver', 'code'] as const,
      registers: [registry],
    }),
    tableRows: new client.Gauge({
      name: 'meshlens_table_rows',
      help: 'Rows stored per table (refreshed on each scrape).',
      labelNames: ['table'] as const,
      registers: [registry],
    }),
  };
}

export type Metrics = ReturnType<typeof create>;

export function metrics(): Metrics {
  holder.__meshlensMetrics ??= create();
  return holder.__meshlensMetrics;
}
