/** Pure helpers for the access-log table: peer names, links to traces and topology, flags. Pure. */
import { decodeFlags, type FlagWord } from '../charts/flag-words';

export interface PeerLike {
  workload: string;
  namespace: string;
  service: string;
}

export interface LineLike {
  kind: string;
  protocol: string;
  traceId: string;
  responseFlags: string[];
  source: PeerLike;
  destination: PeerLike;
}

/** `reviews-v1.bookinfo`, else the service, else `unknown`. */
export function peerLabel(p: PeerLike): string {
  if (p.workload)
    return p.namespace ? `${p.workload}.${p.namespace}` : p.workload;
  if (p.service) return p.namespace ? `${p.service}.${p.namespace}` : p.service;
  return 'unknown';
}

const svcNode = (p: PeerLike) =>
  p.service && p.namespace ? `svc:${p.namespace}/${p.service}` : '';

/**
 * The topology service graph with this line's edge selected (`svc:ns/a->svc:ns/b:http`, as
 * app/_features/topology/url-state.ts reads `edge`), or its destination node when the caller
 * is unknown; undefined when the destination has no service either.
 */
export function topologyLink(
  line: LineLike,
  window: { fromMs: number; toMs: number },
): string | undefined {
  const src = svcNode(line.source);
  const dst = svcNode(line.destination);
  if (!dst) return undefined;
  const protocol = ['http', 'grpc', 'tcp'].includes(line.protocol)
    ? line.protocol
    : line.kind === 'tcp'
      ? 'tcp'
      : 'http';
  const q = new URLSearchParams({ graph: 'service' });
  if (src) q.set('edge', `${src}->${dst}:${protocol}`);
  else q.set('node', dst);
  q.set('from', String(Math.floor(window.fromMs)));
  q.set('to', String(Math.ceil(window.toMs)));
  return `/topology?${q.toString()}`;
}

/** `/traces/<id>` for a well-formed trace id, else undefined. */
export function traceLink(traceId: string): string | undefined {
  return /^[0-9a-f]{16,32}$/i.test(traceId)
    ? `/traces/${traceId.toLowerCase()}`
    : undefined;
}

export function lineFlags(line: LineLike): FlagWord[] {
  return decodeFlags(line.responseFlags.join(','));
}

/** Every distinct flag on the page, for the legend, in first-seen order. */
export function legendFlags(lines: readonly LineLike[]): FlagWord[] {
  const seen = new Map<string, FlagWord>();
  for (const l of lines)
    for (const f of lineFlags(l)) if (!seen.has(f.short)) seen.set(f.short, f);
  return [...seen.values()];
}

/** Tone of a response code: 5xx and 0 (no response) bad, 4xx warn. */
export function codeTone(code: number): '' | 'tone-bad' | 'tone-warn' {
  if (code === 0 || code >= 500) return 'tone-bad';
  if (code >= 400) return 'tone-warn';
  return '';
}

/** Local wall-clock time with milliseconds, `HH:MM:SS.mmm` (lines of one request are ms apart). */
export function clockTime(iso: string): string {
  const d = new Date(iso);
  if (!Number.isFinite(d.getTime())) return iso;
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  return `${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}.${p(d.getMilliseconds(), 3)}`;
}
