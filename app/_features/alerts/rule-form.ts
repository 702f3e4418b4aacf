/**
 * The rule form's state and its conversions: form fields <-> the rule the API takes, and the
 * API's validation issues (dotted paths such as "spec.scope.service") -> the field they belong
 * to. Pure, so the form component only renders.
 */

export const KINDS = [
  {
    value: 'error_rate',
    label: 'Error rate',
    hint: 'share of requests answered 5xx or gRPC error, 0..1',
  },
  {
    value: 'latency_percentile',
    label: 'Latency percentile',
    hint: 'milliseconds at a percentile',
  },
  {
    value: 'request_rate',
    label: 'Request rate drop / spike',
    hint: 'rate now / rate in the baseline before',
  },
  {
    value: 'mtls_coverage_below',
    label: 'mTLS coverage below',
    hint: 'share of mutual-TLS traffic, 0..1',
  },
  {
    value: 'new_plaintext_edge',
    label: 'New plaintext edge',
    hint: 'plaintext requests on an edge that had none',
  },
  {
    value: 'response_flag_rate',
    label: 'Response flag rate',
    hint: 'share of requests with Envoy flags, 0..1',
  },
] as const;
export type KindName = (typeof KINDS)[number]['value'];
export type ScopeType = 'mesh' | 'namespace' | 'service' | 'edge';
export type DestinationType = 'webhook' | 'slack' | 'alertmanager';

export interface RuleForm {
  name: string;
  enabled: boolean;
  kind: KindName;
  scopeType: ScopeType;
  namespace: string;
  service: string;
  srcNamespace: string;
  srcService: string;
  dstNamespace: string;
  dstService: string;
  groupBy: 'none' | 'service' | 'edge';
  threshold: string;
  percentile: string;
  direction: 'drop' | 'spike';
  baseline: string;
  flags: string;
  window: string;
  for: string;
  minRequests: string;
  /** One `name=value` per line. */
  labels: string;
  annotations: string;
  notify: { type: DestinationType; url: string }[];
}

export function emptyForm(): RuleForm {
  return {
    name: '',
    enabled: true,
    kind: 'error_rate',
    scopeType: 'service',
    namespace: '',
    service: '',
    srcNamespace: '',
    srcService: '',
    dstNamespace: '',
    dstService: '',
    groupBy: 'none',
    threshold: '0.05',
    percentile: '0.99',
    direction: 'drop',
    baseline: '',
    flags: 'UO',
    window: '5m',
    for: '1m',
    minRequests: '1',
    labels: 'severity=warning',
    annotations: '',
    notify: [],
  };
}

/** "a=1\nb=2" -> {a: '1', b: '2'}; lines without "=" become names with an empty value. */
export function parsePairs(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const t = line.trim();
    if (!t) continue;
    const i = t.indexOf('=');
    if (i < 0) out[t] = '';
    else out[t.slice(0, i).trim()] = t.slice(i + 1).trim();
  }
  return out;
}

export const formatPairs = (r: Record<string, string>) =>
  Object.entries(r)
    .map(([k, v]) => `${k}=${v}`)
    .join('\n');

/** A number when the text is one; otherwise the text, so the server names the problem. */
const numeric = (s: string): number | string =>
  s.trim() !== '' && Number.isFinite(Number(s)) ? Number(s) : s;

function scopeOf(f: RuleForm): Record<string, unknown> {
  switch (f.scopeType) {
    case 'mesh':
      return { type: 'mesh' };
    case 'namespace':
      return { type: 'namespace', namespace: f.namespace };
    case 'service':
      return { type: 'service', namespace: f.namespace, service: f.service };
    case 'edge':
      return {
        type: 'edge',
        source: { namespace: f.srcNamespace, service: f.srcService },
        destination: { namespace: f.dstNamespace, service: f.dstService },
      };
  }
}

