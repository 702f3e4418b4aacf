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
import {
  attributedInbound,
  unattributedAddresses,
  type UnattributedAddresses,
} from './log-callers';
import {
  policyRows,
  POLICY_ROWS_COARSE,
  trendRows,
  type PolicyRow,
} from './policy-rows';
import { withReportedOnly } from './reported-only';
import {
  buildCoverageReport,
  type CoverageReport,
  type EdgeCoverage,
} from './report';

export interface MtlsInput extends WindowInput {
  /** Traffic with either end in one of these namespaces. */
  namespaces?: readonly string[] | undefined;
  /** Trend points wanted (default 60). */
  points?: number;
}

export interface MtlsCoverage extends Omit<
  CoverageReport,
  'sidecarlessSources'
> {
  window: { start: Date; end: Date; seconds: number; stepSeconds: number };
  /** Unknown callers per destination, with their pod addresses when access logs show them. */
  sidecarlessSources: (EdgeCoverage & { addresses: string[] })[];
  identities: Identities;
}

/**
 * Raw access-log rows are read (to find callers by address) only for windows up to this long;
 * beyond, inbound log evidence stays on the unknown caller (docs/mtls.md).
 */
export const MAX_RAW_WINDOW_MS = 24 * 3600_000;

const rawAllowed = (w: ResolvedWindow) =>
  w.endMs - w.startMs <= MAX_RAW_WINDOW_MS;

/** The part reported-only.ts compares counts and reports in: a destination service and protocol. */
export const servicePart = (r: {
  destinationNamespace: string;
  destinationService: string;
  protocol: string;
}) => `${r.destinationNamespace}\x1f${r.destinationService}\x1f${r.protocol}`;

/**
 * Per-edge tallies with inbound access-log evidence put on the callers' edges (when some
 * access-log evidence has no caller; otherwise no raw rows are read), and what was reported but
 * not counted marked as such (reported-only.ts).
 */
export async function attributedPolicyRows(
  db: Db,
  w: ResolvedWindow,
  filter: TrafficFilter = {},
): Promise<PolicyRow[]> {
  const rows = await policyRows(db, w, filter);
  const attributed =
    needsAttribution(rows) && rawAllowed(w)
      ? attributeInbound(
          rows,
          await attributedInbound(db, w, { coarse: POLICY_ROWS_COARSE }),
        )
      : rows;
  return withReportedOnly(attributed, servicePart);
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
    trendRows(db, w, stepSeconds, filter).then((t) =>
      withReportedOnly(t, (r) => `${r.t}\x1f${servicePart(r)}`),
    ),
    identityRows(db, w),
  ]);
  const report = buildCoverageReport(rows, trend, w.seconds);
  const addresses =
    report.sidecarlessSources.length > 0 && rawAllowed(w)
      ? await unattributedAddresses(db, w)
      : [];
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
    ...report,
    sidecarlessSources: withAddresses(report.sidecarlessSources, addresses),
    identities,
  };
}

/** Each unknown-caller edge with the client addresses seen into its destination. */
function withAddresses(
  edges: readonly EdgeCoverage[],
  found: readonly UnattributedAddresses[],
): (EdgeCoverage & { addresses: string[] })[] {
  const key = (ns: string, svc: string, proto: string) =>
    `${ns}\x1f${svc}\x1f${proto}`;
  const byDest = new Map(
    found.map((a) => [
      key(a.destinationNamespace, a.destinationService, a.protocol),
      a.addresses,
    ]),
  );
  return edges.map((e) => ({
    ...e,
    addresses:
      byDest.get(
        key(e.destination.namespace, e.destination.service, e.protocol),
      ) ?? [],
  }));
}
