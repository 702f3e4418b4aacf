import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { LineDecoder, unwrapContainerLine } from './decode';
import { compileFormat, FormatError, type TextFormat } from './format';
import { ISTIO_TEXT_1_9 } from './istio-formats';
import {
  normalizeRecord,
  parseClusterName,
  parseIstioSni,
  traceIdOf,
} from './normalize';
import { describeFlag, RESPONSE_FLAGS, shortFlag } from './response-flags';
import { contextFromLogPath, workloadFromPod } from './context';
import type { MeshRequestRow } from './row';

const fixtures = path.resolve(
  import.meta.dirname,
  '../../../test/fixtures/access-logs',
);
const readLines = (name: string) =>
  fs
    .readFileSync(path.join(fixtures, name), 'utf8')
    .split('\n')
    .filter(Boolean);

function parse(line: string, decoder = new LineDecoder()): MeshRequestRow {
  const rec = decoder.decode(line);
  if (!rec) throw new Error(decoder.explain(line));
  return normalizeRecord(rec, 'file');
}

describe('Istio default text formats', () => {
  const [out, inb, tcp1, tcp2] = readLines(
    'istio-text-default-1.9plus.log',
  ).map((l) => parse(l));

  it('parses the client sidecar line of the 1.9+ format field by field', () => {
    expect(out).toMatchObject({
      Timestamp: '2020-11-25T21:26:18.409Z',
      Kind: 'http',
      Reporter: 'outbound',
      Protocol: 'http',
      Method: 'GET',
      Path: '/status/418',
      ResponseCode: 418,
      ResponseFlags: [],
      DurationMs: 4,
      BytesReceived: 0,
      BytesSent: 135,
      RequestId: '84961386-6d84-929d-98bd-c5aee93b5c88',
      Authority: 'httpbin:8000',
      UpstreamHost: '10.44.1.27:80',
      UpstreamCluster: 'outbound|8000||httpbin.foo.svc.cluster.local',
      DestinationService: 'httpbin',
      DestinationNamespace: 'foo',
      DestinationAddress: '10.44.1.27:80',
      SourceAddress: '10.44.1.23:46520',
      Route: 'default',
      Mtls: 'unknown',
    });
    expect(out!.Extra).toMatchObject({
      response_code_details: 'via_upstream',
      upstream_service_time: '4',
      user_agent: 'curl/7.73.0-DEV',
      protocol: 'HTTP/1.1',
    });
  });

  it('parses the server sidecar line: inbound reporter, destination from the mTLS SNI, mTLS yes', () => {
    expect(inb).toMatchObject({
      Reporter: 'inbound',
      DurationMs: 3,
      UpstreamCluster: 'inbound|8000||',
      DestinationService: 'httpbin',
      DestinationNamespace: 'foo',
      DestinationAddress: '10.44.1.27:80',
      SourceAddress: '10.44.1.23:37652',
      Mtls: 'yes',
    });
  });

  it('links both sidecars of one request by request id and address', () => {
    expect(out!.RequestId).toBe(inb!.RequestId);
    expect(out!.Extra['upstream_local_address']).toBe(inb!.SourceAddress);
  });

  it('turns TCP lines into connection rows with bytes and duration (gateway by its own listener address)', () => {
    expect(tcp1).toMatchObject({
      Kind: 'tcp',
      Protocol: 'tcp',
      Reporter: 'gateway',
      Method: '',
      ResponseCode: 0,
      BytesReceived: 839,
      BytesSent: 2504306,
      DurationMs: 231,
      DestinationService: 'edition.cnn.com',
      UpstreamHost: '151.101.195.5:443',
      RequestId: '',
    });
    expect(tcp1!.Extra['requested_server_name']).toBe('edition.cnn.com');
    expect(tcp2!.Timestamp).toBe('2024-01-12T19:54:01.821Z');
  });

  it('parses the legacy (pre-1.9) formats, each with its own field layout', () => {
    const [l10, l13, l13tcp] = readLines('istio-text-legacy-pre1.9.log').map(
      (l) => parse(l),
    );
    expect(l10).toMatchObject({
      Kind: 'tcp',
      BytesReceived: 627,
      BytesSent: 1879689,
      DurationMs: 44,
      Timestamp: '2019-01-02T11:46:46.981Z',
    });
    expect(l13).toMatchObject({
      Kind: 'http',
      Method: 'GET',
      Path: '/politics',
      ResponseCode: 301,
      DurationMs: 90,
      RequestId: 'ea379962-9b5c-4431-ab66-f01994f5a5a5',
      Authority: 'edition.cnn.com',
      Route: '',
      DestinationService: 'edition.cnn.com',
    });
    expect(l13!.Extra['upstream_service_time']).toBe('89');
    expect(l13!.Extra['x_forwarded_for']).toBe('10.244.2.10');
    expect(l13tcp).toMatchObject({
      Kind: 'tcp',
      BytesReceived: 906,
      BytesSent: 1352475,
      DurationMs: 35,
    });
  });

  it('strips the trailing ";" of %UPSTREAM_CLUSTER% on 1.23+ proxies', () => {
    const line = readLines('istio-text-default-1.9plus.log')[0]!.replace(
      'httpbin.foo.svc.cluster.local ',
      'httpbin.foo.svc.cluster.local; ',
    );
    expect(parse(line).UpstreamCluster).toBe(
      'outbound|8000||httpbin.foo.svc.cluster.local',
    );
  });
});

