/**
 * Puts inbound access-log evidence on the caller's edge (log-callers.ts says why it is needed).
 * Pure. Only traffic the rollups hold on an unknown-caller access-log row of the same
 * destination (service, workload, cluster, protocol) is moved, never more than that row holds,
 * so totals per destination never change and nothing is counted twice: when another signal was
 * chosen for that traffic, the access-log rows are not there to move from.
 */
import type { AttributedRow } from './log-callers';
import type { PolicyRow } from './policy-rows';
import { emptyTally, type Volume } from './tally';

const destKey = (r: {
  destinationNamespace: string;
  destinationService: string;
  destinationWorkload: string;
  destinationCluster: string;
  protocol: string;
}) =>
  [
    r.destinationNamespace,
    r.destinationService,
    r.destinationWorkload,
    r.destinationCluster,
    r.protocol,
  ].join('\x1f');

const MEASURES = ['requests', 'connections', 'bytes'] as const;

/** Moves up to `want` from `from` to `to` per measure (MUTATES both). */
function move(from: Volume, to: Volume, want: Volume): void {
  for (const k of MEASURES) {
    const n = Math.max(0, Math.min(from[k], want[k]));
    from[k] -= n;
    to[k] += n;
  }
}

const minMs = (a: number | null, b: number | null) =>
  a === null ? b : b === null ? a : Math.min(a, b);
const maxMs = (a: number | null, b: number | null) =>
  a === null ? b : b === null ? a : Math.max(a, b);

/** True when some access-log row has destination evidence without a caller (worth attributing). */
export function needsAttribution(rows: readonly PolicyRow[]): boolean {
  return rows.some(
    (r) =>
      r.signal === 'access_log' &&
      r.sourceWorkload === '' &&
      r.tally.mtls.requests +
        r.tally.mtls.connections +
        r.tally.plaintext.requests +
        r.tally.plaintext.connections >
        0,
  );
}

/**
 * The rows with attributed evidence moved from unknown-caller access-log rows onto rows of the
 * caller (created with zero totals when the caller had none for that exact destination key).
 * Returns new rows; the inputs are not changed.
 */
export function attributeInbound(
  rows: readonly PolicyRow[],
  attributed: readonly AttributedRow[],
): PolicyRow[] {
  const out = rows.map((r) => ({
    ...r,
    tally: {
      total: { ...r.tally.total },
      mtls: { ...r.tally.mtls },
      plaintext: { ...r.tally.plaintext },
      reportedOnly: { ...r.tally.reportedOnly },
    },
  }));
  const unnamed = new Map<string, PolicyRow>();
  for (const r of out)
    if (r.signal === 'access_log' && r.sourceWorkload === '')
      unnamed.set(destKey(r), r);
  const named = new Map<string, PolicyRow>();
  const namedKey = (a: {
    sourceNamespace: string;
    sourceWorkload: string;
    sourceService: string;
    destinationNamespace: string;
    destinationService: string;
    destinationWorkload: string;
    destinationCluster: string;
    protocol: string;
  }) =>
    [a.sourceNamespace, a.sourceWorkload, a.sourceService, destKey(a)].join(
      '\x1e',
    );
  for (const r of out)
    if (r.signal === 'access_log' && r.sourceWorkload !== '')
      named.set(namedKey(r), r);
  for (const a of attributed) {
    const from = unnamed.get(destKey(a));
    if (!from) continue;
    let to = named.get(namedKey(a));
    if (!to) {
      to = {
        signal: 'access_log',
        sourceNamespace: a.sourceNamespace,
        sourceWorkload: a.sourceWorkload,
        sourceService: a.sourceService,
        destinationNamespace: a.destinationNamespace,
        destinationService: a.destinationService,
        destinationWorkload: a.destinationWorkload,
        destinationCluster: a.destinationCluster,
        protocol: a.protocol,
        tally: emptyTally(),
        plaintextFirstMs: null,
        plaintextLastMs: null,
      };
      named.set(namedKey(a), to);
      out.push(to);
    }
    move(from.tally.mtls, to.tally.mtls, a.mtls);
    const before = to.tally.plaintext.requests + to.tally.plaintext.connections;
    move(from.tally.plaintext, to.tally.plaintext, a.plaintext);
    if (to.tally.plaintext.requests + to.tally.plaintext.connections > before) {
      to.plaintextFirstMs = minMs(to.plaintextFirstMs, a.plaintextFirstMs);
      to.plaintextLastMs = maxMs(to.plaintextLastMs, a.plaintextLastMs);
    }
  }
  return out;
}
