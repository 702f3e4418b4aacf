/**
 * Cross-field rules of a scenario (run by zod's superRefine after the field schemas pass):
 * references resolve, rates are consistent with the protocol, nothing is unobservable, and
 * downstream calls form no cycle. Each problem is added at the path of the offending field.
 */
import type { z } from 'zod';

/** The parts of a parsed scenario these rules read (kept structural to avoid a type cycle). */
interface Shape {
  clusters: string[];
  workloads: {
    name: string;
    namespace: string;
    kind: string;
    replicas?: { cluster: string }[] | undefined;
  }[];
  services: {
    name: string;
    namespace: string;
    external: boolean;
    workloads?: Record<string, number> | undefined;
  }[];
  edges: {
    id: string;
    source: string;
    service: string;
    via?: string | undefined;
    protocol: string;
    mtls: boolean;
    requestsPerSec?: number | undefined;
    callsPerRequest?: number | undefined;
    connectionsPerSec?: number | undefined;
    errors: {
      percent: number;
      code?: number | undefined;
      grpcStatus?: number | undefined;
    }[];
    faults?:
      | {
          abort?: { percent: number } | undefined;
          delay?: { percent: number } | undefined;
        }
      | undefined;
    retries?: { exhaustedPercent: number } | undefined;
    circuitBreaker?: { overflowPercent: number } | undefined;
  }[];
}

type Ctx = z.core.$RefinementCtx;

function issue(ctx: Ctx, path: (string | number)[], message: string): void {
  ctx.addIssue({ code: 'custom', path, message });
}

