import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateWindow } from './generate';
import { DEFAULT_SCENARIO_PATH } from './index';
import { meshOf } from './mesh';
import { loadScenario, type Scenario } from './scenario';
import { spanJobs } from './span-builder';
import { SpanEmitter } from './span-emitter';
import {
  startOtlpReceiver,
  type DecodedSpan,
  type OtlpReceiver,
} from './testdata/otlp-receiver';

const scenario = loadScenario(DEFAULT_SCENARIO_PATH);
const log = pino({ level: 'silent' });
const T0 = Date.UTC(2025, 5, 1, 10, 0, 0);
const SERVER = 2;
const CLIENT = 3;

const REQUIRED_ATTRIBUTES = [
  'node_id',
  'component',
  'guid:x-request-id',
  'http.url',
  'http.method',
  'http.protocol',
  'http.status_code',
  'response_flags',
  'request_size',
  'response_size',
  'upstream_cluster',
  'upstream_cluster.name',
  'peer.address',
  'istio.canonical_service',
  'istio.canonical_revision',
  'istio.mesh_id',
  'istio.namespace',
  'istio.cluster_id',
];

describe('span emitter over OTLP/HTTP protobuf', () => {
  let receiver: OtlpReceiver;
  const hops = generateWindow(scenario, T0, T0 + 20_000, 8);
  const expected = hops.flatMap(spanJobs);

  beforeAll(async () => {
    receiver = await startOtlpReceiver();
    const emitter = new SpanEmitter({
      url: receiver.url,
      mesh: meshOf(scenario),
      log,
      batchSize: 400,
    });
    emitter.emit(hops);
    await emitter.drain();
    const stats = emitter.stats();
    await emitter.stop();
    expect(stats).toMatchObject({
      exported: expected.length,
      dropped: 0,
      exportFailures: 0,
      queued: 0,
    });
  });

  afterAll(async () => {
    await receiver.close();
  });

  it('delivers every sidecar span as protobuf, in batches', () => {
    expect(expected.length).toBeGreaterThan(1000);
    expect(receiver.spans).toHaveLength(expected.length);
    expect(receiver.requests).toBeGreaterThan(1);
    expect(new Set(receiver.contentTypes)).toEqual(
      new Set(['application/x-protobuf']),
    );
    expect(new Set(receiver.spans.map((s) => s.spanId)).size).toBe(
      receiver.spans.length,
    );
    expect(
      receiver.spans.every(
        (s) =>
          /^[0-9a-f]{32}$/.test(s.traceId) && /^[0-9a-f]{16}$/.test(s.spanId),
      ),
    ).toBe(true);
  });

  it('links spans into one tree per trace: SERVER under the matching CLIENT', () => {
    const byTrace = new Map<string, DecodedSpan[]>();
    for (const s of receiver.spans)
      byTrace.set(s.traceId, [...(byTrace.get(s.traceId) ?? []), s]);
    expect(byTrace.size).toBe(hops.filter((h) => h.isRoot && h.sampled).length);
    const problems: string[] = [];
    for (const [traceId, spans] of byTrace) {
      const byId = new Map(spans.map((s) => [s.spanId, s]));
      const roots = spans.filter((s) => s.parentSpanId === '');
      if (roots.length !== 1)
        problems.push(`${traceId}: ${roots.length} roots`);
      for (const s of spans) {
        if (s.parentSpanId === '') continue;
        const parent = byId.get(s.parentSpanId);
        if (!parent) {
          problems.push(`${traceId}: parent of ${s.name} missing`);
          continue;
        }
        if (s.startNs < parent.startNs || s.endNs > parent.endNs)
          problems.push(`${traceId}: ${s.name} outside its parent`);
        if (s.kind === SERVER) {
          if (parent.kind !== CLIENT || parent.name !== s.name)
            problems.push(`${traceId}: SERVER ${s.name} not under its CLIENT`);
          if (
            parent.attributes['guid:x-request-id'] !==
            s.attributes['guid:x-request-id']
          )
            problems.push(`${traceId}: request id differs`);
        }
      }
    }
    expect(problems.slice(0, 5)).toEqual([]);
  });

  it('makes ingress traces start at the gateway CLIENT span and run down to ratings', () => {
    const roots = receiver.spans.filter(
      (s) =>
        s.parentSpanId === '' &&
        s.serviceName === 'istio-ingressgateway.istio-system',
    );
    expect(roots.length).toBeGreaterThan(0);
    for (const r of roots) {
      expect(r.kind).toBe(CLIENT);
      expect(r.name).toBe(
        'productpage.bookinfo.svc.cluster.local:9080/productpage',
      );
      expect(r.attributes.node_id).toMatch(
        /^router~10\.\d+\.\d+\.\d+~istio-ingressgateway-.+\.istio-system~istio-system\.svc\.cluster\.local$/,
      );
      expect(r.attributes.upstream_cluster).toBe(
        'outbound|9080||productpage.bookinfo.svc.cluster.local',
      );
    }
    const ratings = receiver.spans.find(
      (s) => s.kind === SERVER && s.serviceName === 'ratings.bookinfo',
    );
    expect(ratings?.name).toBe('ratings.bookinfo.svc.cluster.local:9080/*');
    const chain: string[] = [];
    const byId = new Map(receiver.spans.map((s) => [s.spanId, s]));
    for (let s = ratings; s; s = byId.get(s.parentSpanId))
      chain.unshift(`${s.serviceName}:${s.kind}`);
    expect(chain[0]).toBe(`istio-ingressgateway.istio-system:${CLIENT}`);
    expect(chain).toContain(`productpage.bookinfo:${SERVER}`);
    expect(chain).toContain(`reviews.bookinfo:${CLIENT}`);
  });

  it('carries the Envoy and Istio attributes of traces.md section 7', () => {
    const missing = receiver.spans.flatMap((s) =>
      REQUIRED_ATTRIBUTES.filter((a) => !(a in s.attributes)).map(
        (a) => `${s.name}: ${a}`,
      ),
    );
    expect(missing.slice(0, 5)).toEqual([]);
    expect(new Set(receiver.spans.map((s) => s.attributes.component))).toEqual(
      new Set(['proxy']),
    );
    expect(
      new Set(receiver.spans.map((s) => s.attributes['istio.mesh_id'])),
    ).toEqual(new Set(['cluster.local']));
    const server = receiver.spans.find((s) => s.kind === SERVER);
    expect(server?.attributes.upstream_cluster).toMatch(/^inbound\|\d+\|\|$/);
    const fi = receiver.spans.find((s) => s.attributes.response_flags === 'FI');
    expect(fi?.attributes['http.status_code']).toBe('503');
    expect(fi?.attributes.error).toBe('true');
    expect(fi?.statusCode).toBe(2);
    const grpc = receiver.spans.find(
      (s) => s.attributes['grpc.status_code'] === '14',
    );
    expect(grpc?.attributes['http.status_code']).toBe('200');
    expect(grpc?.statusCode).toBe(2);
    const legacy = receiver.spans.filter(
      (s) => s.kind === SERVER && s.parentSpanId === '',
    );
    expect(legacy.length).toBeGreaterThan(0);
    expect(legacy.every((s) => s.serviceName === 'productpage.bookinfo')).toBe(
      true,
    );
  });
});

