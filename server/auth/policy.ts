/**
 * Who may call what, in one table (docs/security.md "Roles" and "Namespace scoping"): for every
 * tRPC procedure and /api/v1 endpoint, the least role, the embed widgets that may call it, and
 * how a namespace-scoped caller is held to its namespaces (input forced, output scrubbed).
 * A procedure missing from the table needs viewer (queries) or editor (mutations), is closed to
 * embed tokens, and is refused to scoped callers until a scope rule is written here: new
 * endpoints fail closed.
 */
import type { Db } from '../db/client';
import { ruleById } from '../queries/alerts-rules';
import { traceById } from '../queries/traces';
import { roleAtLeast, type AuthRole, type Principal } from './principal';
import {
  forceNamespaces,
  labelsInScope,
  namespaceOfServiceName,
  requireNamespace,
  ruleInScope,
  scrubByNamespace,
  scrubDetail,
  scrubGraph,
  scrubMtls,
  scrubOtlp,
  scrubRequests,
  scrubTrace,
  scrubTraceSummaries,
  ScopeError,
  type Allowed,
} from './scope';

/** 403 / FORBIDDEN; 404 when scoping hides the only thing asked for. */
export class AccessDenied extends Error {
  override name = 'AccessDenied';
  constructor(
    message: string,
    readonly notFound = false,
  ) {
    super(message);
  }
}

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj =>
  v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : {};
const str = (v: unknown): string => (typeof v === 'string' ? v : '');
const strs = (v: unknown): string[] =>
  Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];

export interface ScopeRule<In, Out> {
  /** Rewrites/validates the request for a scoped caller (throws ScopeError to refuse). */
  input?: (
    raw: In,
    allowed: Allowed,
    db: () => Promise<Db>,
  ) => In | Promise<In>;
  /** Removes what is outside the scope from the answer. */
  output?: (data: Out, allowed: Allowed) => Out;
}

export interface Rule<In = unknown, Out = unknown> {
  role: AuthRole;
  /** Embed widgets whose tokens may call it. */
  embed?: readonly string[];
  /** How scoped callers are held; absent = refused to them. `true` = nothing namespaced. */
  scope?: ScopeRule<In, Out> | true;
}

/** Both ends of an edge in scope (a blank namespace, e.g. an unknown caller, passes). */
function requireEdge(edge: Obj, allowed: Allowed): void {
  requireNamespace(str(obj(edge.source).namespace), allowed, true);
  requireNamespace(str(obj(edge.target).namespace), allowed, true);
}

/** A node in scope; unknown and external nodes have no namespace of their own. */
function requireNode(node: Obj, allowed: Allowed): void {
  const outside = node.kind === 'unknown' || node.kind === 'external';
  requireNamespace(str(node.namespace), allowed, outside);
}

/** A trace kept for a scoped caller, or 404 when none of its spans is in scope. */
function traceInScope<T>(kept: T | null): T {
  if (!kept) throw new AccessDenied('no such trace in your namespaces', true);
  return kept;
}

/* ---- tRPC ------------------------------------------------------------------------------- */

type RawTrpc = unknown;

function withFilter(raw: RawTrpc, allowed: Allowed): RawTrpc {
  const o = obj(raw);
  const filter = obj(o.filter);
  return {
    ...o,
    filter: {
      ...filter,
      namespaces: forceNamespaces(strs(filter.namespaces), allowed),
    },
  };
}

const detailPair = (d: unknown, allowed: Allowed) => {
  const o = obj(d);
  return {
    ...o,
    inbound: scrubDetail(o.inbound as never, allowed),
    outbound: scrubDetail(o.outbound as never, allowed),
  };
};

async function ruleOfId(raw: unknown, allowed: Allowed, db: () => Promise<Db>) {
  const rule = await ruleById(await db(), str(obj(raw).id));
  if (rule && !ruleInScope(rule.spec.scope, allowed))
    throw new ScopeError('this alert rule reaches outside your namespaces');
  return raw;
}

function specInScope(spec: unknown, allowed: Allowed): void {
  const scope = obj(obj(spec).scope);
  if (!ruleInScope(scope as never, allowed))
    throw new ScopeError(
      'a namespace-scoped user may only write rules scoped to their own namespaces (namespace, service or edge scope)',
    );
}

