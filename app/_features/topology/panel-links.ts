/** Links from a selection to the traces and access-log views for the same window. Pure. */
import { absoluteWindow, type TimeRange } from '../../_components/time-range';

export interface LinkPeer {
  namespace: string;
  service: string;
  workload: string;
}

/** `/traces?...` and `/logs?...` for traffic of `peer` (an edge's callee, or a node). */
export function viewLinks(
  peer: LinkPeer,
  range: TimeRange,
  nowMs = Date.now(),
  from?: LinkPeer,
): { traces: string; logs: string } {
  const w = absoluteWindow(range, nowMs);
  const p = new URLSearchParams({
    from: String(Math.floor(w.fromMs)),
    to: String(Math.ceil(w.toMs)),
  });
  if (peer.service) p.set('service', peer.service);
  if (peer.namespace) p.set('namespace', peer.namespace);
  if (peer.workload) p.set('workload', peer.workload);
  if (from?.workload) p.set('sourceWorkload', from.workload);
  // the traces view narrows to traces through the caller too (Istio names spans <app>.<ns>)
  if (from?.service)
    p.set(
      'caller',
      from.namespace && !from.service.includes('.')
        ? `${from.service}.${from.namespace}`
        : from.service,
    );
  const q = p.toString();
  return { traces: `/traces?${q}`, logs: `/logs?${q}` };
}