describe('span emitter when the receiver is missing', () => {
  it('counts failures, keeps a bounded queue, and never throws', async () => {
    const gone = await startOtlpReceiver();
    const url = gone.url;
    await gone.close();
    const hops = generateWindow(scenario, T0, T0 + 20_000, 8);
    const total = hops.flatMap(spanJobs).length;
    const emitter = new SpanEmitter({
      url,
      mesh: meshOf(scenario),
      log,
      maxQueuedSpans: 1000,
      timeoutMs: 300,
    });
    emitter.emit(hops);
    expect(await emitter.flush()).toBe(false);
    expect(emitter.healthy).toBe(false);
    expect(emitter.stats()).toMatchObject({
      exported: 0,
      exportFailures: 1,
      queued: 1000,
      dropped: total - 1000,
    });
    await emitter.stop();
    expect(emitter.stats()).toMatchObject({ queued: 0, dropped: total });
  });

  it('counts a receiver that answers 404 as a failure', async () => {
    const notFound = await startOtlpReceiver(404);
    const emitter = new SpanEmitter({
      url: notFound.url,
      mesh: meshOf(scenario),
      log,
      timeoutMs: 1000,
    });
    emitter.emit(generateWindow(scenario, T0, T0 + 2000, 8));
    expect(await emitter.flush()).toBe(false);
    expect(emitter.stats().exportFailures).toBe(1);
    await emitter.stop();
    await notFound.close();
  });

  it('sends nothing for traces that were not sampled', () => {
    const none: Scenario = {
      ...scenario,
      tracing: { ...scenario.tracing, samplingPercent: 0 },
    };
    expect(generateWindow(none, T0, T0 + 20_000, 8).flatMap(spanJobs)).toEqual(
      [],
    );
  });
});
