/** The trace page's URL state: the selected span and the tab. Pure. */

export type TraceTab = 'waterfall' | 'flame' | 'stats';

const TABS: readonly TraceTab[] = ['waterfall', 'flame', 'stats'];

export interface TracePageState {
  span: string;
  tab: TraceTab;
}

export function parseTracePageState(p: {
  get(name: string): string | null;
}): TracePageState {
  return {
    span: p.get('span') ?? '',
    tab: TABS.find((t) => t === p.get('view')) ?? 'waterfall',
  };
}

export function tracePageParams(
  patch: Partial<TracePageState>,
): Record<string, string | null> {
  const out: Record<string, string | null> = {};
  if (patch.span !== undefined) out.span = patch.span || null;
  if (patch.tab !== undefined)
    out.view = patch.tab === 'waterfall' ? null : patch.tab;
  return out;
}
