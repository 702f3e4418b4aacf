/**
 * Traffic a destination reported that no counted row holds. Inbound access-log lines name no
 * caller, so when in-mesh callers' own outbound lines are counted, the unknown-caller lines are
 * not (count-once.ts rule 1): a sidecar-less caller's requests are then reported (their policy
 * is in the shares) but not counted. Subtracting them from the group's counted traffic would
 * turn other traffic's unknown into known (a 60-request plaintext caller hid 60 unknown requests
 * to an external host in the mesh figure). Pure.
 *
 * Per part (destination service and protocol: every caller of it, so counted traffic and its
 * destination's reports cover the same requests), what was reported beyond what was counted is
 * reported-only; it is put on the part's rows that hold more reports than counts, unknown
 * callers first, so every group above a part (edge, cluster, namespace, mesh) sums the parts'
 * unknown instead of netting it against another part's reports.
 */
import { addVolume, zeroVolume, type Tally, type Volume } from './tally';

const MEASURES = ['requests', 'connections', 'bytes'] as const;

const excess = (t: Tally): Volume => {
  const v = zeroVolume();
  for (const k of MEASURES)
    v[k] = Math.max(0, t.mtls[k] + t.plaintext[k] - t.total[k]);
  return v;
};

/** Rows with `tally.reportedOnly` set (new objects; the inputs are not changed). */
export function withReportedOnly<
  R extends { tally: Tally; sourceWorkload?: string },
>(rows: readonly R[], partOf: (r: R) => string): R[] {
  const out = rows.map((r) => ({
    ...r,
    tally: {
      total: { ...r.tally.total },
      mtls: { ...r.tally.mtls },
      plaintext: { ...r.tally.plaintext },
      reportedOnly: zeroVolume(),
    },
  }));
  const parts = new Map<string, { sum: Tally; rows: R[] }>();
  for (const r of out) {
    const k = partOf(r);
    let p = parts.get(k);
    if (!p) {
      p = {
        sum: {
          total: zeroVolume(),
          mtls: zeroVolume(),
          plaintext: zeroVolume(),
          reportedOnly: zeroVolume(),
        },
        rows: [],
      };
      parts.set(k, p);
    }
    addVolume(p.sum.total, r.tally.total);
    addVolume(p.sum.mtls, r.tally.mtls);
    addVolume(p.sum.plaintext, r.tally.plaintext);
    p.rows.push(r);
  }
  for (const p of parts.values()) {
    const left = excess(p.sum);
    if (MEASURES.every((k) => left[k] === 0)) continue;
    const rank = (r: R) => (r.sourceWorkload === '' ? 0 : 1);
    const order = [...p.rows].sort((a, b) => rank(a) - rank(b));
    // Σ of the rows' excess is at least the part's, so everything is placed.
    for (const r of order) {
      const e = excess(r.tally);
      for (const k of MEASURES) {
        const n = Math.min(e[k], left[k]);
        r.tally.reportedOnly[k] += n;
        left[k] -= n;
      }
    }
  }
  return out;
}