export const TRPC_RULES: Record<string, Rule> = {
  'status.overview': { role: 'viewer', scope: true },
  // A scoped caller sees only targets labelled with one of its namespaces (pods from Kubernetes
  // discovery), and no discovery errors (they name other namespaces' API answers).
  'targets.list': {
    role: 'viewer',
    scope: {
      output: (data, allowed) => {
        const o = obj(data);
        const targets = (Array.isArray(o.targets) ? o.targets : []).filter(
          (t) => allowed.has(str(obj(obj(t).labels).namespace)),
        );
        return {
          ...o,
          targets,
          jobs: [...new Set(targets.map((t) => str(obj(t).job)))].sort(),
          discoveryErrors: [],
        };
      },
    },
  },
  'auth.me': { role: 'viewer', embed: ['topology', 'service'], scope: true },
  'auth.tokens': { role: 'admin' },
  'auth.createToken': { role: 'admin' },
  'auth.revokeToken': { role: 'admin' },
  'auth.embeds': { role: 'admin' },
  'auth.createEmbed': { role: 'admin', scope: true },
  'topology.graph': {
    role: 'viewer',
    embed: ['topology'],
    scope: {
      input: withFilter,
      output: (g, allowed) => scrubGraph(g as never, allowed),
    },
  },
  'topology.inventory': {
    role: 'viewer',
    embed: ['topology'],
    scope: {
      output: (inv, allowed) => {
        const o = obj(inv);
        return {
          ...o,
          namespaces: strs(o.namespaces).filter((n) => allowed.has(n)),
        };
      },
    },
  },
  'topology.edge': {
    role: 'viewer',
    scope: {
      input: (raw, allowed) => {
        requireEdge(obj(raw), allowed);
        return raw;
      },
      output: (d, allowed) => scrubDetail(d as never, allowed),
    },
  },
  'topology.node': {
    role: 'viewer',
    scope: {
      input: (raw, allowed) => {
        requireNode(obj(obj(raw).node), allowed);
        return raw;
      },
      output: detailPair,
    },
  },
  'services.list': {
    role: 'viewer',
    scope: {
      input: withFilter,
      output: (l, allowed) => {
        const o = obj(l);
        return {
          ...o,
          services: scrubByNamespace(o.services as never, allowed),
        };
      },
    },
  },
  'services.byName': {
    role: 'viewer',
    embed: ['service'],
    scope: {
      input: (raw, allowed) => {
        requireNamespace(str(obj(raw).namespace), allowed);
        return raw;
      },
      output: detailPair,
    },
  },
  'traces.search': {
    role: 'viewer',
    scope: {
      output: (r, allowed) => {
        const o = obj(r);
        const all = o.traces as never[];
        const traces = scrubTraceSummaries(all, allowed);
        return {
          ...o,
          traces,
          total:
            traces.length === all.length
              ? o.total
              : Number(o.offset ?? 0) + traces.length,
          accessLog: scrubRequests((o.accessLog ?? []) as never[], allowed),
        };
      },
    },
  },
  'traces.skeleton': {
    role: 'viewer',
    scope: {
      // The skeleton carries no namespaces: a scoped caller gets it only for a trace whose
      // every span (read in full here) lies in its namespaces.
      input: async (raw, allowed, db) => {
        const id = str(obj(raw).traceId);
        const full = await traceById(await db(), id);
        if (!full) return raw;
        const kept = traceInScope(scrubTrace(full, allowed));
        if (kept.spans.length !== full.spans.length)
          throw new ScopeError(
            'this trace also passes through namespaces outside your scope; ask an admin for a wider token',
          );
        return raw;
      },
    },
  },
  'traces.spans': {
    role: 'viewer',
    scope: {
      output: (t, allowed) => traceInScope(scrubTrace(t as never, allowed)),
    },
  },
  'topology.paths': {
    role: 'viewer',
    scope: {
      input: (raw, allowed) => {
        const o = obj(raw);
        if (o.edge) requireEdge(obj(o.edge), allowed);
        else requireNode(obj(o.node), allowed);
        return raw;
      },
    },
  },
  'traces.byId': {
    role: 'viewer',
    scope: {
      output: (t, allowed) => traceInScope(scrubTrace(t as never, allowed)),
    },
  },
  'traces.otlpJson': {
    role: 'viewer',
    scope: {
      output: (t, allowed) => traceInScope(scrubOtlp(t as never, allowed)),
    },
  },
  'traces.services': {
    role: 'viewer',
    scope: {
      output: (list, allowed) =>
        (list as { service: string }[]).filter((s) =>
          allowed.has(namespaceOfServiceName(s.service)),
        ),
    },
  },
  'traces.accessLog': {
    role: 'viewer',
    scope: {
      output: (rows, allowed) => scrubRequests(rows as never[], allowed),
    },
  },
  'requests.search': {
    role: 'viewer',
    scope: {
      input: withFilter,
      output: (r, allowed) => {
        const o = obj(r);
        return {
          ...o,
          requests: scrubRequests((o.requests ?? []) as never[], allowed),
        };
      },
    },
  },
  'alerts.list': {
    role: 'viewer',
    scope: {
      output: (rules, allowed) =>
        (
          rules as {
            spec: { scope: never };
            alerts: { labels: Record<string, string> }[];
          }[]
        )
          .filter((r) => ruleInScope(r.spec.scope, allowed))
          .map((r) => ({
            ...r,
            alerts: r.alerts.filter((a) => labelsInScope(a.labels, allowed)),
          })),
    },
  },
  'alerts.byId': {
    role: 'viewer',
    scope: {
      output: (rule, allowed) => {
        if (
          !ruleInScope((rule as { spec: { scope: never } }).spec.scope, allowed)
        )
          throw new AccessDenied('no such alert rule in your namespaces', true);
        return rule;
      },
    },
  },
  'alerts.history': {
    role: 'viewer',
    scope: {
      output: (rows, allowed) =>
        (rows as { labels?: Record<string, string> }[]).filter((r) => {
          const labels = r.labels ?? {};
          return (
            labelsInScope(labels, allowed) &&
            ['namespace', 'source_namespace', 'destination_namespace'].some(
              (k) => labels[k],
            )
          );
        }),
    },
  },
  'alerts.silences': { role: 'viewer', scope: { output: () => [] } },
  'alerts.deliveries': { role: 'viewer', scope: { output: () => [] } },
  'alerts.validate': { role: 'editor', scope: true },
  'alerts.add': {
    role: 'editor',
    scope: {
      input: (raw, allowed) => {
        specInScope(obj(obj(raw).rule).spec, allowed);
        return raw;
      },
    },
  },
  'alerts.update': {
    role: 'editor',
    scope: {
      input: async (raw, allowed, db) => {
        specInScope(obj(obj(raw).rule).spec, allowed);
        return ruleOfId(raw, allowed, db);
      },
    },
  },
  'alerts.setEnabled': { role: 'editor', scope: { input: ruleOfId } },
  'alerts.remove': { role: 'editor', scope: { input: ruleOfId } },
  'alerts.test': {
    role: 'editor',
    scope: {
      input: (raw, allowed) => {
        specInScope(obj(raw).spec, allowed);
        return raw;
      },
    },
  },
  'mtls.coverage': {
    role: 'viewer',
    scope: {
      input: (raw, allowed) => {
        const o = obj(raw);
        return {
          ...o,
          namespaces: forceNamespaces(strs(o.namespaces), allowed),
        };
      },
      output: (r, allowed) => scrubMtls(r, allowed),
    },
  },
  'alerts.addSilence': { role: 'editor' },
  'alerts.expireSilence': { role: 'editor' },
};

