import snappy from 'snappyjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPipeline, type Pipeline } from '~/collectors/pipeline';
import { startHttpListener, type HttpListener } from '~/collectors/http/server';
import { parseConfig } from '~/server/config';
import { tempDb, type TempDb } from '~/test/helpers/temp-db';
import {
  encodeWriteRequest,
  encodeWriteRequestV2,
  postWrite,
} from '~/test/fixtures/metrics/remote-write';
import { STALE_NAN } from './decode';
import { remoteWriteRoutes } from './receiver';

let t: TempDb;
let pipeline: Pipeline;
let listener: HttpListener;
let url: string;

beforeAll(async () => {
  t = await tempDb({
    MESHLENS_BATCH_MAX_WAIT_MS: '20',
    MESHLENS_MAX_BODY_BYTES: String(1 << 20),
  });
  pipeline = createPipeline({ db: t.db, config: t.config });
  listener = await startHttpListener({
    name: 'otlp-http',
    host: '127.0.0.1',
    port: 0,
    routes: remoteWriteRoutes({ config: t.config, pipeline }),
  });
  url = `${listener.url}/api/v1/write`;
});
afterAll(async () => {
  await listener.close();
  await pipeline.close();
  await t.close();
});

const now = Date.now() - 120_000;
const edge = {
  __name__: 'istio_requests_total',
  reporter: 'destination',
  source_workload: 'productpage-v1',
  source_workload_namespace: 'bookinfo',
  destination_canonical_service: 'reviews',
  destination_service_namespace: 'bookinfo',
  connection_security_policy: 'mutual_tls',
  response_code: '200',
  request_protocol: 'http',
  response_flags: '-',
  job: 'kubernetes-pods',
  instance: '10.0.0.7:15020',
};

async function samplesOf(name: string) {
  return t.rows<{
    Value: number | null;
    Increase: number | null;
    Stale: number;
    Source: string;
    Job: string;
  }>(
    'SELECT Value, Increase, Stale, Source, Job FROM {db:Identifier}.metric_samples WHERE MetricName = {n:String} ORDER BY Timestamp',
    { n: name },
  );
}

