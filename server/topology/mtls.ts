/**
 * mTLS decorator (as Kiali's security_policy appender): the share of traffic the destination
 * proxy reported as mutual TLS, among traffic whose policy it reported. Only the destination
 * knows (Istio's source reporter always says unknown); an access log's client-side line with the
 * upstream peer certificate is evidence too, used only when no destination reported. The
 * topology graph's edges get the mTLS view's figures instead, without that fallback
 * (server/queries/topology-mtls.ts, docs/mtls.md "The topology's locks").
 */
import type { MtlsCounts } from './measures';
import type { MtlsState } from './types';

export interface MtlsFigures {
  /** 0..1, or null when no traffic has a known policy. */
  share: number | null;
  /** 0..1 of the traffic with no known policy (shown as unknown, never guessed). */
  unknownShare: number;
  state: MtlsState;
}

export function mtlsFigures(m: MtlsCounts, total: number): MtlsFigures {
  let yes = m.destYes;
  let no = m.destNo;
  if (yes + no === 0) {
    yes = m.srcYes;
    no = m.srcNo;
  }
  const known = yes + no;
  const share = known > 0 ? yes / known : null;
  const unknownShare =
    total > 0 ? Math.max(0, Math.min(1, 1 - known / total)) : known > 0 ? 0 : 1;
  let state: MtlsState = 'unknown';
  if (share !== null)
    state = share >= 0.9995 ? 'full' : share <= 0.0005 ? 'none' : 'partial';
  return { share, unknownShare, state };
}
