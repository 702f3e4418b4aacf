/**
 * The cytoscape stylesheet: maps node/edge data and classes (prepare-elements.ts) to looks.
 *   nodes   shape by kind (workload circle, app rounded square, service triangle, gateway
 *           diamond, external hexagon, unknown dashed circle); border colour by health;
 *   boxes   cluster boxes double-lined (multi-cluster graphs), namespace boxes dashed, app boxes
 *           solid, label on top;
 *   edges   colour by health (TCP blue, idle grey dotted), width by traffic, plaintext dashed;
 *           mTLS as a square "lock" at mid-edge: filled = all mutual TLS, hollow = partial;
 *           or, with the mTLS colouring, colour by mTLS state (full / partial / none / unknown).
 * Colours come from the page's CSS variables, so light and dark themes both work.
 */
import type { StylesheetJson, StylesheetStyle } from 'cytoscape';

export interface GraphTheme {
  text: string;
  muted: string;
  surface: string;
  surface2: string;
  border: string;
  ok: string;
  warn: string;
  bad: string;
  accent: string;
  tcp: string;
  edge: string;
}

const FALLBACK: GraphTheme = {
  text: '#1c222d',
  muted: '#5d6777',
  surface: '#ffffff',
  surface2: '#eef0f3',
  border: '#dde1e7',
  ok: '#23955a',
  warn: '#b97d00',
  bad: '#cf3c3c',
  accent: '#3567d6',
  tcp: '#3b82c4',
  edge: '#8a94a6',
};

/** Reads the theme from CSS variables on <html> (falls back to the light theme). */
export function readTheme(): GraphTheme {
  if (typeof window === 'undefined') return FALLBACK;
  const css = getComputedStyle(document.documentElement);
  const v = (name: string, fallback: string) =>
    css.getPropertyValue(name).trim() || fallback;
  return {
    text: v('--text', FALLBACK.text),
    muted: v('--muted', FALLBACK.muted),
    surface: v('--surface', FALLBACK.surface),
    surface2: v('--surface-2', FALLBACK.surface2),
    border: v('--border', FALLBACK.border),
    ok: v('--ok', FALLBACK.ok),
    warn: v('--warn', FALLBACK.warn),
    bad: v('--bad', FALLBACK.bad),
    accent: v('--accent', FALLBACK.accent),
    tcp: v('--graph-tcp', FALLBACK.tcp),
    edge: v('--graph-edge', FALLBACK.edge),
  };
}

/** Arrow and lock (mid-arrow) properties: haystack edges cannot draw them. */
const ARROW_PROPERTY = /^(target-arrow-|mid-target-arrow-|arrow-scale$)/;

/**
 * The stylesheet; with many edges (haystacks) the arrow properties are left out, as cytoscape
 * would not draw them anyway and every property costs time on every edge.
 */
export function graphStylesheet(
  t: GraphTheme,
  opts: { manyEdges: boolean },
): StylesheetJson {
  const sheet = fullStylesheet(t, opts);
  if (!opts.manyEdges) return sheet;
  return sheet
    .map((rule) =>
      rule.selector.startsWith('edge')
        ? {
            selector: rule.selector,
            style: Object.fromEntries(
              Object.entries(rule.style).filter(
                ([k]) => !ARROW_PROPERTY.test(k),
              ),
            ),
          }
        : rule,
    )
    .filter((rule) => Object.keys(rule.style).length > 0);
}