describe('remote_write 1.0 receiver', () => {
  it('answers 204 only once stored, with reset-aware increases and stale markers kept as flags', async () => {
    const body = encodeWriteRequest([
      {
        labels: edge,
        samples: [
          { value: 10, timestamp: now },
          { value: 25, timestamp: now + 15_000 },
          { value: 4, timestamp: now + 30_000 },
        ],
      },
    ]);
    expect((await postWrite(url, body)).status).toBe(204);
    const stale = encodeWriteRequest([
      {
        labels: edge,
        samples: [{ value: STALE_NAN, timestamp: now + 45_000 }],
      },
    ]);
    expect((await postWrite(url, stale)).status).toBe(204);
    const rows = await samplesOf('istio_requests_total');
    expect(rows.map((r) => r.Increase)).toEqual([null, 15, 4, null]);
    expect(rows.map((r) => r.Stale)).toEqual([0, 0, 0, 1]);
    expect(rows[0]).toMatchObject({
      Source: 'remote_write',
      Job: 'kubernetes-pods',
    });
    const [series] = await t.rows<{ Labels: Record<string, string> }>(
      "SELECT Labels FROM {db:Identifier}.metric_series WHERE MetricName = 'istio_requests_total'",
    );
    expect(series!.Labels).toMatchObject({
      reporter: 'destination',
      instance: '10.0.0.7:15020',
    });
    expect(series!.Labels.__name__).toBeUndefined();
    const [rollup] = await t.rows<{ r: number; mtls: string }>(
      "SELECT sum(Requests) r, any(Mtls) mtls FROM {db:Identifier}.edge_rollups_1m WHERE Signal = 'metrics' AND DestinationService = 'reviews'",
    );
    expect(rollup).toEqual({ r: 19, mtls: 'yes' });
  });

  it('does not count a retried request twice', async () => {
    const labels = { ...edge, response_code: '503' };
    expect(
      (
        await postWrite(
          url,
          encodeWriteRequest([
            { labels, samples: [{ value: 1, timestamp: now }] },
          ]),
        )
      ).status,
    ).toBe(204);
    const second = encodeWriteRequest([
      { labels, samples: [{ value: 3, timestamp: now + 15_000 }] },
    ]);
    expect((await postWrite(url, second)).status).toBe(204);
    expect((await postWrite(url, second)).status).toBe(204);
    const [row] = await t.rows<{ r: number }>(
      "SELECT sum(Requests) r FROM {db:Identifier}.edge_rollups_1m WHERE Signal = 'metrics' AND ResponseCode = 503",
    );
    expect(row!.r).toBe(2);
  });

  it('answers 400 for bad snappy, bad protobuf and a huge label, and stores the valid series', async () => {
    const badSnappy = await postWrite(
      url,
      Buffer.from([0x20, 0x01, 0x02, 0x03, 0xff, 0xff]),
    );
    expect(badSnappy.status).toBe(400);
    expect(badSnappy.body).toMatch(/snappy/);
    const badProto = await postWrite(
      url,
      Buffer.from(snappy.compress(Buffer.from('this is not protobuf at all'))),
    );
    expect(badProto.status).toBe(400);
    expect(badProto.body).toMatch(/WriteRequest/);
    const huge = await postWrite(
      url,
      encodeWriteRequest([
        {
          labels: { __name__: 'ok_gauge', job: 'x' },
          samples: [{ value: 1, timestamp: now }],
        },
        {
          labels: { __name__: 'huge', big: 'x'.repeat(100_000) },
          samples: [{ value: 1, timestamp: now }],
        },
      ]),
    );
    expect(huge.status).toBe(400);
    expect(huge.body).toMatch(/1 series refused \(1 samples stored\)/);
    expect(await samplesOf('ok_gauge')).toHaveLength(1);
    expect(await samplesOf('huge')).toHaveLength(0);
    await pipeline.flush();
    const [dl] = await t.rows<{ n: number }>(
      "SELECT count() n FROM {db:Identifier}.dead_letters WHERE Source = 'prometheus_remote_write'",
    );
    expect(dl!.n).toBe(1);
  });

  it('answers 415 for other encodings or messages, and 413 for a decompression bomb', async () => {
    const body = encodeWriteRequest([
      { labels: { __name__: 'x' }, samples: [{ value: 1, timestamp: now }] },
    ]);
    expect(
      (await postWrite(url, body, { 'content-encoding': 'gzip' })).status,
    ).toBe(415);
    const wrongType = await postWrite(url, body, {
      'content-type': 'application/json',
    });
    expect(wrongType.status).toBe(415);
    expect(wrongType.body).toMatch(/x-protobuf/);
    const bomb = Buffer.from(snappy.compress(Buffer.alloc(4 << 20)));
    expect((await postWrite(url, bomb)).status).toBe(413);
  });

  it('accepts remote_write 2.0 and says how much it wrote', async () => {
    const res = await postWrite(
      url,
      encodeWriteRequestV2([
        {
          labels: { __name__: 'v2_gauge', job: 'v2' },
          samples: [{ value: 7, timestamp: now }],
        },
      ]),
      {
        'content-type':
          'application/x-protobuf;proto=io.prometheus.write.v2.Request',
        'x-prometheus-remote-write-version': '2.0.0',
      },
    );
    expect(res.status).toBe(204);
    expect(res.headers['x-prometheus-remote-write-samples-written']).toBe('1');
    expect((await samplesOf('v2_gauge'))[0]!.Value).toBe(7);
  });

  it('answers 503 with Retry-After when the pipeline is full, so Prometheus retries', async () => {
    const config = parseConfig({
      MESHLENS_DATA_DIR: t.dataDir,
      CLICKHOUSE_DATABASE: t.db.database,
      MESHLENS_QUEUE_MAX_ROWS: '2',
      MESHLENS_BATCH_MAX_WAIT_MS: '60000',
      MESHLENS_BATCH_MAX_ROWS: '1000',
    });
    const slow = createPipeline({ db: t.db, config });
    const l = await startHttpListener({
      name: 'otlp-http',
      host: '127.0.0.1',
      port: 0,
      routes: remoteWriteRoutes({ config, pipeline: slow }),
    });
    // An idle sink writes at once (group commit); this write starts the 60 s insert interval,
    // so the next request's rows wait in the queue.
    const priming = await postWrite(
      `${l.url}/api/v1/write`,
      encodeWriteRequest([
        {
          labels: { __name__: 'bp', i: '0' },
          samples: [{ value: 1, timestamp: now }],
        },
      ]),
    );
    expect(priming.status).toBe(204);
    const first = postWrite(
      `${l.url}/api/v1/write`,
      encodeWriteRequest([
        {
          labels: { __name__: 'bp', i: '1' },
          samples: [{ value: 1, timestamp: now }],
        },
      ]),
    );
    await new Promise((r) => setTimeout(r, 100));
    const refused = await postWrite(
      `${l.url}/api/v1/write`,
      encodeWriteRequest(
        [1, 2, 3].map((i) => ({
          labels: { __name__: 'bp', i: String(i + 1) },
          samples: [{ value: 1, timestamp: now }],
        })),
      ),
    );
    expect(refused.status).toBe(503);
    expect(refused.headers['retry-after']).toBeDefined();
    await slow.flush();
    expect((await first).status).toBe(204);
    await l.close();
    await slow.close();
  });
});