describe('Istio JSON format (all-string values, 90 captured lines)', () => {
  const entries = readLines('istio-json-format-failure-cases.jsonl').map(
    (l) => JSON.parse(l) as { case: string; entry: Record<string, string> },
  );
  const decoder = new LineDecoder();
  const rows = entries.map((e) => parse(JSON.stringify(e.entry), decoder));

  it('parses every line to the values it holds', () => {
    expect(rows).toHaveLength(90);
    rows.forEach((row, i) => {
      const e = entries[i]!.entry;
      expect(row.ResponseCode).toBe(Number(e.response_code));
      expect(row.RequestId).toBe(e.request_id);
      expect(row.DurationMs).toBe(Number(e.duration));
      expect(row.BytesSent).toBe(Number(e.bytes_sent));
      expect(row.ResponseFlags).toEqual(
        e.response_flags === '-' ? [] : e.response_flags!.split(','),
      );
      expect(row.Reporter).toBe(
        e.upstream_cluster!.startsWith('inbound|') ? 'inbound' : 'outbound',
      );
      expect(row.GrpcStatus).toBe(e.grpc_status === '-' ? '' : e.grpc_status);
      expect(row.Protocol).toBe(e.protocol === 'HTTP/2' ? 'grpc' : 'http');
      expect(row.Timestamp).toBe(e.start_time);
      expect(row.DestinationService).toBe('mock-server');
      expect(row.Extra['upstream_request_attempt_count']).toBe(
        e.upstream_request_attempt_count,
      );
    });
  });

  it('spot-checks a URX,UF connection failure and a gRPC UH on HTTP 200', () => {
    const urx = rows.find(
      (r) => r.RequestId === '6e0d7462-2323-9e73-8dcf-43701a368edb',
    )!;
    expect(urx).toMatchObject({
      ResponseCode: 503,
      ResponseFlags: ['URX', 'UF'],
      UpstreamTransportFailureReason:
        'delayed_connect_error:_Connection_refused',
      DestinationNamespace: 'default',
    });
    const grpcUh = rows.find(
      (r) =>
        r.RequestId === '36a44aa4-990b-9db5-8c98-d00d5b7acbf8' &&
        r.Reporter === 'outbound',
    )!;
    expect(grpcUh).toMatchObject({
      ResponseCode: 200,
      GrpcStatus: 'Unavailable',
      ResponseFlags: ['UH'],
      Protocol: 'grpc',
    });
  });

  it('links client and server sidecar lines by request id (inbound with mTLS SNI is mTLS yes)', () => {
    const pair = rows.filter(
      (r) => r.RequestId === '0432d33a-0ffb-94fc-98fc-b9b322d5eaa3',
    );
    expect(pair.map((r) => r.Reporter).sort()).toEqual(['inbound', 'outbound']);
    const inbound = pair.find((r) => r.Reporter === 'inbound')!;
    expect(inbound.Mtls).toBe('yes');
    expect(inbound.SourceAddress).toBe(
      pair.find((r) => r.Reporter === 'outbound')!.Extra[
        'upstream_local_address'
      ],
    );
  });

  it('takes typed JSON values (numbers, null) as Envoy >= 1.8 writes them', () => {
    const row = parse(
      JSON.stringify({
        start_time: '2024-05-01T10:00:00.000Z',
        response_code: 204,
        duration: 7,
        bytes_sent: 0,
        response_flags: null,
        upstream_cluster: 'outbound|80|v2|reviews.bookinfo.svc.cluster.local',
        method: 'GET',
        path: '/',
        request_id: null,
      }),
    );
    expect(row).toMatchObject({
      ResponseCode: 204,
      DurationMs: 7,
      ResponseFlags: [],
      RequestId: '',
      DestinationService: 'reviews',
      DestinationNamespace: 'bookinfo',
      DestinationVersion: 'v2',
    });
  });
});

