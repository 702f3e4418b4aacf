/**
 * One HTTP/gRPC call and, recursively, the downstream calls the destination app makes while
 * serving it (so a trace spans gateway -> productpage -> reviews -> ratings). Timing rules:
 * the client sidecar adds 1-2 ms around the server sidecar's window; the destination app makes
 * its downstream calls one after another, then spends its own (scenario) latency.
 * Local replies of the client sidecar (fault abort FI, retries exhausted URX,UF, circuit breaker
 * UO) never reach the destination: only the source reports them.
 */
import type { Rng } from './prng';
import type { Edge, Mesh, Pod, Service } from './mesh';
import {
  assign,
  drawAppResult,
  drawLocalReply,
  ephemeralPort,
  localReply,
  sampleBytes,
} from './call-outcome';
import type { SimRequest } from './sim-request';

export interface TraceContext {
  mesh: Mesh;
  rng: Rng;
  out: SimRequest[];
  traceId: string;
  sampled: boolean;
  /** x-request-id shared by the whole trace when apps forward it. */
  requestId: string;
  depth: number;
}

/** How a gateway's downstream connection looks (gateway hops only). */
export interface Downstream {
  remote: string;
  local: string;
  sni: string | null;
  xff: string | null;
}

const MAX_DEPTH = 12;

function pickPod(rng: Rng, pods: readonly Pod[]): Pod {
  return rng.pickWeighted(pods, (p) => p.weight);
}

/** Makes one call on `edge` from `sourcePod` at `startMs`; returns the hop the caller sees. */
export function makeCall(
  ctx: TraceContext,
  edge: Edge,
  sourcePod: Pod,
  startMs: number,
  parentSpanId: string | null,
  isRoot: boolean,
  downstream: Downstream | null,
): SimRequest {
  return edge.via
    ? callViaGateway(
        ctx,
        edge,
        edge.via,
        sourcePod,
        startMs,
        parentSpanId,
        isRoot,
      )
    : directCall(
        ctx,
        edge,
        sourcePod,
        startMs,
        parentSpanId,
        isRoot,
        downstream,
        'direct',
      );
}

function directCall(
  ctx: TraceContext,
  edge: Edge,
  sourcePod: Pod,
  startMs: number,
  parentSpanId: string | null,
  isRoot: boolean,
  downstream: Downstream | null,
  hop: SimRequest['hop'],
): SimRequest {
  const { rng } = ctx;
  const spec = edge.spec;
  const svc = edge.service;
  const grpc = spec.protocol === 'grpc';
  const local = drawLocalReply(rng, edge);
  const delayMs =
    local !== 'FI' &&
    spec.faults?.delay &&
    rng.chance(spec.faults.delay.percent)
      ? spec.faults.delay.delayMs
      : 0;
  const dest =
    !svc.external && local !== 'FI' && local !== 'UO'
      ? rng.pickWeighted(svc.split, (s) => s.weight).workload
      : null;
  const destPod = dest ? pickPod(rng, dest.pods) : null;
  const path = spec.paths[rng.int(0, spec.paths.length - 1)] ?? '/';
  const appPort = ephemeralPort(rng);
  const upstreamPort = ephemeralPort(rng);
  const inboundPort = ephemeralPort(rng);
  const overheadMs = rng.int(1, 2);
  const req: SimRequest = {
    edgeId: edge.id,
    hop,
    protocol: spec.protocol,
    startMs,
    durationMs: 0,
    upstreamServiceTimeMs: null,
    sourcePod,
    destWorkload: dest,
    destPod,
    service: svc,
    server: null,
    method: spec.method,
    path,
    authority: edge.authority,
    userAgent: edge.userAgent,
    httpVersion: edge.httpVersion,
    xForwardedFor: downstream?.xff ?? null,
    responseCode: 200,
    grpcStatus: grpc ? 0 : null,
    responseFlags: delayMs > 0 ? 'DI' : '-',
    responseCodeDetails: 'via_upstream',
    transportFailureReason: null,
    requestBytes: sampleBytes(spec.requestBytes, rng),
    responseBytes: 0,
    mtls: hop === 'from-gateway' ? false : spec.mtls,
    retries: 0,
    addr: {
      downstreamRemote: downstream?.remote ?? `${sourcePod.ip}:${appPort}`,
      downstreamLocal: downstream?.local ?? `${svc.address}:${svc.port}`,
      upstreamLocal: `${sourcePod.ip}:${sourcePod.proxied ? upstreamPort : appPort}`,
      upstreamHost: destPod
        ? `${destPod.ip}:${svc.targetPort}`
        : svc.external
          ? `${svc.address}:${svc.port}`
          : null,
      inboundUpstreamLocal: `127.0.0.6:${inboundPort}`,
      requestedServerName: downstream?.sni ?? null,
    },
    requestId: ctx.mesh.scenario.tracing.propagateRequestId
      ? ctx.requestId
      : rng.uuid(),
    traceId: ctx.traceId,
    clientSpanId: sourcePod.proxied ? rng.hex(8) : null,
    parentSpanId,
    sampled: ctx.sampled,
    isRoot,
    spanName: `${svc.host}:${svc.port}${edge.routeMatch}`,
    routeName: spec.route?.name ?? '-',
  };

  if (local) {
    assign(req, localReply(local, grpc, spec.faults?.abort?.code ?? 503));
    req.durationMs =
      delayMs + (local === 'URX' ? rng.int(20, 80) : rng.int(0, 1));
    req.retries = local === 'URX' ? (spec.retries?.attempts ?? 3) - 1 : 0;
    req.addr.upstreamLocal = null;
    if (local === 'UO') req.addr.upstreamHost = null;
  } else if (!destPod || !destPod.proxied) {
    // External host: answered, but no destination proxy reports it.
    const latencyMs = edge.latency(rng);
    assign(req, drawAppResult(rng, edge));
    req.responseBytes = sampleBytes(spec.responseBytes, rng);
    req.durationMs = delayMs + latencyMs + overheadMs;
    req.upstreamServiceTimeMs = latencyMs + overheadMs - 1;
  } else {
    const serverStartMs = startMs + delayMs + (overheadMs >= 2 ? 1 : 0);
    const serverSpanId = rng.hex(8);
    let t = serverStartMs + 1;
    if (ctx.depth < MAX_DEPTH) {
      ctx.depth++;
      for (const child of ctx.mesh.childEdges.get(destPod.workload.key) ?? []) {
        const calls = child.spec.callsPerRequest ?? 0;
        const n = Math.floor(calls) + (rng.next() < calls % 1 ? 1 : 0);
        for (let i = 0; i < n; i++) {
          const sub = makeCall(
            ctx,
            child,
            destPod,
            t,
            serverSpanId,
            false,
            null,
          );
          t = sub.startMs + sub.durationMs + rng.int(0, 1);
        }
      }
      ctx.depth--;
    }
    const serverDurationMs = t - serverStartMs + edge.latency(rng);
    assign(req, drawAppResult(rng, edge));
    req.responseBytes = sampleBytes(spec.responseBytes, rng);
    req.server = {
      startMs: serverStartMs,
      durationMs: serverDurationMs,
      appMs: Math.max(0, serverDurationMs - rng.int(0, 1)),
      spanId: serverSpanId,
    };
    req.durationMs = delayMs + serverDurationMs + overheadMs;
    req.upstreamServiceTimeMs = serverDurationMs + overheadMs - 1;
  }
  ctx.out.push(req);
  return req;
}

