/**
 * Services: every destination service with its RED figures and a sparkline, and one service's
 * inbound and outbound traffic broken down by peer, version, response code and flag.
 */
import type { Db } from '../db/client';
import { trafficFigures, type TrafficFigures } from '../topology/decorate-edge';
import {
  addMeasures,
  emptyMeasures,
  type TrafficMeasures,
} from '../topology/measures';
import { isExternalDestination } from '../topology/node-identity';
import { trafficSets } from './traffic';
import {
  trafficDetail,
  trafficDetailWithExtra,
  type Detail,
  type WindowInfo,
} from './edges';
import {
  resolveWindow,
  seriesStepSeconds,
  type TrafficFilter,
  type WindowInput,
} from './traffic-filter';

export interface ServiceListInput extends WindowInput {
  namespaces?: readonly string[] | undefined;
  protocols?: readonly string[] | undefined;
  cluster?: string | undefined;
}

export interface ServiceSummary extends TrafficFigures {
  namespace: string;
  service: string;
  kind: 'service' | 'external' | 'unknown';
  /** Versions that served traffic ('' when not known). */
  versions: string[];
  workloads: string[];
  /** Requests (TCP: connections) per second, one value per step of `stepSeconds`. */
  sparkline: number[];
}

export interface ServiceList {
  window: WindowInfo;
  stepSeconds: number;
  services: ServiceSummary[];
}

const isExternal = (ns: string, svc: string) =>
  isExternalDestination({
    destinationWorkload: '',
    destinationService: svc,
    destinationNamespace: ns,
  });
/** One entry per service; an external host is one entry whatever namespace a signal gave it. */
const keyOf = (ns: string, svc: string) =>
  `${isExternal(ns, svc) ? '' : ns}\x1f${svc}`;

/** Every service that received traffic in the window, busiest first. */
export async function serviceList(
  db: Db,
  input: ServiceListInput,
): Promise<ServiceList> {
  const w = resolveWindow(input);
  const stepSeconds = seriesStepSeconds(w, 30);
  const filter: TrafficFilter = {
    destinationNamespaces: input.namespaces,
    protocols: input.protocols,
    cluster: input.cluster,
  };
  const [totals = [], versions = [], series = []] = await trafficSets(
    db,
    w,
    filter,
    [['service'], ['service', 'version'], ['service', 'time']],
    { stepSeconds, limit: 20_000 },
  );
  const steps = Math.max(
    1,
    Math.ceil((w.endMs - w.startMs) / 1000 / stepSeconds),
  );
  const firstStep =
    Math.floor(w.startMs / (stepSeconds * 1000)) * stepSeconds * 1000;
  const sparks = new Map<string, number[]>();
  for (const r of series) {
    const k = keyOf(r.key.dns ?? '', r.key.dsvc ?? '');
    const line = sparks.get(k) ?? new Array<number>(steps).fill(0);
    const i = Math.floor(
      ((r.t ?? firstStep) - firstStep) / (stepSeconds * 1000),
    );
    if (i >= 0 && i < steps)
      line[i] =
        (line[i] ?? 0) +
        (r.measures.requests + r.measures.connections) / stepSeconds;
    sparks.set(k, line);
  }
  const versionsOf = new Map<
    string,
    { versions: Set<string>; workloads: Set<string> }
  >();
  for (const r of versions) {
    const k = keyOf(r.key.dns ?? '', r.key.dsvc ?? '');
    const v = versionsOf.get(k) ?? {
      versions: new Set(),
      workloads: new Set(),
    };
    if (r.key.dw) {
      v.workloads.add(r.key.dw);
      if (r.key.dver) v.versions.add(r.key.dver);
    }
    versionsOf.set(k, v);
  }
  const merged = new Map<
    string,
    { namespace: string; service: string; measures: TrafficMeasures }
  >();
  for (const r of totals) {
    const service = r.key.dsvc ?? '';
    const namespace = isExternal(r.key.dns ?? '', service)
      ? ''
      : (r.key.dns ?? '');
    const k = keyOf(namespace, service);
    const into = merged.get(k) ?? {
      namespace,
      service,
      measures: emptyMeasures(),
    };
    addMeasures(into.measures, r.measures);
    merged.set(k, into);
  }
  const services: ServiceSummary[] = [...merged.entries()].map(
    ([k, { namespace, service, measures }]) => ({
      namespace,
      service,
      kind:
        service === ''
          ? 'unknown'
          : isExternal(namespace, service)
            ? 'external'
            : 'service',
      versions: [...(versionsOf.get(k)?.versions ?? [])].sort(),
      workloads: [...(versionsOf.get(k)?.workloads ?? [])].sort(),
      sparkline: sparks.get(k) ?? new Array<number>(steps).fill(0),
      ...trafficFigures(measures, w.seconds),
    }),
  );
  services.sort(
    (a, b) =>
      b.requestsPerSecond +
      b.connectionsPerSecond -
      (a.requestsPerSecond + a.connectionsPerSecond),
  );
  return {
    window: {
      start: new Date(w.startMs),
      end: new Date(w.endMs),
      seconds: w.seconds,
    },
    stepSeconds,
    services,
  };
}

export interface ServiceDetailInput extends WindowInput {
  namespace: string;
  service: string;
}

export interface VersionFigures extends TrafficFigures {
  workload: string;
  version: string;
}

export interface ServiceDetail {
  namespace: string;
  service: string;
  inbound: Detail;
  outbound: Detail;
  /** Inbound traffic per serving workload/version (canary splits). */
  versions: VersionFigures[];
}

/** One service: inbound by caller, version, code and flag; outbound by callee. */
export async function serviceDetail(
  db: Db,
  input: ServiceDetailInput,
): Promise<ServiceDetail> {
  const w = resolveWindow(input);
  const dest = { namespace: input.namespace, service: input.service };
  const [inbound, outbound] = await Promise.all([
    trafficDetailWithExtra(db, {
      ...input,
      destination: dest,
      extraSets: [['version']],
    }),
    trafficDetail(db, { ...input, source: dest }),
  ]);
  const versions = inbound.extra[0] ?? [];
  return {
    namespace: input.namespace,
    service: input.service,
    inbound: inbound.detail,
    outbound,
    versions: versions.map((r) => ({
      workload: r.key.dw ?? '',
      version: r.key.dver ?? '',
      ...trafficFigures(r.measures, w.seconds),
    })),
  };
}