/** The rule of a tRPC procedure (a default one for procedures not listed). */
export function trpcRule(path: string, type: string): Rule {
  return TRPC_RULES[path] ?? { role: type === 'query' ? 'viewer' : 'editor' };
}

/** Role and embed checks shared by tRPC and /api/v1; throws AccessDenied. */
export function checkAccess<In>(
  p: Principal,
  rule: Rule<In>,
  what: string,
): void {
  if (p.kind === 'embed') {
    const widgets = p.embed?.widgets ?? [];
    if (!rule.embed?.some((w) => widgets.includes(w)))
      throw new AccessDenied(`an embed token may not use ${what}`);
    return;
  }
  if (!roleAtLeast(p.role, rule.role))
    throw new AccessDenied(
      `${what} needs the ${rule.role} role; you are ${p.role} (${p.name})`,
    );
  if (p.namespaces !== null && rule.scope === undefined)
    throw new AccessDenied(
      `${what} is not available to a namespace-scoped user or token`,
    );
}

/** Embed service cards: only the services the token names (when it names any). */
export function checkEmbedService(
  p: Principal,
  namespace: string,
  service: string,
): void {
  const services = p.embed?.services ?? [];
  if (
    p.kind === 'embed' &&
    services.length > 0 &&
    !services.includes(`${namespace}/${service}`)
  )
    throw new AccessDenied(
      `this embed token does not show ${namespace}/${service}`,
    );
}

