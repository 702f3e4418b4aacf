import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { describe, expect, it } from 'vitest';
import {
  grpcStatusName,
  istioEdgeKey,
  normalizeResponseFlags,
} from './istio-edge';
import {
  BucketLadders,
  buildEdgeRollups,
  INF_BUCKET_KEY,
} from './istio-rollup';

/** Labels of an istio/proxy expected-metric template, with the Go template parts resolved. */
function testdataLabels(
  file: string,
  vars: Record<string, string> = {},
): Record<string, string> {
  let text = fs.readFileSync(
    path.resolve(
      import.meta.dirname,
      '../../../test/fixtures/metrics/istio-proxy-testdata',
      file,
    ),
    'utf8',
  );
  // {{- if .Vars.X }} A {{- else }} B {{- end }}: keep the branch the vars select
  text = text.replace(
    /\{\{-? if (?:eq )?\.Vars\.(\w+)(?: "(\w+)")? \}\}([\s\S]*?)(?:\{\{-? else if[\s\S]*?)?\{\{-? else \}\}([\s\S]*?)\{\{-? end \}\}/g,
    (_m, name: string, eq: string | undefined, yes: string, no: string) =>
      (eq ? vars[name] === eq : Boolean(vars[name])) ? yes : no,
  );
  text = text.replace(
    /\{\{-? if eq \.Vars\.\w+ "\w+" \}\}[\s\S]*?\{\{-? end \}\}/g,
    '',
  );
  text = text.replace(
    /\{\{ \.Vars\.(\w+) \}\}/g,
    (_m, name: string) => vars[name] ?? '',
  );
  const doc = YAML.parse(text) as {
    metric: { label: { name: string; value: string | number }[] }[];
  };
  return Object.fromEntries(
    doc.metric[0]!.label.map((l) => [l.name, String(l.value)]),
  );
}

describe('istioEdgeKey (Istio labels -> rollup columns)', () => {
  it('maps a destination-reported HTTP request (istio/proxy server_request_total)', () => {
    const key = istioEdgeKey(testdataLabels('server_request_total.yaml.tmpl'))!;
    expect(key).toEqual({
      Reporter: 'destination',
      SourceCluster: 'client-cluster',
      SourceNamespace: 'default',
      SourceWorkload: 'productpage-v1',
      SourceService: 'productpage-v1',
      SourceVersion: 'version-1',
      SourcePrincipal: '',
      DestinationCluster: 'server-cluster',
      DestinationNamespace: 'default',
      DestinationWorkload: 'ratings-v1',
      DestinationService: 'ratings',
      DestinationVersion: 'version-1',
      DestinationPrincipal: '',
      Protocol: 'http',
      Mtls: 'no',
      ResponseCode: 200,
      GrpcStatus: '',
      ResponseFlags: '',
    });
  });

  it('never takes mTLS from the source reporter, and maps gRPC status names', () => {
    const key = istioEdgeKey(
      testdataLabels('client_request_total.yaml.tmpl', {
        GrpcResponseStatus: '14',
      }),
    )!;
    expect(key.Reporter).toBe('source');
    expect(key.Mtls).toBe('unknown');
    expect(key.Protocol).toBe('grpc');
    expect(key.GrpcStatus).toBe('UNAVAILABLE');
  });

  it('treats an ambient waypoint as the destination reporter', () => {
    const key = istioEdgeKey(
      testdataLabels('server_waypoint_proxy_request_total.yaml.tmpl'),
    )!;
    expect(key.Reporter).toBe('destination');
    expect(key.DestinationPrincipal).toBe(
      'spiffe://cluster.global/ns/default/sa/ratings',
    );
  });

  it('maps TCP series (no response_code) with mutual_tls to Mtls yes', () => {
    const key = istioEdgeKey(
      testdataLabels('tcp_server_connection_open.yaml.tmpl'),
    )!;
    expect(key).toMatchObject({
      Protocol: 'tcp',
      Mtls: 'yes',
      ResponseCode: 0,
      GrpcStatus: '',
      SourcePrincipal: 'spiffe://cluster.local/ns/default/sa/client',
    });
  });

  it('ignores series without a known reporter', () => {
    expect(
      istioEdgeKey({ component: 'proxy', tag: '1.5-dev' }),
    ).toBeUndefined();
    expect(istioEdgeKey({ reporter: 'somebody' })).toBeUndefined();
  });

  it('normalizes flags and gRPC statuses', () => {
    expect(normalizeResponseFlags('-')).toBe('');
    expect(normalizeResponseFlags('URX,UF')).toBe('UF,URX');
    expect(grpcStatusName('0')).toBe('OK');
    expect(grpcStatusName('')).toBe('');
    expect(grpcStatusName('99')).toBe('99');
  });
});

describe('buildEdgeRollups', () => {
  const labels = {
    reporter: 'destination',
    source_workload: 'a',
    destination_canonical_service: 'b',
    connection_security_policy: 'mutual_tls',
    response_code: '503',
    response_flags: 'UF,URX',
    request_protocol: 'http',
  };
  const t = Date.UTC(2026, 10, 24, 10, 0, 30);
  const bucket = (le: string, increase: number) => ({
    name: 'istio_request_duration_milliseconds_bucket',
    labels: { ...labels, le },
    tsMs: t,
    increase,
  });

  it('turns cumulative bucket increases into non-cumulative counts keyed in µs', () => {
    const ladders = new BucketLadders(100);
    for (const le of ['0.5', '1', '5', '+Inf'])
      ladders.learn(
        BucketLadders.keyOf('istio_request_duration_milliseconds_bucket', {
          ...labels,
          le,
        }),
        le === '+Inf' ? Infinity : Number(le),
      );
    const rows = buildEdgeRollups(
      [
        { name: 'istio_requests_total', labels, tsMs: t, increase: 6 },
        bucket('0.5', 1),
        bucket('1', 3),
        bucket('5', 5),
        bucket('+Inf', 6),
        {
          name: 'istio_request_duration_milliseconds_sum',
          labels,
          tsMs: t,
          increase: 42.5,
        },
        { name: 'istio_response_bytes_sum', labels, tsMs: t, increase: 6000 },
        { name: 'istio_request_bytes_sum', labels, tsMs: t, increase: 600 },
      ],
      ladders,
    );
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      Minute: '2026-11-24 10:00:00',
      Signal: 'metrics',
      Requests: 6,
      SampledRequests: 6,
      DurationSumMs: 42.5,
      BytesSent: 6000,
      BytesReceived: 600,
      Mtls: 'yes',
      ResponseCode: 503,
      ResponseFlags: 'UF,URX',
      DurationBuckets: { '500': 1, '1000': 2, '5000': 2, [INF_BUCKET_KEY]: 1 },
    });
  });

  it('gives the same sums when one histogram arrives split over batches', () => {
    const ladders = new BucketLadders(100);
    for (const le of ['0.5', '1', '5', '+Inf'])
      ladders.learn(
        BucketLadders.keyOf('istio_request_duration_milliseconds_bucket', {
          ...labels,
          le,
        }),
        le === '+Inf' ? Infinity : Number(le),
      );
    const a = buildEdgeRollups([bucket('0.5', 1), bucket('5', 5)], ladders);
    const b = buildEdgeRollups([bucket('1', 3), bucket('+Inf', 6)], ladders);
    const sum: Record<string, number> = {};
    for (const row of [...a, ...b])
      for (const [k, v] of Object.entries(row.DurationBuckets))
        sum[k] = (sum[k] ?? 0) + v;
    for (const k of Object.keys(sum)) if (sum[k] === 0) delete sum[k];
    expect(sum).toEqual({
      '500': 1,
      '1000': 2,
      '5000': 2,
      [INF_BUCKET_KEY]: 1,
    });
  });
});
