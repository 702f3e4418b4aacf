/**
 * What an embed URL asks for (docs/embedding.md): the token, theme and colours, refresh,
 * window, and what to show. Pure and forgiving: a bad value falls back to the default, never
 * into the page (colours must be hex, names are length-capped).
 */
export type EmbedTheme = 'auto' | 'light' | 'dark';

export interface EmbedOptions {
  token: string;
  theme: EmbedTheme;
  /** CSS custom properties to set, only from validated hex colours. */
  colors: Record<string, string>;
  refreshMs: number;
  lastMs: number;
  namespaces: string[];
  graphType: 'workload' | 'app' | 'service';
  namespace: string;
  service: string;
}

type Params = Record<string, string | string[] | undefined>;

const first = (v: string | string[] | undefined): string =>
  (Array.isArray(v) ? v[0] : v) ?? '';

const HEX = /^#?([0-9a-fA-F]{3}|[0-9a-fA-F]{6})$/;
const COLOR_PARAMS: Record<string, string> = {
  accent: '--accent',
  bg: '--bg',
  surface: '--surface',
  text: '--text',
};

function clampInt(v: string, def: number, min: number, max: number): number {
  const n = Number(v);
  if (v === '' || !Number.isFinite(n)) return def;
  return Math.min(max, Math.max(min, Math.round(n)));
}

export function parseEmbedOptions(p: Params): EmbedOptions {
  const theme = first(p.theme);
  const colors: Record<string, string> = {};
  for (const [param, cssVar] of Object.entries(COLOR_PARAMS)) {
    const v = first(p[param]);
    if (HEX.test(v)) colors[cssVar] = v.startsWith('#') ? v : `#${v}`;
  }
  const graphType = first(p.graphType);
  return {
    token: first(p.token).slice(0, 4096),
    theme: theme === 'light' || theme === 'dark' ? theme : 'auto',
    colors,
    refreshMs: clampInt(first(p.refresh), 30, 10, 3600) * 1000,
    lastMs: clampInt(first(p.minutes), 15, 1, 1440) * 60_000,
    namespaces: first(p.namespaces)
      .split(',')
      .map((n) => n.trim().slice(0, 253))
      .filter(Boolean)
      .slice(0, 50),
    graphType:
      graphType === 'app' || graphType === 'service' ? graphType : 'workload',
    namespace: first(p.namespace).slice(0, 253),
    service: first(p.service).slice(0, 253),
  };
}

/** The origins a token allows, read from its (unverified) payload: where to post events. */
export function tokenOrigins(token: string): string[] {
  const part = token.split('.')[1];
  if (!part) return [];
  try {
    const json = atob(part.replace(/-/g, '+').replace(/_/g, '/'));
    const payload = JSON.parse(json) as { org?: unknown };
    return Array.isArray(payload.org)
      ? payload.org.filter((o): o is string => typeof o === 'string')
      : [];
  } catch {
    return [];
  }
}

/** Namespaced messages to the host page (docs/embedding.md "Events"). */
export type EmbedEvent =
  | { type: 'meshlens:ready'; widget: string }
  | { type: 'meshlens:resized'; widget: string; width: number; height: number }
  | {
      type: 'meshlens:node-clicked';
      widget: string;
      node: {
        id: string;
        kind: string;
        namespace: string;
        workload: string;
        service: string;
        app: string;
        version: string;
      };
    };

/** Posts an event to the host page, only to the origins the token allows. */
export function postToHost(event: EmbedEvent, origins: string[]): void {
  if (typeof window === 'undefined' || window.parent === window) return;
  const targets = origins.includes('*') ? ['*'] : origins;
  for (const origin of targets) window.parent.postMessage(event, origin);
}