describe('custom format strings', () => {
  it('parses a custom format with identities, TLS, gRPC status and trace headers', () => {
    const format =
      '%START_TIME% %REQ(:METHOD)% "%REQ(:PATH)%" %RESPONSE_CODE% %RESPONSE_FLAGS_LONG% %DURATION% %UPSTREAM_CLUSTER_RAW% %DOWNSTREAM_PEER_URI_SAN% %DOWNSTREAM_TLS_VERSION% %GRPC_STATUS(NUMBER)% "%REQ(TRACEPARENT)%" %REQUEST_DURATION% rid=%REQ(X-REQUEST-ID)%';
    const decoder = new LineDecoder({ customFormat: format });
    const row = parse(
      '2024-03-01T12:00:00.123Z POST "/api/v1/x?y=1 z" 200 UpstreamRetryLimitExceeded,NoHealthyUpstream 12 inbound|9080|| spiffe://cluster.local/ns/shop/sa/frontend TLSv1.3 14 "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01" 3 rid=abc',
      decoder,
    );
    expect(row).toMatchObject({
      Reporter: 'inbound',
      Path: '/api/v1/x?y=1 z',
      ResponseFlags: ['URX', 'UH'],
      DurationMs: 12,
      SourcePrincipal: 'spiffe://cluster.local/ns/shop/sa/frontend',
      SourceNamespace: 'shop',
      Mtls: 'yes',
      TlsVersion: 'TLSv1.3',
      GrpcStatus: 'Unavailable',
      TraceId: '4bf92f3577b34da6a3ce929d0e0e4736',
      RequestId: 'abc',
    });
    expect(row.Extra['request_duration']).toBe('3');
  });

  it('says mTLS "no" only when the format logs the TLS version and it is "-"', () => {
    const decoder = new LineDecoder({
      customFormat:
        '[%START_TIME%] %UPSTREAM_CLUSTER% %DOWNSTREAM_TLS_VERSION% %REQ(:AUTHORITY)%',
    });
    expect(
      parse('[2024-03-01T12:00:00.000Z] inbound|80|| - web', decoder).Mtls,
    ).toBe('no');
    expect(
      parse('[2024-03-01T12:00:00.000Z] inbound|80|| TLSv1.2 web', decoder)
        .Mtls,
    ).toBe('unknown');
  });

  it('leaves an outbound line without an upstream connection (a local reply) unknown', () => {
    const decoder = new LineDecoder({
      customFormat:
        '[%START_TIME%] %UPSTREAM_CLUSTER% %UPSTREAM_HOST% %UPSTREAM_TLS_VERSION% %REQ(:AUTHORITY)%',
    });
    const line = (host: string) =>
      parse(
        `[2024-03-01T12:00:00.000Z] outbound|9080||ratings.bookinfo.svc.cluster.local ${host} - ratings:9080`,
        decoder,
      ).Mtls;
    expect(line('10.0.0.7:9080')).toBe('no');
    expect(line('-')).toBe('unknown');
  });

  it('compiles a JSON template format and maps its keys', () => {
    const decoder = new LineDecoder({
      customFormat:
        '{"ts":"%START_TIME%","code":"%RESPONSE_CODE%","c":"%UPSTREAM_CLUSTER_RAW%","b3":"%REQ(X-B3-TRACEID)%"}',
    });
    const row = parse(
      '{"ts":"2024-03-01T12:00:00.000Z","code":"502","c":"outbound|80||a.b.svc.cluster.local","b3":"00f067aa0ba902b7"}',
      decoder,
    );
    expect(row).toMatchObject({
      ResponseCode: 502,
      DestinationService: 'a',
      TraceId: '000000000000000000f067aa0ba902b7',
    });
  });

  it('refuses a format whose operators cannot be split and explains lines that do not fit', () => {
    expect(() => compileFormat('%START_TIME%%DURATION%')).toThrow(FormatError);
    const f = compileFormat(ISTIO_TEXT_1_9) as TextFormat;
    expect(
      f.parse('[2024-01-01T00:00:00Z] "GET / HTTP/1.1" abc'),
    ).toBeUndefined();
    expect(new LineDecoder().explain('hello world')).toMatch(
      /no access-log format fits/,
    );
    expect(new LineDecoder().explain('{"a":1}')).toMatch(
      /none of the access-log keys/,
    );
  });
});

