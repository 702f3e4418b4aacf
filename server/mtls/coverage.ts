/**
 * The mTLS view's question: "is my mesh encrypted?" over a window — shares per mesh, cluster,
 * namespace, service and edge, the trend, the lists that matter, and the SPIFFE identities.
 * One call for the tRPC router and GET /api/v1/mtls. How each figure is computed: docs/mtls.md.
 */
import type { Db } from '../db/client';
import {
  resolveWindow,
  seriesStepSeconds,
  type ResolvedWindow,
  type TrafficFilter,
  type WindowInput,
} from '../queries/traffic-filter';
import { attributeInbound, needsAttribution } from './attribute';
import { buildIdentities, identityRows, type Identities } from './identities';
import { attributedInbound } from './log-callers';
import { policyRows, trendRows, type PolicyRow } from './policy-rows';
import { buildCoverageReport, type CoverageReport } from './report';

export interface MtlsInput extends WindowInput {
  /** Traffic with either end in one of these namespaces. */
  namespaces?: readonly string[] | undefined;
  /** Trend points wanted (default 60). */
  points?: number;
}

export interface MtlsCoverage extends CoverageReport {
  window: { start: Date; end: Date; seconds: number; stepSeconds: number };
  identities: Identities;
}

/**
 * Per-edge tallies with inbound access-log evidence put on the callers' edges (when some
 * access-log evidence has no caller; otherwise no raw rows are read).
 */
export async function attributedPolicyRows(
  db: Db,
  w: ResolvedWindow,
  filter: TrafficFilter = {},
): Promise<PolicyRow[]> {
  const rows = await policyRows(db, w, filter);
  if (!needsAttribution(rows)) return rows;
  return attributeInbound(rows, await attributedInbound(db, w));
}

/** Everything the mTLS view shows for the window. */
export async function mtlsCoverage(
  db: Db,
  input: MtlsInput,
): Promise<MtlsCoverage> {
  const w = resolveWindow(input);
  const stepSeconds = seriesStepSeconds(w, input.points ?? 60);
  const filter: TrafficFilter = { namespaces: input.namespaces };
  const [rows, trend, ids] = await Promise.all([
    attributedPolicyRows(db, w, filter),
    trendRows(db, w, stepSeconds, filter),
    identityRows(db, w),
  ]);
  const wanted = new Set(input.namespaces ?? []);
  const identities = buildIdentities(
    wanted.size === 0
      ? ids
      : ids.filter(
          (r) =>
            wanted.has(r.sourceNamespace) || wanted.has(r.destinationNamespace),
        ),
  );
  return {
    window: {
      start: new Date(w.startMs),
      end: new Date(w.endMs),
      seconds: w.seconds,
      stepSeconds,
    },
    ...buildCoverageReport(rows, trend, w.seconds),
    identities,
  };
}
