/**
 * Namespace scope (docs/security.md "Namespace scoping"): what a principal limited to some
 * namespaces may see. Two halves, both applied centrally by server/auth/policy.ts:
 *   - inputs: the namespace filter the queries already take is forced to the allowed set;
 *   - outputs: anything of another namespace is removed before it leaves the server (graph
 *     nodes and the edges touching them, peers, services, spans, access-log rows, alerts).
 * Nodes and peers without a namespace (unknown callers, external hosts) stay visible: they
 * belong to no namespace. Spans whose namespace cannot be told are hidden from scoped callers.
 */

export class ScopeError extends Error {
  override name = 'ScopeError';
}

/** The allowed namespaces as a set; a scope of null (all) is never passed here. */
export type Allowed = ReadonlySet<string>;

const NO_NAMESPACE = new Set(['', 'unknown']);

/** A namespace filter narrowed to the scope: all allowed when none asked; 403 for others only. */
export function forceNamespaces(
  requested: readonly string[] | undefined,
  allowed: Allowed,
): string[] {
  const asked = (requested ?? []).filter((n) => n !== '');
  if (asked.length === 0) return [...allowed].sort();
  const kept = asked.filter((n) => allowed.has(n));
  if (kept.length === 0)
    throw new ScopeError(
      `namespace ${asked.map((n) => `"${n.slice(0, 100)}"`).join(', ')} is outside your scope (${[...allowed].join(', ')})`,
    );
  return kept;
}

/** Throws unless the namespace is allowed ('' = no namespace, allowed when `blankOk`). */
export function requireNamespace(
  ns: string,
  allowed: Allowed,
  blankOk = false,
): void {
  if (blankOk && NO_NAMESPACE.has(ns)) return;
  if (!allowed.has(ns))
    throw new ScopeError(
      `namespace "${ns.slice(0, 100)}" is outside your scope (${[...allowed].join(', ')})`,
    );
}

interface NodeLike {
  id: string;
  kind: string;
  namespace: string;
}
interface EdgeLike {
  source: string;
  target: string;
}
interface BoxLike {
  id: string;
  kind: string;
  label: string;
  parent: string | null;
}

function nodeVisible(n: NodeLike, allowed: Allowed): boolean {
  if (allowed.has(n.namespace)) return true;
  return (
    (n.kind === 'unknown' || n.kind === 'external') &&
    NO_NAMESPACE.has(n.namespace)
  );
}

/** A graph (tRPC or /api/v1 shape) without other namespaces' nodes, boxes and edges. */
export function scrubGraph<
  G extends { nodes: NodeLike[]; edges: EdgeLike[]; boxes: BoxLike[] },
>(g: G, allowed: Allowed): G {
  const nodes = g.nodes.filter((n) => nodeVisible(n, allowed));
  const ids = new Set(nodes.map((n) => n.id));
  const nsBoxes = new Set(
    g.boxes
      .filter((b) => b.kind === 'namespace' && allowed.has(b.label))
      .map((b) => b.id),
  );
  return {
    ...g,
    nodes,
    edges: g.edges.filter((e) => ids.has(e.source) && ids.has(e.target)),
    boxes: g.boxes.filter((b) =>
      b.kind === 'namespace'
        ? nsBoxes.has(b.id)
        : b.parent !== null && nsBoxes.has(b.parent),
    ),
  };
}

/** Rows with a `namespace` field: only allowed ones (blank kept when `blankOk`). */
export function scrubByNamespace<T extends { namespace: string }>(
  rows: readonly T[],
  allowed: Allowed,
  blankOk = false,
): T[] {
  return rows.filter(
    (r) =>
      allowed.has(r.namespace) || (blankOk && NO_NAMESPACE.has(r.namespace)),
  );
}

/** A traffic detail (totals, series, peers): the peer lists lose other namespaces. */
export function scrubDetail<
  D extends {
    sources: { namespace: string }[];
    destinations: { namespace: string }[];
  },
>(d: D | null, allowed: Allowed): D | null {
  if (!d) return d;
  return {
    ...d,
    sources: scrubByNamespace(d.sources, allowed, true),
    destinations: scrubByNamespace(d.destinations, allowed, true),
  };
}

/** The namespace part of a stored span service name (`reviews.bookinfo` -> `bookinfo`). */
export function namespaceOfServiceName(service: string): string {
  const dot = service.lastIndexOf('.');
  return dot > 0 ? service.slice(dot + 1) : '';
}

