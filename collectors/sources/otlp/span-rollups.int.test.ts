// The spans side of the edge rollups (migrations/0007_span_rollups.sql), over a real Istio trace.
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TempDb } from '~/test/helpers/temp-db';
import {
  meshIdentityOf,
  parseUpstreamCluster,
} from '../traces-shared/istio-service';
import {
  startSpanReceivers,
  startTestDb,
  type SpanReceivers,
} from '../traces-shared/testing';
import { attributesToMap } from './any-value';
import { decodeOtlpJson } from './decode';

let db: TempDb;
let rx: SpanReceivers;
const BOOKINFO = fs.readFileSync(
  'test/fixtures/traces/tempo-istio-bookinfo-trace.json',
);
const REQUESTS = 3;

/** A reviews -> ratings -> mysqldb client span sampled at 50% (OTel tracestate threshold th:8). */
const sampledSpan = {
  resourceSpans: [
    {
      resource: {
        attributes: [
          { key: 'service.name', value: { stringValue: 'ratings.bookinfo' } },
        ],
      },
      scopeSpans: [
        {
          spans: [
            {
              traceId: 'ab'.repeat(16),
              spanId: 'cd'.repeat(8),
              traceState: 'ot=th:8',
              kind: 3,
              name: 'mysqldb.bookinfo.svc.cluster.local:3306/*',
              startTimeUnixNano: '1701779876000000000',
              endTimeUnixNano: '1701779876000400000',
              attributes: [
                ['component', 'proxy'],
                ['istio.canonical_service', 'ratings'],
                ['istio.namespace', 'bookinfo'],
                [
                  'upstream_cluster',
                  'outbound|3306|v1|mysqldb.bookinfo.svc.cluster.local',
                ],
                ['http.status_code', '503'],
                ['response_flags', 'UF,URX'],
                ['grpc.status_code', '14'],
              ].map(([key, v]) => ({ key, value: { stringValue: v } })),
            },
          ],
        },
      ],
    },
  ],
};

const postJson = (body: string) =>
  fetch(`${rx.otlpHttp.url}/v1/traces`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body,
  });

beforeAll(async () => {
  db = await startTestDb();
  rx = await startSpanReceivers(db);
  for (let i = 0; i < REQUESTS; i++)
    expect((await postJson(BOOKINFO.toString('utf8'))).status).toBe(200);
  expect((await postJson(JSON.stringify(sampledSpan))).status).toBe(200);
});
afterAll(async () => {
  await rx?.close();
  await db?.close();
});

interface Edge {
  Reporter: string;
  SourceNamespace: string;
  SourceWorkload: string;
  SourceService: string;
  SourceVersion: string;
  DestinationNamespace: string;
  DestinationService: string;
  DestinationVersion: string;
  Protocol: string;
  Mtls: string;
  ResponseCode: number;
  GrpcStatus: string;
  ResponseFlags: string;
  Requests: number;
  SampledRequests: number;
  DurationBuckets: Record<string, number>;
}

async function edges(): Promise<Edge[]> {
  return db.rows<Edge>(
    `SELECT Reporter, SourceNamespace, SourceWorkload, SourceService, SourceVersion, DestinationNamespace,
            DestinationService, DestinationVersion, Protocol, Mtls, ResponseCode, GrpcStatus, ResponseFlags,
            sum(Requests) AS Requests, sum(SampledRequests) AS SampledRequests, sumMap(DurationBuckets) AS DurationBuckets
     FROM {db:Identifier}.edge_rollups_1m WHERE Signal = 'spans'
     GROUP BY ALL ORDER BY Reporter, SourceService, DestinationService`,
  );
}

describe('edge rollups from spans', () => {
  it('counts one edge observation per client span, gateway edges included', async () => {
    const rows = await edges();
    const summary = rows.map((e) => [
      e.Reporter,
      `${e.SourceService}.${e.SourceNamespace}`,
      `${e.DestinationService}.${e.DestinationNamespace}`,
      e.Requests,
      e.SampledRequests,
    ]);
    expect(summary).toEqual([
      [
        'destination',
        'unknown.unknown',
        'istio-ingressgateway.istio-system',
        REQUESTS,
        REQUESTS,
      ],
      [
        'source',
        'istio-ingressgateway.istio-system',
        'productpage.bookinfo',
        REQUESTS,
        REQUESTS,
      ],
      [
        'source',
        'productpage.bookinfo',
        'details.bookinfo',
        REQUESTS,
        REQUESTS,
      ],
      [
        'source',
        'productpage.bookinfo',
        'reviews.bookinfo',
        REQUESTS,
        REQUESTS,
      ],
      ['source', 'ratings.bookinfo', 'mysqldb.bookinfo', 2, 1],
      ['source', 'reviews.bookinfo', 'ratings.bookinfo', REQUESTS, REQUESTS],
    ]);
  });

  it('fills workloads, versions, codes, flags and latency buckets (µs upper bounds)', async () => {
    const rows = await edges();
    const gateway = rows.find(
      (e) =>
        e.Reporter === 'source' && e.SourceService === 'istio-ingressgateway',
    );
    // The gateway span lasts 11.932 ms -> the 25 ms bucket.
    expect(gateway).toMatchObject({
      SourceWorkload: 'istio-ingressgateway',
      Protocol: 'http',
      Mtls: 'unknown',
      ResponseCode: 200,
      DurationBuckets: { '25000': REQUESTS },
    });
    const reviews = rows.find((e) => e.SourceService === 'reviews');
    expect(reviews).toMatchObject({
      SourceWorkload: 'reviews-v2',
      SourceVersion: 'v2',
    });
    const mysql = rows.find((e) => e.DestinationService === 'mysqldb');
    expect(mysql).toMatchObject({
      DestinationVersion: 'v1',
      ResponseCode: 503,
      ResponseFlags: 'UF,URX',
      Protocol: 'grpc',
      GrpcStatus: 'UNAVAILABLE',
      DurationBuckets: { '500': 2 },
    });
  });

  it('agrees with meshIdentityOf / parseUpstreamCluster (the SQL mirrors them)', async () => {
    const expected = new Set<string>();
    for (const rs of decodeOtlpJson(BOOKINFO).resourceSpans ?? []) {
      const resource = attributesToMap(rs.resource?.attributes);
      for (const ss of rs.scopeSpans ?? []) {
        for (const span of ss.spans ?? []) {
          if (span.kind !== 'SPAN_KIND_CLIENT') continue;
          const attrs = attributesToMap(span.attributes);
          const src = meshIdentityOf(resource, attrs);
          const dst = parseUpstreamCluster(attrs.upstream_cluster ?? '');
          expected.add(
            [
              src.namespace,
              src.workload,
              src.service,
              src.version,
              dst?.namespace,
              dst?.service,
            ].join('/'),
          );
        }
      }
    }
    const actual = (await edges())
      .filter((e) => e.Reporter === 'source' && e.SourceService !== 'ratings')
      .map((e) =>
        [
          e.SourceNamespace,
          e.SourceWorkload,
          e.SourceService,
          e.SourceVersion,
          e.DestinationNamespace,
          e.DestinationService,
        ].join('/'),
      );
    expect(new Set(actual)).toEqual(expected);
  });
});
