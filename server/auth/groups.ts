/**
 * Groups -> role and namespaces, for users named by an auth proxy or an OIDC provider:
 * MESHLENS_AUTH_ROLE_GROUPS (`admin=ops,editor=sre|dev`) and MESHLENS_AUTH_NAMESPACE_GROUPS
 * (`team-a=shop|payments`). The highest role of any group wins; namespaces of every listed group
 * add up; a user in no namespace group sees every namespace.
 */
import type { Config } from '../config';
import { isRole, roleAtLeast, type AuthRole } from './principal';

function pairs(spec: string | undefined): [string, string[]][] {
  if (!spec) return [];
  return spec
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean)
    .map((p) => {
      const eq = p.indexOf('=');
      const key = eq > 0 ? p.slice(0, eq).trim() : p;
      const values = (eq > 0 ? p.slice(eq + 1) : '')
        .split('|')
        .map((v) => v.trim())
        .filter(Boolean);
      return [key, values];
    });
}

/** The role for these groups, or null when the default role is `none` and no group matched. */
export function roleForGroups(
  config: Config,
  groups: readonly string[],
): AuthRole | null {
  const have = new Set(groups);
  let best: AuthRole | null = null;
  for (const [role, names] of pairs(config.env.MESHLENS_AUTH_ROLE_GROUPS)) {
    if (!isRole(role) || !names.some((g) => have.has(g))) continue;
    if (best === null || roleAtLeast(role, best)) best = role;
  }
  if (best) return best;
  const def = config.env.MESHLENS_AUTH_DEFAULT_ROLE;
  return def === 'none' ? null : def;
}

/** Namespaces for these groups; null (= all) when no namespace group lists the user. */
export function namespacesForGroups(
  config: Config,
  groups: readonly string[],
): string[] | null {
  const have = new Set(groups);
  const out = new Set<string>();
  let listed = false;
  for (const [group, ns] of pairs(config.env.MESHLENS_AUTH_NAMESPACE_GROUPS)) {
    if (!have.has(group)) continue;
    listed = true;
    for (const n of ns) out.add(n);
  }
  return listed ? [...out].sort() : null;
}

/** A groups header or claim: comma/space separated string, or an array. */
export function parseGroups(v: unknown): string[] {
  if (Array.isArray(v))
    return v.filter((g): g is string => typeof g === 'string');
  if (typeof v === 'string')
    return v
      .split(/[,\s]+/)
      .map((g) => g.trim())
      .filter(Boolean);
  return [];
}