/** The rule as the API takes it (`alerts.add`, `alerts.validate`). */
export function toRuleInput(f: RuleForm): {
  name: string;
  enabled: boolean;
  spec: Record<string, unknown>;
} {
  const spec: Record<string, unknown> = {
    kind: f.kind,
    scope: scopeOf(f),
    groupBy:
      f.scopeType === 'mesh' || f.scopeType === 'namespace'
        ? f.groupBy
        : 'none',
    window: f.window.trim(),
    for: f.for.trim() || '0s',
    minRequests: numeric(f.minRequests || '1'),
    labels: parsePairs(f.labels),
    annotations: parsePairs(f.annotations),
    notify: f.notify.map((d) => ({ type: d.type, url: d.url.trim() })),
  };
  if (f.kind !== 'new_plaintext_edge' || f.threshold.trim() !== '')
    spec.threshold = numeric(f.threshold);
  if (f.kind === 'latency_percentile') spec.percentile = numeric(f.percentile);
  if (f.kind === 'request_rate') spec.direction = f.direction;
  if (
    (f.kind === 'request_rate' || f.kind === 'new_plaintext_edge') &&
    f.baseline.trim()
  )
    spec.baseline = f.baseline.trim();
  if (f.kind === 'response_flag_rate')
    spec.flags = f.flags
      .split(/[\s,]+/)
      .map((s) => s.trim())
      .filter(Boolean);
  return { name: f.name.trim(), enabled: f.enabled, spec };
}

interface StoredPeer {
  namespace: string;
  service: string;
}

/** A rule's spec as the API returns it (every kind's fields optional). */
export interface StoredSpec {
  kind: string;
  scope: {
    type: string;
    namespace?: string;
    service?: string;
    source?: StoredPeer;
    destination?: StoredPeer;
  };
  groupBy?: string;
  threshold?: number;
  percentile?: number;
  direction?: string;
  baseline?: string;
  flags?: string[];
  window?: string;
  for?: string;
  minRequests?: number;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  notify?: { type: DestinationType; url: string }[];
}

const str = (v: string | number | undefined) =>
  v === undefined ? '' : String(v);

/** A stored rule back into the form. */
export function fromRule(r: {
  name: string;
  enabled: boolean;
  spec: StoredSpec;
}): RuleForm {
  const s = r.spec;
  const scope = s.scope;
  return {
    ...emptyForm(),
    name: r.name,
    enabled: r.enabled,
    kind: s.kind as KindName,
    scopeType: scope.type as ScopeType,
    namespace: str(scope.namespace),
    service: str(scope.service),
    srcNamespace: str(scope.source?.namespace),
    srcService: str(scope.source?.service),
    dstNamespace: str(scope.destination?.namespace),
    dstService: str(scope.destination?.service),
    groupBy: (s.groupBy ?? 'none') as RuleForm['groupBy'],
    threshold: str(s.threshold),
    percentile: str(s.percentile ?? 0.99),
    direction: (s.direction ?? 'drop') as RuleForm['direction'],
    baseline: str(s.baseline),
    flags: (s.flags ?? []).join(', '),
    window: str(s.window),
    for: str(s.for),
    minRequests: str(s.minRequests ?? 1),
    labels: formatPairs(s.labels ?? {}),
    annotations: formatPairs(s.annotations ?? {}),
    notify: (s.notify ?? []).map((d) => ({ ...d })),
  };
}

const FIELD_BY_PATH: [RegExp, string][] = [
  [/^name/, 'name'],
  [/^spec\.scope\.source\.namespace/, 'srcNamespace'],
  [/^spec\.scope\.source\.service/, 'srcService'],
  [/^spec\.scope\.destination\.namespace/, 'dstNamespace'],
  [/^spec\.scope\.destination\.service/, 'dstService'],
  [/^spec\.scope\.source/, 'srcService'],
  [/^spec\.scope\.destination/, 'dstService'],
  [/^spec\.scope\.namespace/, 'namespace'],
  [/^spec\.scope\.service/, 'service'],
  [/^spec\.scope/, 'scopeType'],
  [/^spec\.notify\.(\d+)/, 'notify.$1'],
  [/^spec\.(\w+)/, '$1'],
];

/** Issues by form field ('form' for those that belong to none). */
export function issuesByField(
  issues: readonly { path: string; message: string }[],
): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const i of issues) {
    let field = 'form';
    for (const [re, to] of FIELD_BY_PATH) {
      const m = re.exec(i.path);
      if (m) {
        field = to.replace('$1', m[1] ?? '');
        break;
      }
    }
    (out[field] ??= []).push(i.message);
  }
  return out;
}
