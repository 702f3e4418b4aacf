/**
 * The Targets page's state and pure helpers: the health filter kept in the URL (`?state=down`,
 * shareable as Prometheus' /targets?state=unhealthy), grouping by job, and the texts of ages and
 * durations.
 */

export const HEALTH_FILTERS = ['all', 'down', 'up'] as const;
export type HealthFilter = (typeof HEALTH_FILTERS)[number];

export interface TargetsState {
  health: HealthFilter;
  /** Substring of the job, endpoint or a label value. */
  q: string;
}

type Params = { get(name: string): string | null };

export function parseTargetsState(p: Params): TargetsState {
  const h = p.get('state') ?? 'all';
  return {
    health: (HEALTH_FILTERS as readonly string[]).includes(h)
      ? (h as HealthFilter)
      : 'all',
    q: (p.get('q') ?? '').trim(),
  };
}

export function targetsParams(
  patch: Partial<TargetsState>,
): Record<string, string | null> {
  const out: Record<string, string | null> = {};
  if (patch.health !== undefined)
    out.state = patch.health === 'all' ? null : patch.health;
  if (patch.q !== undefined) out.q = patch.q === '' ? null : patch.q;
  return out;
}

export interface TargetLike {
  job: string;
  instance: string;
  url: string;
  labels: Record<string, string>;
  health: 'up' | 'down' | 'unknown';
}

export function matches(t: TargetLike, s: TargetsState): boolean {
  if (s.health === 'down' && t.health !== 'down') return false;
  if (s.health === 'up' && t.health !== 'up') return false;
  if (s.q === '') return true;
  const q = s.q.toLowerCase();
  return (
    t.job.toLowerCase().includes(q) ||
    t.url.toLowerCase().includes(q) ||
    Object.values(t.labels).some((v) => v.toLowerCase().includes(q))
  );
}

export interface JobGroup<T> {
  job: string;
  targets: T[];
  up: number;
  /** All targets of the job, before the filter. */
  total: number;
}

/** Targets by job (jobs in `jobs` order, then any others), filtered; counts are before the filter. */
export function groupByJob<T extends TargetLike>(
  jobs: string[],
  targets: T[],
  s: TargetsState,
): JobGroup<T>[] {
  const groups = new Map<string, JobGroup<T>>();
  for (const job of jobs)
    groups.set(job, { job, targets: [], up: 0, total: 0 });
  for (const t of targets) {
    let g = groups.get(t.job);
    if (!g) {
      g = { job: t.job, targets: [], up: 0, total: 0 };
      groups.set(t.job, g);
    }
    g.total++;
    if (t.health === 'up') g.up++;
    if (matches(t, s)) g.targets.push(t);
  }
  return [...groups.values()];
}

/** "4.2 s ago", "3 min ago"; "never" before the first scrape. */
export function agoText(iso: string | null, nowMs: number): string {
  if (iso === null) return 'never';
  const ms = Math.max(0, nowMs - Date.parse(iso));
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s ago`;
  if (ms < 3_600_000) return `${Math.floor(ms / 60_000)} min ago`;
  return `${Math.floor(ms / 3_600_000)} h ago`;
}

/** A scrape duration: "12 ms", "1.25 s"; "—" before the first scrape. */
export function durationText(ms: number | null): string {
  if (ms === null) return '—';
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(2)} s`;
}