/** The namespace of a span from its attributes, resource and service name ('' = unknown). */
export function spanNamespace(
  attributes: Record<string, string>,
  resource: Record<string, string> | undefined,
  service: string,
): string {
  const nodeNs = /^[^~]*~[^~]*~[^~]*\.([^.~]+)~/.exec(
    attributes.node_id ?? '',
  )?.[1];
  return (
    attributes['istio.namespace'] ||
    resource?.['k8s.namespace.name'] ||
    resource?.['service.namespace'] ||
    nodeNs ||
    namespaceOfServiceName(service)
  );
}

interface SummaryLike {
  root: { service: string; name: string; complete: boolean };
  services: { service: string }[];
}

/**
 * Trace summaries: a trace is listed when one of its services is in scope; the other
 * namespaces' services are left out of it, and a root outside the scope is not named.
 */
export function scrubTraceSummaries<T extends SummaryLike>(
  traces: readonly T[],
  allowed: Allowed,
): T[] {
  const sees = (s: string) => allowed.has(namespaceOfServiceName(s));
  return traces
    .filter((t) => t.services.some((s) => sees(s.service)))
    .map((t) => ({
      ...t,
      services: t.services.filter((s) => sees(s.service)),
      root: sees(t.root.service)
        ? t.root
        : {
            service: '',
            name: '(outside your namespaces)',
            complete: t.root.complete,
          },
    }));
}

interface TraceLike {
  resources: Record<string, string>[];
  spans: {
    service: string;
    resource: number;
    attributes: Record<string, string>;
  }[];
}

/**
 * One trace: only the spans recorded in allowed namespaces, and only their resources (indices
 * renumbered); null when none is left.
 */
export function scrubTrace<T extends TraceLike>(
  t: T | null,
  allowed: Allowed,
): T | null {
  if (!t) return t;
  const kept = t.spans.filter((s) =>
    allowed.has(
      spanNamespace(s.attributes, t.resources[s.resource], s.service),
    ),
  );
  if (kept.length === 0) return null;
  const renumber = new Map<number, number>();
  const resources: Record<string, string>[] = [];
  for (const s of kept) {
    if (renumber.has(s.resource)) continue;
    renumber.set(s.resource, resources.length);
    resources.push(t.resources[s.resource] ?? {});
  }
  return {
    ...t,
    resources,
    spans: kept.map((s) => ({ ...s, resource: renumber.get(s.resource) ?? 0 })),
  };
}

interface RequestLike {
  source: { namespace: string };
  destination: { namespace: string };
}

/** Access-log rows: both ends must be in scope (or without a namespace), one end in scope. */
export function scrubRequests<T extends RequestLike>(
  rows: readonly T[],
  allowed: Allowed,
): T[] {
  const ok = (ns: string) => allowed.has(ns) || NO_NAMESPACE.has(ns);
  return rows.filter(
    (r) =>
      ok(r.source.namespace) &&
      ok(r.destination.namespace) &&
      (allowed.has(r.source.namespace) || allowed.has(r.destination.namespace)),
  );
}

type ScopeLike =
  | { type: 'mesh' }
  | { type: 'namespace'; namespace: string }
  | { type: 'service'; namespace: string }
  | {
      type: 'edge';
      source: { namespace: string };
      destination: { namespace: string };
    };

/** The namespaces an alert rule's scope touches; null for the whole mesh. */
export function ruleNamespaces(scope: ScopeLike): string[] | null {
  switch (scope.type) {
    case 'mesh':
      return null;
    case 'edge':
      return [scope.source.namespace, scope.destination.namespace];
    default:
      return [scope.namespace];
  }
}

/** Whether a rule is wholly inside the scope (mesh-wide rules are not). */
export function ruleInScope(scope: ScopeLike, allowed: Allowed): boolean {
  const ns = ruleNamespaces(scope);
  return ns !== null && ns.every((n) => allowed.has(n));
}

/** Alert label sets: a `namespace`/`source_namespace`/`destination_namespace` label must be in scope. */
export function labelsInScope(
  labels: Record<string, string>,
  allowed: Allowed,
): boolean {
  for (const key of [
    'namespace',
    'source_namespace',
    'destination_namespace',
  ]) {
    const v = labels[key];
    if (v !== undefined && v !== '' && !allowed.has(v)) return false;
  }
  return true;
}

interface OtlpLike {
  resourceSpans: {
    resource: {
      attributes: { key: string; value: { stringValue?: string } }[];
    };
    scopeSpans: {
      spans: {
        attributes?: { key: string; value: { stringValue?: string } }[];
      }[];
    }[];
  }[];
}

function kvMap(
  kvs: { key: string; value: { stringValue?: string } }[] | undefined,
) {
  const out: Record<string, string> = {};
  for (const kv of kvs ?? []) out[kv.key] = kv.value.stringValue ?? '';
  return out;
}

