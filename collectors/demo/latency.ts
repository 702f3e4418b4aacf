/**
 * Latency distributions of the scenario turned into samplers of whole milliseconds (Envoy logs
 * and Istio metrics record integer ms, so the simulator only ever produces integers and the
 * truth is exact across every signal).
 */
import type { Rng } from './prng';
import type { LatencySpec } from './scenario';

/** Draws one latency in whole milliseconds (>= 0). */
export type LatencySampler = (rng: Rng) => number;

/** z-score of the 95th percentile of a standard normal. */
const Z95 = 1.6448536269514722;

/** Log-normal parameters (mu, sigma of ln X) from a median and a 95th percentile. */
export function lognormalParams(
  medianMs: number,
  p95Ms: number,
): { mu: number; sigma: number } {
  return {
    mu: Math.log(medianMs),
    sigma: (Math.log(p95Ms) - Math.log(medianMs)) / Z95,
  };
}

export function latencySampler(spec: LatencySpec): LatencySampler {
  if (spec.kind === 'lognormal') {
    const { mu, sigma } = lognormalParams(spec.medianMs, spec.p95Ms);
    return (rng) =>
      Math.min(
        spec.maxMs,
        Math.max(1, Math.round(Math.exp(mu + sigma * rng.normal()))),
      );
  }
  const buckets = spec.buckets;
  return (rng) => {
    const b = rng.pickWeighted(buckets, (x) => x.weight);
    return rng.int(b.minMs, b.maxMs);
  };
}