/* ---- /api/v1 ---------------------------------------------------------------------------- */

function forceParams(
  params: URLSearchParams,
  allowed: Allowed,
): URLSearchParams {
  const asked = [...params.getAll('namespace'), ...params.getAll('namespaces')]
    .flatMap((v) => v.split(','))
    .map((v) => v.trim())
    .filter(Boolean);
  const out = new URLSearchParams(params);
  out.delete('namespace');
  out.delete('namespaces');
  for (const ns of forceNamespaces(asked, allowed)) out.append('namespace', ns);
  return out;
}

export const V1_RULES: Record<string, Rule<URLSearchParams>> = {
  topology: {
    role: 'viewer',
    embed: ['topology'],
    scope: {
      input: forceParams,
      output: (g, allowed) => scrubGraph(g as never, allowed),
    },
  },
  services: {
    role: 'viewer',
    scope: {
      input: forceParams,
      output: (l, allowed) => {
        const o = obj(l);
        return {
          ...o,
          services: scrubByNamespace(o.services as never, allowed),
        };
      },
    },
  },
  traces: {
    role: 'viewer',
    scope: {
      output: (r, allowed) => {
        const o = obj(r);
        const all = (o.traces ?? []) as {
          rootService: string;
          rootName: string;
          services: { service: string }[];
        }[];
        const sees = (s: string) => allowed.has(namespaceOfServiceName(s));
        const traces = all
          .filter((t) => t.services.some((s) => sees(s.service)))
          .map((t) => ({
            ...t,
            services: t.services.filter((s) => sees(s.service)),
            ...(sees(t.rootService)
              ? {}
              : { rootService: '', rootName: '(outside your namespaces)' }),
          }));
        return {
          ...o,
          traces,
          total:
            traces.length === all.length
              ? o.total
              : Number(o.offset ?? 0) + traces.length,
        };
      },
    },
  },
  'traces/*': {
    role: 'viewer',
    scope: {
      output: (t, allowed) => traceInScope(scrubOtlp(t as never, allowed)),
    },
  },
  requests: {
    role: 'viewer',
    scope: {
      output: (r, allowed) => {
        const o = obj(r);
        return {
          ...o,
          requests: scrubRequests((o.requests ?? []) as never[], allowed),
        };
      },
    },
  },
  mtls: {
    role: 'viewer',
    scope: {
      input: forceParams,
      output: (r, allowed) => scrubMtls(r, allowed),
    },
  },
  alerts: {
    role: 'viewer',
    scope: {
      output: (r, allowed) => {
        const o = obj(r);
        const rules = (o.rules ?? []) as {
          spec: { scope: never };
          alerts: { labels: Record<string, string> }[];
        }[];
        return {
          ...o,
          rules: rules
            .filter((x) => ruleInScope(x.spec.scope, allowed))
            .map((x) => ({
              ...x,
              alerts: x.alerts.filter((a) => labelsInScope(a.labels, allowed)),
            })),
        };
      },
    },
  },
};

export function v1Rule(name: string): Rule<URLSearchParams> {
  return V1_RULES[name] ?? { role: 'viewer' };
}

/** The allowed set of a scoped principal, or null when it sees everything. */
export function allowedOf(p: Principal): Allowed | null {
  return p.namespaces === null ? null : new Set(p.namespaces);
}