function fullStylesheet(
  t: GraphTheme,
  opts: { manyEdges: boolean },
): StylesheetStyle[] {
  return [
    {
      selector: 'node',
      style: {
        label: 'data(label)',
        'font-size': 11,
        'font-family': 'system-ui, sans-serif',
        color: t.text,
        'text-valign': 'bottom',
        'text-margin-y': 4,
        'text-wrap': 'ellipsis',
        'text-max-width': '150px',
        'text-background-color': t.surface,
        'text-background-opacity': 0.85,
        'text-background-padding': '1px',
        'min-zoomed-font-size': 5,
        width: 30,
        height: 30,
        'background-color': t.surface,
        'border-width': 2.5,
        'border-color': t.ok,
      },
    },
    { selector: 'node.kind-workload', style: { shape: 'ellipse' } },
    { selector: 'node.kind-app', style: { shape: 'round-rectangle' } },
    {
      selector: 'node.kind-service',
      style: { shape: 'round-triangle', width: 32, height: 28 },
    },
    {
      selector: 'node.kind-gateway',
      style: {
        shape: 'round-diamond',
        width: 36,
        height: 36,
        'background-color': t.surface2,
      },
    },
    {
      selector: 'node.kind-external',
      style: { shape: 'round-hexagon', width: 34, height: 30 },
    },
    {
      selector: 'node.kind-unknown',
      style: {
        shape: 'ellipse',
        'border-style': 'dashed',
        'border-color': t.muted,
      },
    },
    { selector: 'node.health-degraded', style: { 'border-color': t.warn } },
    {
      selector: 'node.health-failure',
      style: { 'border-color': t.bad, 'border-width': 3.5 },
    },
    { selector: 'node.health-idle', style: { 'border-color': t.border } },
    {
      selector: 'node.box',
      style: {
        shape: 'round-rectangle',
        'background-color': t.surface2,
        'background-opacity': 0.45,
        'border-width': 1,
        'border-style': 'dashed',
        'border-color': t.muted,
        'text-valign': 'top',
        'text-halign': 'center',
        'text-margin-y': -4,
        'font-size': 12,
        'font-weight': 600,
        color: t.muted,
        'text-background-opacity': 0,
        padding: '18px',
      },
    },
    {
      selector: 'node.box-cluster',
      style: {
        'border-style': 'double',
        'border-width': 3,
        'background-opacity': 0.2,
        'font-size': 13,
        'font-weight': 700,
        padding: '26px',
      },
    },
    {
      selector: 'node.box-app',
      style: {
        'border-style': 'solid',
        'background-opacity': 0.7,
        'font-size': 11,
        padding: '10px',
      },
    },
    {
      selector: 'edge',
      style: {
        width: 'data(width)',
        'curve-style': opts.manyEdges ? 'haystack' : 'bezier',
        'line-color': t.edge,
        'target-arrow-color': t.edge,
        'target-arrow-shape': opts.manyEdges ? 'none' : 'triangle',
        'arrow-scale': 0.9,
        label: 'data(label)',
        'font-size': 10,
        color: t.text,
        'text-background-color': t.surface,
        'text-background-opacity': 0.9,
        'text-background-padding': '2px',
        'text-background-shape': 'roundrectangle',
        'min-zoomed-font-size': 6,
      },
    },
    {
      selector: 'edge.health-healthy',
      style: { 'line-color': t.ok, 'target-arrow-color': t.ok },
    },
    {
      selector: 'edge.health-degraded',
      style: { 'line-color': t.warn, 'target-arrow-color': t.warn },
    },
    {
      selector: 'edge.health-failure',
      style: { 'line-color': t.bad, 'target-arrow-color': t.bad },
    },
    {
      selector: 'edge.proto-tcp',
      style: { 'line-color': t.tcp, 'target-arrow-color': t.tcp },
    },
    {
      selector: 'edge.mtls-none',
      style: { 'line-style': 'dashed', 'line-dash-pattern': [6, 3] },
    },
    {
      selector: 'edge.mtls-full',
      style: {
        'mid-target-arrow-shape': 'square',
        'mid-target-arrow-fill': 'filled',
        'mid-target-arrow-color': t.text,
        'arrow-scale': 0.9,
      },
    },
    {
      selector: 'edge.mtls-partial',
      style: {
        'mid-target-arrow-shape': 'square',
        'mid-target-arrow-fill': 'hollow',
        'mid-target-arrow-color': t.warn,
      },
    },
    // mTLS colouring (toolbar "Edge colour: mTLS"): overrides health and protocol colours
    ...(
      [
        ['full', t.ok],
        ['partial', t.warn],
        ['none', t.bad],
        ['unknown', t.muted],
      ] as const
    ).map(([state, colour]) => ({
      selector: `edge.color-mtls.mtls-${state}`,
      style: { 'line-color': colour, 'target-arrow-color': colour },
    })),
    {
      selector: 'edge.inferred',
      style: {
        'line-color': t.muted,
        'target-arrow-color': t.muted,
        'line-style': 'dotted',
        width: 1.5,
        opacity: 0.7,
      },
    },
    {
      selector: 'edge.idle',
      style: {
        'line-color': t.border,
        'target-arrow-color': t.border,
        'line-style': 'dotted',
        width: 1.5,
      },
    },
    {
      selector: ':selected',
      style: {
        'overlay-color': t.accent,
        'overlay-opacity': 0.18,
        'overlay-padding': 6,
      },
    },
    {
      selector: 'node:selected',
      style: { 'border-color': t.accent, 'border-width': 4 },
    },
    { selector: '.faded', style: { opacity: 0.18 } },
    {
      selector: 'node.highlighted',
      style: {
        'border-color': t.accent,
        'border-width': 4,
        'font-weight': 700,
      },
    },
    {
      selector: '.focused',
      style: {
        'overlay-color': t.accent,
        'overlay-opacity': 0.12,
        'overlay-padding': 8,
      },
    },
  ];
}
