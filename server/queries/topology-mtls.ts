/**
 * The topology's mTLS locks from the mTLS view's own per-edge figures (server/mtls), so both
 * views agree (docs/mtls.md). The topology query's destination-reported sums are already the
 * mTLS view's for metrics and spans; they differ only where access logs carry the evidence: an
 * inbound access-log line names no caller, so the view hands its evidence to the caller found
 * by address (server/mtls/attribute.ts), and a client-side line's evidence is never used. So
 * only when some edge's figures come from access logs (or carry client-side evidence) is the
 * view's per-edge read run, and its mutual-TLS and plaintext volumes replace the edge's.
 */
import type { Db } from '../db/client';
import { attributedPolicyRows } from '../mtls/coverage';
import type { EdgeAggregate } from '../topology/types';
import type { ResolvedWindow, TrafficFilter } from './traffic-filter';

/** Whether the rows' locks may differ from the mTLS view's (access-log evidence). */
export function needsMtlsView(rows: readonly EdgeAggregate[]): boolean {
  return rows.some(
    (r) =>
      r.signal === 'access_log' ||
      r.measures.mtls.srcYes + r.measures.mtls.srcNo > 0,
  );
}

interface Lock {
  yes: number;
  no: number;
}

/** Caller, destination service and protocol, signal (as the view's edges) + workload. */
const keysOf = (r: {
  sourceNamespace: string;
  sourceWorkload: string;
  destinationNamespace: string;
  destinationService: string;
  destinationWorkload: string;
  protocol: string;
  signal: string;
}) => {
  const edge = [
    r.sourceNamespace,
    r.sourceWorkload,
    r.destinationNamespace,
    r.destinationService,
    r.protocol,
    r.signal,
  ].join('\x1f');
  return { edge, row: `${edge}\x1f${r.destinationWorkload}` };
};

/**
 * The rows with the mTLS view's mutual-TLS and plaintext requests + connections as their
 * destination-reported figures, and no client-side evidence. Returns new rows.
 * The view's figures land on the row of the same caller, destination service, workload,
 * protocol and signal (its first, when version labels alone differ). What the view has for a
 * workload no row names (evidence found by address carries the server's workload, a client's
 * line may not) is spread over the rows of that caller, service, protocol and signal in
 * proportion to their traffic, so the caller -> service edge gets it whole.
 */
export async function withMtlsView(
  db: Db,
  w: ResolvedWindow,
  filter: TrafficFilter,
  rows: readonly EdgeAggregate[],
): Promise<EdgeAggregate[]> {
  const policy = await attributedPolicyRows(db, w, filter);
  const rowIndex = new Map<string, number>();
  const byEdge = new Map<string, number[]>();
  rows.forEach((r, i) => {
    const k = keysOf(r);
    if (!rowIndex.has(k.row)) rowIndex.set(k.row, i);
    const list = byEdge.get(k.edge) ?? [];
    list.push(i);
    byEdge.set(k.edge, list);
  });
  const locks: Lock[] = rows.map(() => ({ yes: 0, no: 0 }));
  const left = new Map<string, Lock>();
  for (const p of policy) {
    const yes = p.tally.mtls.requests + p.tally.mtls.connections;
    const no = p.tally.plaintext.requests + p.tally.plaintext.connections;
    if (yes + no === 0) continue;
    const k = keysOf(p);
    const i = rowIndex.get(k.row);
    const into =
      i !== undefined
        ? locks[i]!
        : (left.get(k.edge) ??
          left.set(k.edge, { yes: 0, no: 0 }).get(k.edge)!);
    into.yes += yes;
    into.no += no;
  }
  for (const [edge, lock] of left) {
    const members = byEdge.get(edge) ?? [];
    const weight = (i: number) =>
      rows[i]!.measures.requests + rows[i]!.measures.connections;
    const total = members.reduce((n, i) => n + weight(i), 0);
    for (const i of members) {
      const part = total > 0 ? weight(i) / total : 1 / members.length;
      locks[i]!.yes += lock.yes * part;
      locks[i]!.no += lock.no * part;
    }
  }
  return rows.map((r, i) => ({
    ...r,
    measures: {
      ...r.measures,
      mtls: {
        ...r.measures.mtls,
        destYes: locks[i]!.yes,
        destNo: locks[i]!.no,
        srcYes: 0,
        srcNo: 0,
      },
    },
  }));
}