/** source -> egress gateway (hop 1, source-reported only) -> external host (hop 2, by the gateway). */
function callViaGateway(
  ctx: TraceContext,
  edge: Edge,
  gatewayService: Service,
  sourcePod: Pod,
  startMs: number,
  parentSpanId: string | null,
  isRoot: boolean,
): SimRequest {
  const { rng } = ctx;
  const gateway = rng.pickWeighted(
    gatewayService.split,
    (s) => s.weight,
  ).workload;
  const gatewayPod = pickPod(rng, gateway.pods);
  const appPort = ephemeralPort(rng);
  const upstreamPort = ephemeralPort(rng);
  const hop1SpanId = sourcePod.proxied ? rng.hex(8) : null;
  const gatewayListener = `${gatewayPod.ip}:${gatewayService.targetPort}`;
  const downstream: Downstream = {
    remote: `${sourcePod.ip}:${upstreamPort}`,
    local: gatewayListener,
    sni: edge.service.host,
    xff: sourcePod.ip,
  };
  const hop2 = directCall(
    ctx,
    edge,
    gatewayPod,
    startMs + 1,
    hop1SpanId,
    false,
    downstream,
    'from-gateway',
  );
  const hop1: SimRequest = {
    ...hop2,
    hop: 'to-gateway',
    startMs,
    durationMs: hop2.durationMs + 2,
    upstreamServiceTimeMs: hop2.durationMs + 1,
    sourcePod,
    destWorkload: gateway,
    destPod: gatewayPod,
    service: gatewayService,
    server: null,
    xForwardedFor: null,
    responseFlags: '-',
    responseCodeDetails: 'via_upstream',
    transportFailureReason: null,
    mtls: edge.spec.mtls,
    retries: 0,
    addr: {
      downstreamRemote: `${sourcePod.ip}:${appPort}`,
      downstreamLocal: `${edge.service.address}:${edge.service.port}`,
      upstreamLocal: `${sourcePod.ip}:${upstreamPort}`,
      upstreamHost: gatewayListener,
      inboundUpstreamLocal: hop2.addr.inboundUpstreamLocal,
      requestedServerName: null,
    },
    clientSpanId: hop1SpanId,
    parentSpanId,
    isRoot,
    spanName: `${gatewayService.host}:${gatewayService.port}/*`,
    routeName: '-',
  };
  ctx.out.push(hop1);
  return hop1;
}