export function checkReferences(s: Shape, ctx: Ctx): void {
  const workloads = new Map<string, Shape['workloads'][number]>();
  s.workloads.forEach((w, i) => {
    const key = `${w.namespace}/${w.name}`;
    if (workloads.has(key))
      issue(ctx, ['workloads', i, 'name'], `duplicate workload "${key}"`);
    workloads.set(key, w);
    w.replicas?.forEach((r, j) => {
      if (!s.clusters.includes(r.cluster))
        issue(
          ctx,
          ['workloads', i, 'replicas', j, 'cluster'],
          `unknown cluster "${r.cluster}" (clusters: ${s.clusters.join(', ')})`,
        );
    });
  });

  const services = new Map<string, Shape['services'][number]>();
  s.services.forEach((svc, i) => {
    const key = `${svc.namespace}/${svc.name}`;
    if (services.has(key))
      issue(ctx, ['services', i, 'name'], `duplicate service "${key}"`);
    services.set(key, svc);
    const targets = Object.keys(svc.workloads ?? {});
    if (svc.external && targets.length > 0)
      issue(
        ctx,
        ['services', i, 'workloads'],
        'an external service (ServiceEntry host) has no workloads',
      );
    if (!svc.external && targets.length === 0)
      issue(
        ctx,
        ['services', i, 'workloads'],
        'a mesh service needs at least one workload',
      );
    for (const t of targets) {
      if (!workloads.has(`${svc.namespace}/${t}`))
        issue(
          ctx,
          ['services', i, 'workloads', t],
          `no workload "${t}" in namespace "${svc.namespace}"`,
        );
    }
  });

  const gatewayOnly = (svcKey: string) => {
    const svc = services.get(svcKey);
    const names = Object.keys(svc?.workloads ?? {});
    return (
      names.length > 0 &&
      names.every(
        (n) => workloads.get(`${svc?.namespace}/${n}`)?.kind === 'gateway',
      )
    );
  };
  /** Workloads that receive requests (destinations of non-via edges). */
  const served = new Set<string>();
  for (const e of s.edges) {
    const svc = services.get(e.service);
    if (svc && !e.via)
      for (const n of Object.keys(svc.workloads ?? {}))
        served.add(`${svc.namespace}/${n}`);
  }

  const ids = new Set<string>();
  s.edges.forEach((e, i) => {
    const at = (...p: (string | number)[]) => ['edges', i, ...p];
    if (ids.has(e.id)) issue(ctx, at('id'), `duplicate edge id "${e.id}"`);
    ids.add(e.id);
    const src = workloads.get(e.source);
    const svc = services.get(e.service);
    if (!src) issue(ctx, at('source'), `no workload "${e.source}"`);
    if (!svc) issue(ctx, at('service'), `no service "${e.service}"`);
    if (e.via !== undefined) {
      const via = services.get(e.via);
      if (!via) issue(ctx, at('via'), `no service "${e.via}"`);
      else if (!gatewayOnly(e.via))
        issue(
          ctx,
          at('via'),
          `"${e.via}" must be a service whose workloads are gateways`,
        );
      if (e.protocol !== 'http')
        issue(
          ctx,
          at('via'),
          'only http calls go through an egress gateway here',
        );
    } else if (svc && gatewayOnly(e.service)) {
      issue(
        ctx,
        at('service'),
        'calls to a gateway service must name the final service and use "via"',
      );
    }

    const rates = (
      ['requestsPerSec', 'callsPerRequest', 'connectionsPerSec'] as const
    ).filter((k) => e[k] !== undefined);
    if (rates.length !== 1)
      issue(
        ctx,
        at('requestsPerSec'),
        `set exactly one of requestsPerSec, callsPerRequest, connectionsPerSec (found ${rates.length})`,
      );
    if (e.protocol === 'tcp' && e.connectionsPerSec === undefined)
      issue(ctx, at('connectionsPerSec'), 'tcp edges need connectionsPerSec');
    if (e.protocol !== 'tcp' && e.connectionsPerSec !== undefined)
      issue(
        ctx,
        at('connectionsPerSec'),
        `connectionsPerSec is for tcp edges; use requestsPerSec or callsPerRequest for ${e.protocol}`,
      );

    if (src?.kind === 'no-sidecar') {
      if (e.mtls)
        issue(
          ctx,
          at('mtls'),
          'a workload without a sidecar cannot originate Istio mTLS',
        );
      if (svc?.external || e.via !== undefined)
        issue(
          ctx,
          at('service'),
          'no proxy would report this call: a workload without a sidecar must call a mesh service',
        );
    }
    if (src?.kind === 'gateway' && e.callsPerRequest !== undefined)
      issue(
        ctx,
        at('callsPerRequest'),
        'gateways only forward; give the gateway edge requestsPerSec or use "via"',
      );
    if (e.callsPerRequest !== undefined && src && !served.has(e.source))
      issue(
        ctx,
        at('callsPerRequest'),
        `"${e.source}" receives no requests, so this edge would never fire; use requestsPerSec`,
      );

    if (e.protocol === 'tcp') {
      if (e.errors.length)
        issue(ctx, at('errors'), 'tcp edges have no response codes');
      if (e.faults || e.retries || e.circuitBreaker)
        issue(
          ctx,
          at('protocol'),
          'faults, retries and circuitBreaker apply to http/grpc edges',
        );
    }
    e.errors.forEach((er, j) => {
      if (e.protocol === 'http' && er.code === undefined)
        issue(ctx, at('errors', j, 'code'), 'http errors need a code');
      if (e.protocol === 'http' && er.grpcStatus !== undefined)
        issue(
          ctx,
          at('errors', j, 'grpcStatus'),
          'grpcStatus is for grpc edges',
        );
      if (
        e.protocol === 'grpc' &&
        er.code === undefined &&
        er.grpcStatus === undefined
      )
        issue(
          ctx,
          at('errors', j),
          'grpc errors need a grpcStatus (or an HTTP code)',
        );
    });
    const errorSum = e.errors.reduce((a, er) => a + er.percent, 0);
    if (errorSum > 100)
      issue(ctx, at('errors'), `error percents add up to ${errorSum} (> 100)`);
    const localSum =
      (e.faults?.abort?.percent ?? 0) +
      (e.retries?.exhaustedPercent ?? 0) +
      (e.circuitBreaker?.overflowPercent ?? 0);
    if (localSum > 100)
      issue(
        ctx,
        at('faults'),
        `abort + retries.exhaustedPercent + circuitBreaker.overflowPercent = ${localSum} (> 100)`,
      );
  });

  checkCycles(s, services, ctx);
}

/** Downstream calls (callsPerRequest) must not loop back, or one request would never end. */
function checkCycles(
  s: Shape,
  services: Map<string, Shape['services'][number]>,
  ctx: Ctx,
): void {
  const next = new Map<string, { to: string; edge: number }[]>();
  s.edges.forEach((e, i) => {
    if (e.callsPerRequest === undefined) return;
    const svc = services.get(e.service);
    if (!svc) return;
    for (const n of Object.keys(svc.workloads ?? {})) {
      const list = next.get(e.source) ?? [];
      list.push({ to: `${svc.namespace}/${n}`, edge: i });
      next.set(e.source, list);
    }
  });
  const state = new Map<string, 'open' | 'done'>();
  const visit = (w: string): boolean => {
    if (state.get(w) === 'done') return false;
    if (state.get(w) === 'open') return true;
    state.set(w, 'open');
    for (const { to, edge } of next.get(w) ?? []) {
      if (visit(to)) {
        issue(
          ctx,
          ['edges', edge, 'callsPerRequest'],
          `downstream calls form a cycle through "${to}"`,
        );
        return false;
      }
    }
    state.set(w, 'done');
    return false;
  };
  for (const w of next.keys()) visit(w);
}