/** An OTLP JSON trace with only the spans of allowed namespaces; null when none is left. */
export function scrubOtlp<T extends OtlpLike>(
  t: T,
  allowed: Allowed,
): T | null {
  let left = 0;
  const resourceSpans = t.resourceSpans
    .map((rs) => {
      const resource = kvMap(rs.resource.attributes);
      const scopeSpans = rs.scopeSpans
        .map((ss) => ({
          ...ss,
          spans: ss.spans.filter((s) =>
            allowed.has(
              spanNamespace(
                kvMap(s.attributes),
                resource,
                resource['service.name'] ?? '',
              ),
            ),
          ),
        }))
        .filter((ss) => ss.spans.length > 0);
      left += scopeSpans.reduce((n, ss) => n + ss.spans.length, 0);
      return { ...rs, scopeSpans };
    })
    .filter((rs) => rs.scopeSpans.length > 0);
  return left === 0 ? null : { ...t, resourceSpans };
}

/* ---- mTLS coverage (tRPC mtls.coverage and GET /api/v1/mtls share the shape) ------------ */

type Ns = string | null | undefined;
const blank = (ns: Ns) =>
  ns === null || ns === undefined || NO_NAMESPACE.has(ns);
interface MtlsEdgeLike {
  source: { namespace: Ns };
  destination: { namespace: Ns };
}

function edgeInScope(e: MtlsEdgeLike, allowed: Allowed): boolean {
  const s = e.source.namespace;
  const d = e.destination.namespace;
  const ok = (ns: Ns) => blank(ns) || allowed.has(ns ?? '');
  return ok(s) && ok(d) && (allowed.has(s ?? '') || allowed.has(d ?? ''));
}

/** The namespace in a SPIFFE id (`spiffe://td/ns/<ns>/sa/<sa>`), or '' when none. */
export function namespaceOfPrincipal(principal: string): string {
  return /\/ns\/([^/]+)\//.exec(principal)?.[1] ?? '';
}

const nsOfWorkloadRef = (ref: string) =>
  ref.slice(0, Math.max(0, ref.indexOf('/')));

/**
 * An mTLS coverage report: rows, edges, workloads and identities of other namespaces removed.
 * The mesh figures and the trend already cover only traffic with an end in scope (the
 * namespace filter is forced on the way in); cluster rows carry no namespace names.
 */
export function scrubMtls<T>(report: T, allowed: Allowed): T {
  const r = report as Record<string, unknown>;
  const rows = (k: string) =>
    Array.isArray(r[k]) ? (r[k] as { namespace: Ns }[]) : [];
  const inScope = (ns: Ns) => allowed.has(ns ?? '');
  const edges = (k: string) =>
    (rows(k) as unknown as MtlsEdgeLike[]).filter((e) =>
      edgeInScope(e, allowed),
    );
  const out: Record<string, unknown> = {
    ...r,
    namespaces: rows('namespaces').filter((n) => inScope(n.namespace)),
    services: rows('services').filter((n) => inScope(n.namespace)),
    edges: edges('edges'),
    plaintextEdges: edges('plaintextEdges'),
    sidecarlessSources: edges('sidecarlessSources'),
    mixedWorkloads: (
      rows('mixedWorkloads') as {
        namespace: Ns;
        plaintextCallers?: { namespace: Ns }[];
      }[]
    )
      .filter((w) => inScope(w.namespace))
      .map((w) => ({
        ...w,
        plaintextCallers: (w.plaintextCallers ?? []).filter(
          (p) => blank(p.namespace) || inScope(p.namespace),
        ),
      })),
  };
  const ids = r.identities as
    | {
        workloads?: { namespace: string; principal: string }[];
        edges?: {
          sourcePrincipal: string;
          destinationPrincipal: string;
          sourceWorkloads: string[];
          destinationWorkloads: string[];
        }[];
      }
    | undefined;
  if (ids) {
    const principalOk = (p: string) => {
      const ns = namespaceOfPrincipal(p);
      return ns === '' || allowed.has(ns);
    };
    const refsOk = (refs: string[]) =>
      refs.every((w) => allowed.has(nsOfWorkloadRef(w)));
    out.identities = {
      ...ids,
      workloads: (ids.workloads ?? []).filter(
        (w) => allowed.has(w.namespace) && principalOk(w.principal),
      ),
      edges: (ids.edges ?? []).filter(
        (e) =>
          principalOk(e.sourcePrincipal) &&
          principalOk(e.destinationPrincipal) &&
          refsOk(e.sourceWorkloads) &&
          refsOk(e.destinationWorkloads),
      ),
    };
  }
  return out as T;
}