describe('helpers', () => {
  it('strips the CRI prefix and joins nothing for full lines', () => {
    expect(
      unwrapContainerLine('2024-01-11T21:09:42.835123456Z stdout F [x] y'),
    ).toEqual({ text: '[x] y', partial: false });
    expect(
      unwrapContainerLine('2024-01-11T21:09:42.835123456Z stderr P [x'),
    ).toEqual({ text: '[x', partial: true });
    expect(unwrapContainerLine('{"log":"[a] b\\n","stream":"stdout"}')).toEqual(
      { text: '[a] b', partial: false },
    );
  });

  it('splits cluster names and SNIs, and reads trace ids', () => {
    expect(
      parseClusterName('outbound|9080|v2|reviews.default.svc.cluster.local'),
    ).toEqual({
      direction: 'outbound',
      port: '9080',
      subset: 'v2',
      host: 'reviews.default.svc.cluster.local',
    });
    expect(parseClusterName('PassthroughCluster')).toBeUndefined();
    expect(
      parseIstioSni('outbound_.9080_.v2_.reviews.default.svc.cluster.local'),
    ).toEqual({
      port: '9080',
      subset: 'v2',
      host: 'reviews.default.svc.cluster.local',
    });
    expect(
      traceIdOf({
        traceparent: '',
        b3TraceId: '',
        b3: '80f198ee56343ba864fe8b2a57d3eff7-e457b5a2e4d86bd1-1',
      } as never),
    ).toBe('80f198ee56343ba864fe8b2a57d3eff7');
  });

  it('knows the response flags by short and long name', () => {
    expect(shortFlag('UpstreamOverflow')).toBe('UO');
    expect(RESPONSE_FLAGS['URX']!.long).toBe('UpstreamRetryLimitExceeded');
    expect(describeFlag('ZZ')).toMatch(/extension/);
  });

  it('reads pod context from container log paths', () => {
    expect(workloadFromPod('productpage-v1-6b746f74dc-9stp2')).toBe(
      'productpage-v1',
    );
    expect(
      contextFromLogPath(
        '/var/log/pods/bookinfo_reviews-v2-5b667bcbf8-x7k2p_1234/istio-proxy/0.log',
      ),
    ).toMatchObject({
      proxyType: 'sidecar',
      workload: 'reviews-v2',
      namespace: 'bookinfo',
    });
    expect(
      contextFromLogPath(
        '/var/log/pods/istio-system_istio-ingressgateway-7d9f8-abcde_1/istio-proxy/0.log',
      )?.proxyType,
    ).toBe('gateway');
  });
});
