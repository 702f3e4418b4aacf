import { describe, expect, it } from 'vitest';
import { generateWindow } from './generate';
import { DEFAULT_SCENARIO_PATH } from './index';
import { loadScenario, type Scenario } from './scenario';
import { isError, type SimRequest } from './sim-request';

const scenario = loadScenario(DEFAULT_SCENARIO_PATH);
const T0 = Date.UTC(2025, 5, 1, 10, 0, 0);

/** A stable text form of a hop (object references replaced by names). */
function fingerprint(r: SimRequest): string {
  return JSON.stringify({
    ...r,
    sourcePod: r.sourcePod.name,
    destPod: r.destPod?.name ?? null,
    destWorkload: r.destWorkload?.key ?? null,
    service: r.service.key,
  });
}

const ratio = (part: number, whole: number) =>
  whole === 0 ? NaN : part / whole;

describe('generateWindow', () => {
  it('is deterministic for a seed and differs across seeds', () => {
    const a = generateWindow(scenario, T0, T0 + 20_000, 42).map(fingerprint);
    const b = generateWindow(scenario, T0, T0 + 20_000, 42).map(fingerprint);
    const c = generateWindow(scenario, T0, T0 + 20_000, 43).map(fingerprint);
    expect(a.length).toBeGreaterThan(500);
    expect(b).toEqual(a);
    expect(c).not.toEqual(a);
  });

  it('generates a window as the union of its parts, whatever the split', () => {
    const whole = generateWindow(scenario, T0, T0 + 30_000, 5)
      .map(fingerprint)
      .sort();
    const parts = [
      ...generateWindow(scenario, T0, T0 + 12_345, 5),
      ...generateWindow(scenario, T0 + 12_345, T0 + 30_000, 5),
    ]
      .map(fingerprint)
      .sort();
    expect(parts).toEqual(whole);
  });

  describe('over 30 minutes', () => {
    const reqs = generateWindow(scenario, T0, T0 + 30 * 60_000, 11);
    const seconds = 30 * 60;
    const on = (edgeId: string, hop = 'direct') =>
      reqs.filter((r) => r.edgeId === edgeId && r.hop === hop);

    it('realizes the scenario rates', () => {
      const spec = (id: string) => scenario.edges.find((e) => e.id === id);
      for (const id of ['ingress-productpage', 'legacy-productpage']) {
        const rate = on(id).length / seconds;
        expect(rate).toBeGreaterThan((spec(id)?.requestsPerSec ?? 0) * 0.97);
        expect(rate).toBeLessThan((spec(id)?.requestsPerSec ?? 0) * 1.03);
      }
      const tcp = on('ratings-mysqldb').length / seconds;
      expect(tcp).toBeGreaterThan(
        (spec('ratings-mysqldb')?.connectionsPerSec ?? 0) * 0.97,
      );
      expect(tcp).toBeLessThan(
        (spec('ratings-mysqldb')?.connectionsPerSec ?? 0) * 1.03,
      );
      // One details call per request productpage served.
      const served = reqs.filter(
        (r) => r.destWorkload?.name === 'productpage-v1' && r.server,
      ).length;
      expect(on('productpage-details').length).toBe(served);
      const payments = on('productpage-payments', 'to-gateway').length;
      expect(ratio(payments, served)).toBeGreaterThan(0.08);
      expect(ratio(payments, served)).toBeLessThan(0.12);
    });

    it('splits reviews traffic 50/30/20 between versions', () => {
      const routed = on('productpage-reviews').filter((r) => r.destWorkload);
      const share = (v: string) =>
        ratio(
          routed.filter((r) => r.destWorkload?.name === v).length,
          routed.length,
        );
      expect(share('reviews-v1')).toBeCloseTo(0.5, 1);
      expect(share('reviews-v2')).toBeCloseTo(0.3, 1);
      expect(share('reviews-v3')).toBeCloseTo(0.2, 1);
      expect(Math.abs(share('reviews-v1') - 0.5)).toBeLessThan(0.02);
      expect(Math.abs(share('reviews-v3') - 0.2)).toBeLessThan(0.02);
    });

    it('realizes faults, retries, circuit breaking and app errors', () => {
      const ratings = [
        ...on('reviews-v2-ratings'),
        ...on('reviews-v3-ratings'),
      ];
      const fi = ratings.filter((r) => r.responseFlags === 'FI');
      expect(Math.abs(ratio(fi.length, ratings.length) - 0.1)).toBeLessThan(
        0.015,
      );
      expect(
        fi.every(
          (r) =>
            r.responseCode === 503 &&
            r.server === null &&
            r.destWorkload === null,
        ),
      ).toBe(true);
      const details = on('productpage-details');
      const di = details.filter((r) => r.responseFlags === 'DI');
      expect(Math.abs(ratio(di.length, details.length) - 0.05)).toBeLessThan(
        0.01,
      );
      expect(
        di.every(
          (r) =>
            r.server !== null && r.durationMs >= 2000 + r.server.durationMs,
        ),
      ).toBe(true);
      const reviews = on('productpage-reviews');
      const urx = reviews.filter((r) => r.responseFlags === 'URX,UF');
      expect(Math.abs(ratio(urx.length, reviews.length) - 0.01)).toBeLessThan(
        0.004,
      );
      expect(
        urx.every(
          (r) =>
            r.server === null && r.destWorkload !== null && r.retries === 2,
        ),
      ).toBe(true);
      const external = on('productpage-payments', 'from-gateway');
      const uo = external.filter((r) => r.responseFlags === 'UO');
      expect(Math.abs(ratio(uo.length, external.length) - 0.03)).toBeLessThan(
        0.012,
      );
      const catalog = on('details-catalog');
      expect(
        catalog.every((r) => r.responseCode === 200 && r.grpcStatus !== null),
      ).toBe(true);
      const grpcErrors = catalog.filter(isError);
      expect(
        Math.abs(ratio(grpcErrors.length, catalog.length) - 0.03),
      ).toBeLessThan(0.006);
      const ingress = on('ingress-productpage');
      expect(
        Math.abs(
          ratio(
            ingress.filter((r) => r.responseCode === 500).length,
            ingress.length,
          ) - 0.005,
        ),
      ).toBeLessThan(0.003);
      expect(
        Math.abs(
          ratio(
            ingress.filter((r) => r.responseCode === 404).length,
            ingress.length,
          ) - 0.01,
        ),
      ).toBeLessThan(0.004);
    });

    it('builds well-formed traces: one root, parents exist, children inside their parent', () => {
      const traces = new Map<string, SimRequest[]>();
      for (const r of reqs) {
        if (r.traceId === null) continue;
        const list = traces.get(r.traceId) ?? [];
        list.push(r);
        traces.set(r.traceId, list);
      }
      expect(traces.size).toBe(reqs.filter((r) => r.isRoot).length);
      const problems: string[] = [];
      for (const [traceId, hops] of traces) {
        if (hops.filter((h) => h.isRoot).length !== 1)
          problems.push(`${traceId}: not exactly one root`);
        if (new Set(hops.map((x) => x.sampled)).size !== 1)
          problems.push(`${traceId}: mixed sampling`);
        const spans = new Map<string, { start: number; end: number }>();
        for (const h of hops) {
          if (h.clientSpanId)
            spans.set(h.clientSpanId, {
              start: h.startMs,
              end: h.startMs + h.durationMs,
            });
          if (h.server?.spanId)
            spans.set(h.server.spanId, {
              start: h.server.startMs,
              end: h.server.startMs + h.server.durationMs,
            });
          if (
            h.server &&
            (h.server.startMs < h.startMs ||
              h.server.startMs + h.server.durationMs > h.startMs + h.durationMs)
          )
            problems.push(
              `${traceId}/${h.edgeId}: server window outside the client window`,
            );
        }
        for (const h of hops) {
          if (h.isRoot) {
            if (h.parentSpanId !== null)
              problems.push(`${traceId}: root with a parent`);
            continue;
          }
          const parent = spans.get(h.parentSpanId ?? '');
          if (!parent)
            problems.push(`${traceId}/${h.edgeId}: parent span missing`);
          else if (
            h.startMs < parent.start ||
            h.startMs + h.durationMs > parent.end
          )
            problems.push(`${traceId}/${h.edgeId}: outside its parent span`);
        }
      }
      expect(problems).toEqual([]);
    });

    it('models who can report each hop', () => {
      for (const r of on('legacy-productpage')) {
        expect(r.sourcePod.proxied).toBe(false);
        expect(r.clientSpanId).toBeNull();
        expect(r.mtls).toBe(false);
        expect(r.server).not.toBeNull();
      }
      for (const r of on('productpage-payments', 'to-gateway')) {
        expect(r.server).toBeNull();
        expect(r.destWorkload?.name).toBe('istio-egressgateway');
      }
      for (const r of on('productpage-payments', 'from-gateway')) {
        expect(r.sourcePod.gateway).toBe(true);
        expect(r.destWorkload).toBeNull();
        expect(r.service.host).toBe('api.external-payments.example');
      }
      const crossCluster = reqs.filter(
        (r) => r.destPod && r.destPod.cluster !== r.sourcePod.cluster,
      );
      expect(crossCluster.length).toBeGreaterThan(0);
      expect(
        reqs.every((r) => Number.isInteger(r.durationMs) && r.durationMs >= 0),
      ).toBe(true);
    });
  });

  it('samples whole traces at the scenario percentage', () => {
    const half: Scenario = {
      ...scenario,
      tracing: { ...scenario.tracing, samplingPercent: 25 },
    };
    const roots = generateWindow(half, T0, T0 + 10 * 60_000, 3).filter(
      (r) => r.isRoot,
    );
    const sampled = roots.filter((r) => r.sampled).length / roots.length;
    expect(sampled).toBeGreaterThan(0.22);
    expect(sampled).toBeLessThan(0.28);
  });
});
