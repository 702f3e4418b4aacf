/**
 * Traffic generation: a pure function of (scenario, window, seed).
 *
 * Root edges (requestsPerSec / connectionsPerSec) get arrivals per wall-clock second: the count
 * is floor(rate) plus one with probability frac(rate), at uniform millisecond offsets. Each
 * second and each arrival draws from its own seeded stream (seed, edge, second, index), so a
 * window is exactly the union of its seconds: generating [a, c) equals generating [a, b) and
 * [b, c), and the same second is identical however often it is generated. An arrival belongs to
 * the window its root start falls in; its downstream calls (which start a little later) come
 * with it.
 */
import type { Scenario } from './scenario';
import { meshOf, type Edge, type Mesh, type Pod } from './mesh';
import { rngFor, type Rng } from './prng';
import { ephemeralPort, sampleBytes } from './call-outcome';
import { makeCall, type Downstream, type TraceContext } from './generate-call';
import type { SimRequest } from './sim-request';

/** Arrival offsets (ms within the second, sorted) for a rate per second. */
export function arrivalOffsets(ratePerSec: number, rng: Rng): number[] {
  const n = Math.floor(ratePerSec) + (rng.next() < ratePerSec % 1 ? 1 : 0);
  const offsets: number[] = [];
  for (let i = 0; i < n; i++) offsets.push(rng.int(0, 999));
  return offsets.sort((a, b) => a - b);
}

/**
 * All hops whose root arrival falls in [fromMs, toMs), sorted by start time (stable).
 * Pure and deterministic for (scenario, fromMs, toMs, seed).
 */
export function generateWindow(
  scenario: Scenario,
  fromMs: number,
  toMs: number,
  seed: number,
): SimRequest[] {
  return generateMeshWindow(meshOf(scenario), fromMs, toMs, seed);
}

/** `generateWindow` over a compiled mesh (e.g. one with a fault switched on, fault.ts). */
export function generateMeshWindow(
  mesh: Mesh,
  fromMs: number,
  toMs: number,
  seed: number,
): SimRequest[] {
  const out: SimRequest[] = [];
  for (let s = Math.floor(fromMs / 1000) * 1000; s < toMs; s += 1000) {
    for (const edge of mesh.rootEdges)
      generateSecond(mesh, edge, s, seed, fromMs, toMs, out);
  }
  return out.sort((a, b) => a.startMs - b.startMs);
}

function generateSecond(
  mesh: Mesh,
  edge: Edge,
  secondMs: number,
  seed: number,
  fromMs: number,
  toMs: number,
  out: SimRequest[],
): void {
  const rate = edge.spec.requestsPerSec ?? edge.spec.connectionsPerSec ?? 0;
  const offsets = arrivalOffsets(
    rate,
    rngFor(seed, 'arrivals', edge.id, secondMs),
  );
  offsets.forEach((offsetMs, i) => {
    const startMs = secondMs + offsetMs;
    if (startMs < fromMs || startMs >= toMs) return;
    const rng = rngFor(seed, 'arrival', edge.id, secondMs, i);
    const sourcePod = rng.pickWeighted(edge.source.pods, (p) => p.weight);
    if (edge.spec.protocol === 'tcp') {
      out.push(tcpConnection(edge, sourcePod, startMs, rng));
      return;
    }
    const ctx: TraceContext = {
      mesh,
      rng,
      out,
      traceId: rng.hex(16),
      sampled: rng.chance(mesh.scenario.tracing.samplingPercent),
      requestId: rng.uuid(),
      depth: 0,
    };
    makeCall(
      ctx,
      edge,
      sourcePod,
      startMs,
      null,
      true,
      gatewayDownstream(mesh, sourcePod, rng),
    );
  });
}

/** A gateway root's downstream: an external client (TEST-NET-2) on the gateway listener. */
function gatewayDownstream(mesh: Mesh, pod: Pod, rng: Rng): Downstream | null {
  if (!pod.gateway) return null;
  const clientIp =
    mesh.externalClientIps[rng.int(0, mesh.externalClientIps.length - 1)] ??
    '198.51.100.10';
  return {
    remote: `${clientIp}:${ephemeralPort(rng)}`,
    local: `${pod.ip}:${pod.workload.listenPort}`,
    sni: null,
    xff: clientIp,
  };
}

/** One TCP connection (opened and closed within its lifetime); both sidecars report it. */
function tcpConnection(
  edge: Edge,
  sourcePod: Pod,
  startMs: number,
  rng: Rng,
): SimRequest {
  const svc = edge.service;
  const dest = svc.external
    ? null
    : rng.pickWeighted(svc.split, (s) => s.weight).workload;
  const destPod = dest ? rng.pickWeighted(dest.pods, (p) => p.weight) : null;
  const appPort = ephemeralPort(rng);
  const upstreamPort = ephemeralPort(rng);
  const inboundPort = ephemeralPort(rng);
  const overheadMs = rng.int(1, 2);
  const lifetimeMs = edge.latency(rng);
  return {
    edgeId: edge.id,
    hop: 'direct',
    protocol: 'tcp',
    startMs,
    durationMs: lifetimeMs + overheadMs,
    upstreamServiceTimeMs: null,
    sourcePod,
    destWorkload: dest,
    destPod,
    service: svc,
    server: destPod?.proxied
      ? {
          startMs: startMs + (overheadMs >= 2 ? 1 : 0),
          durationMs: lifetimeMs,
          appMs: lifetimeMs,
          spanId: null,
        }
      : null,
    method: null,
    path: null,
    authority: null,
    userAgent: null,
    httpVersion: null,
    xForwardedFor: null,
    responseCode: 0,
    grpcStatus: null,
    responseFlags: '-',
    responseCodeDetails: null,
    transportFailureReason: null,
    requestBytes: sampleBytes(edge.spec.requestBytes, rng),
    responseBytes: sampleBytes(edge.spec.responseBytes, rng),
    mtls: edge.spec.mtls,
    retries: 0,
    addr: {
      downstreamRemote: `${sourcePod.ip}:${appPort}`,
      downstreamLocal: `${svc.address}:${svc.port}`,
      upstreamLocal: `${sourcePod.ip}:${sourcePod.proxied ? upstreamPort : appPort}`,
      upstreamHost: destPod
        ? `${destPod.ip}:${svc.targetPort}`
        : `${svc.address}:${svc.port}`,
      inboundUpstreamLocal: `127.0.0.6:${inboundPort}`,
      requestedServerName: null,
    },
    requestId: null,
    traceId: null,
    clientSpanId: null,
    parentSpanId: null,
    sampled: false,
    isRoot: false,
    spanName: null,
    routeName: '-',
  };
}
