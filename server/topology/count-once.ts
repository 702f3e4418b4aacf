/**
 * Counting each request once (DESIGN.md "Getting the numbers right"): the rules, as a pure
 * reference implementation. The topology queries apply the SAME rules inside ClickHouse (window
 * functions in server/queries/edge-selection.ts); an integration test checks that the SQL and
 * this function agree on random rollup rows, and unit tests pin the rules on hand-made cases.
 *
 * Per minute:
 *  1. Reporter, within one signal. Source-reported rows always count. A destination-reported row
 *     counts only when no source-reported row exists for its edge (same source workload,
 *     destination service, protocol) — the caller has no proxy, or its telemetry is missing.
 *     A destination row whose source is unknown also needs: no source rows into that destination
 *     service at all, or a destination reporter that does name in-mesh callers (Istio metrics
 *     and spans do; Envoy's inbound access-log line does not, so there an unknown caller may be
 *     an in-mesh one already counted by its own proxy, and is left out rather than counted twice).
 *  2. Signal, per edge (source workload -> destination service): the first of metrics,
 *     access_log, spans that has counted rows; rows of other signals are dropped. Metrics rank
 *     after access logs in a minute that follows one without metrics into the destination (the
 *     rows read start a minute before the window): a counter's first scrape has no increase, so
 *     that minute is only partly covered. In a coarse bucket (rollup-levels.ts) a signal that missed
 *     a minute its destination had traffic in ranks after every signal that did not. Rows whose
 *     caller is unknown cannot be matched to an edge, so they compete per destination service:
 *     they are used only when no better signal counted traffic into that service in that
 *     minute, and when they are the better signal, named callers of worse signals give way.
 *     A source-reported row without a caller lost its context (a proxy always knows itself, so
 *     e.g. log lines shipped without pod metadata): it ranks below every signal.
 *  3. mTLS comes from destination-reported rows of the chosen signal (counted or not), and falls
 *     back to source rows with evidence (an access log's upstream peer certificate).
 */

export type Signal = 'metrics' | 'access_log' | 'spans';
export type Reporter = 'source' | 'destination';

/** Signals in order of completeness: metrics (unsampled counters), logs, spans (sampled). */
export const SIGNAL_ORDER: readonly Signal[] = [
  'metrics',
  'access_log',
  'spans',
];

/** The identity part of a rollup row, after `normalizePeer` (unknown -> ''). */
export interface SelectableRow {
  minute: string;
  signal: string;
  reporter: string;
  sourceNamespace: string;
  sourceWorkload: string;
  destinationNamespace: string;
  destinationService: string;
  protocol: string;
  /** A coarse bucket's row: the minutes it had traffic in (bit i = minute i). Unset: a minute row. */
  minuteMask?: bigint;
}

/** Istio writes 'unknown' where others write '': one spelling. */
export function known(v: string): string {
  return v === 'unknown' ? '' : v;
}

/**
 * A destination service as one name: Istio's 'unknown' is '', and an authority's short form
 * 'reviews.bookinfo' is 'reviews' when 'bookinfo' is the destination namespace.
 */
export function canonicalService(service: string, namespace: string): string {
  if (service === 'unknown') return '';
  const suffix = `.${namespace}`;
  return namespace !== '' && service.endsWith(suffix)
    ? service.slice(0, -suffix.length)
    : service;
}

/** Rank of a signal (lower wins): metrics 0, access_log 2, spans 4; unknown signals last. */
export function signalRank(signal: string): number {
  const i = SIGNAL_ORDER.indexOf(signal as Signal);
  return i < 0 ? 2 * SIGNAL_ORDER.length : 2 * i;
}

/** What else a row's rank depends on (see rules 2 and the coarse-bucket coverage). */
export interface RankContext {
  /** The row is metrics' first minute (or bucket) into its destination service. */
  partialMetrics: boolean;
  /** The row's signal missed minutes its destination had traffic in (coarse buckets). */
  missedMinutes: boolean;
}

/**
 * Rank of a row (lower wins): its signal's; partial metrics just after access logs; a signal
 * that missed minutes after every complete one; below every signal when a source report lost
 * its caller.
 */
export function rowRank(
  r: SelectableRow,
  ctx: RankContext = { partialMetrics: false, missedMinutes: false },
): number {
  const base =
    r.signal === 'metrics' && ctx.partialMetrics ? 3 : signalRank(r.signal);
  return (
    base +
    (ctx.missedMinutes ? 7 : 0) +
    (r.reporter === 'source' && r.sourceWorkload === '' ? 14 : 0)
  );
}

/** 'YYYY-MM-DD HH:MM:SS' (UTC) of the minute before. */
export function previousMinute(minute: string): string {
  const ms = Date.parse(`${minute.replace(' ', 'T')}Z`) - 60_000;
  return new Date(ms).toISOString().slice(0, 19).replace('T', ' ');
}

const edgeKey = (r: SelectableRow) =>
  [
    r.minute,
    r.signal,
    r.sourceNamespace,
    r.sourceWorkload,
    r.destinationNamespace,
    r.destinationService,
    r.protocol,
  ].join('\x1f');
const destKey = (r: SelectableRow) =>
  [
    r.minute,
    r.signal,
    r.destinationNamespace,
    r.destinationService,
    r.protocol,
  ].join('\x1f');
/** Signal precedence key: no destination namespace, as signals disagree on it for external hosts. */
const precedenceKey = (r: SelectableRow) =>
  [r.minute, r.sourceNamespace, r.sourceWorkload, r.destinationService].join(
    '\x1f',
  );
const serviceKey = (r: SelectableRow) =>
  [r.minute, r.destinationService].join('\x1f');

export interface Selection {
  /** The row counts towards requests, errors, latency and bytes. */
  counted: boolean;
  /** The row's signal is the one chosen for its edge and minute (mTLS reads these rows). */
  chosen: boolean;
}

/** Rule 1 for one row, given what else its minute and signal hold. */
export function reporterCounts(
  row: SelectableRow,
  ctx: {
    edgeHasSource: boolean;
    destHasSource: boolean;
    destNamesSources: boolean;
  },
): boolean {
  if (row.reporter === 'source') return true;
  if (row.reporter !== 'destination' || ctx.edgeHasSource) return false;
  return (
    row.sourceWorkload !== '' || !ctx.destHasSource || ctx.destNamesSources
  );
}

/**
 * Applies rules 1 and 2 to every row (same order as given). Rows before `fromMinute` (the
 * minute read before the window) only inform the partial-metrics rule; they are never chosen.
 */
export function selectRows<R extends SelectableRow>(
  rows: readonly R[],
  opts: { fromMinute?: string } = {},
): Selection[] {
  const metricsMinutes = new Set<string>();
  const destMinutes = new Map<string, bigint>();
  const signalMinutes = new Map<string, bigint>();
  for (const r of rows) {
    if (r.minuteMask === undefined) {
      if (r.signal === 'metrics')
        metricsMinutes.add(`${r.minute}\x1f${r.destinationService}`);
      continue;
    }
    const dk = serviceKey(r);
    destMinutes.set(dk, (destMinutes.get(dk) ?? 0n) | r.minuteMask);
    const sk = `${dk}\x1f${r.signal}`;
    signalMinutes.set(sk, (signalMinutes.get(sk) ?? 0n) | r.minuteMask);
  }
  // Minute rows: metrics after a minute without metrics into the destination are partial.
  // Bucket rows: a signal that missed minutes its destination had traffic in gives way.
  const rankOf = (r: SelectableRow) =>
    r.minuteMask === undefined
      ? rowRank(r, {
          partialMetrics:
            r.signal === 'metrics' &&
            !metricsMinutes.has(
              `${previousMinute(r.minute)}\x1f${r.destinationService}`,
            ),
          missedMinutes: false,
        })
      : rowRank(r, {
          partialMetrics: false,
          missedMinutes:
            signalMinutes.get(`${serviceKey(r)}\x1f${r.signal}`) !==
            destMinutes.get(serviceKey(r)),
        });
  const inWindow = (r: SelectableRow) =>
    opts.fromMinute === undefined || r.minute >= opts.fromMinute;
  const edgeHasSource = new Set<string>();
  const destHasSource = new Set<string>();
  const destNamesSources = new Set<string>();
  for (const r of rows) {
    if (r.reporter === 'source') {
      edgeHasSource.add(edgeKey(r));
      destHasSource.add(destKey(r));
    } else if (r.reporter === 'destination' && r.sourceWorkload !== '') {
      destNamesSources.add(destKey(r));
    }
  }
  const counted = rows.map((r) =>
    reporterCounts(r, {
      edgeHasSource: edgeHasSource.has(edgeKey(r)),
      destHasSource: destHasSource.has(destKey(r)),
      destNamesSources: destNamesSources.has(destKey(r)),
    }),
  );
  const bestEdge = new Map<string, number>();
  const bestDest = new Map<string, number>();
  const bestDestUnnamed = new Map<string, number>();
  const lower = (m: Map<string, number>, k: string, rank: number) =>
    m.set(k, Math.min(m.get(k) ?? Infinity, rank));
  rows.forEach((r, i) => {
    if (!counted[i]) return;
    const rank = rankOf(r);
    lower(bestEdge, precedenceKey(r), rank);
    lower(bestDest, serviceKey(r), rank);
    if (r.sourceWorkload === '') lower(bestDestUnnamed, serviceKey(r), rank);
  });
  return rows.map((r, i) => {
    const best =
      r.sourceWorkload === ''
        ? bestDest.get(serviceKey(r))
        : Math.min(
            bestEdge.get(precedenceKey(r)) ?? Infinity,
            bestDestUnnamed.get(serviceKey(r)) ?? Infinity,
          );
    const chosen = inWindow(r) && best === rankOf(r);
    return { counted: chosen && (counted[i] ?? false), chosen };
  });
}
