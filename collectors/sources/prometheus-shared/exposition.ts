/**
 * Parser for the Prometheus text exposition format 0.0.4 and OpenMetrics 1.0 text
 * (shared/reference/prometheus.md sections 1-2). Pure: text in, samples out.
 *
 * Like Prometheus, a malformed line fails the whole exposition (ExpositionError names the line):
 * half a scrape would make counters look reset and histograms inconsistent.
 * Differences that matter: OpenMetrics timestamps are seconds (0.0.4: milliseconds), OpenMetrics
 * must end with `# EOF`, and its counter families are TYPEd without the `_total` suffix.
 */

export type MetricType =
  'counter' | 'gauge' | 'histogram' | 'summary' | 'untyped';
export type ExpositionFormat = 'text' | 'openmetrics';
export type Labels = Record<string, string>;

export interface ParsedSample {
  /** Metric name as served, e.g. `istio_requests_total`, `x_bucket`. */
  name: string;
  /** Labels without `__name__`, values unescaped. */
  labels: Labels;
  value: number;
  /** Exposition timestamp in ms since the epoch, undefined when the line has none. */
  timestampMs: number | undefined;
  /** Our storage type (see metricTypeOf). */
  type: MetricType;
  /** True for monotonic cumulative series: counters, histogram/summary `_bucket`/`_sum`/`_count`. */
  cumulative: boolean;
}

export class ExpositionError extends Error {
  override name = 'ExpositionError';
  constructor(
    public readonly line: number,
    reason: string,
    text: string,
  ) {
    super(
      `line ${line}: ${reason}: "${text.length > 120 ? `${text.slice(0, 120)}...` : text}"`,
    );
  }
}

/** The format a scrape response declares; anything not OpenMetrics is read as 0.0.4 text. */
export function formatOfContentType(
  contentType: string | undefined,
): ExpositionFormat {
  return /application\/openmetrics-text/i.test(contentType ?? '')
    ? 'openmetrics'
    : 'text';
}

/** The `Accept` header Prometheus sends: OpenMetrics first, 0.0.4 text as the fallback. */
export const SCRAPE_ACCEPT =
  'application/openmetrics-text;version=1.0.0;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1';

const DECLARED_TYPES = new Set([
  'counter',
  'gauge',
  'histogram',
  'summary',
  'untyped',
  'unknown',
  'stateset',
  'info',
  'gaugehistogram',
]);

/** Suffixes a family's samples may carry, by declared type. */
const SUFFIXES: Record<string, string[]> = {
  counter: ['_total', '_created'],
  histogram: ['_bucket', '_count', '_sum', '_created'],
  gaugehistogram: ['_bucket', '_gcount', '_gsum'],
  summary: ['_count', '_sum', '_created'],
  info: ['_info'],
};

/**
 * Storage type and monotonicity of one sample of a family declared as `declared`.
 * `_created` samples are timestamps (gauges); OpenMetrics stateset/info/gaugehistogram are gauges.
 */
export function metricTypeOf(
  declared: string | undefined,
  suffix: string,
): { type: MetricType; cumulative: boolean } {
  if (suffix === '_created') return { type: 'gauge', cumulative: false };
  switch (declared) {
    case 'counter':
      return { type: 'counter', cumulative: true };
    case 'histogram':
      return { type: 'histogram', cumulative: true };
    case 'summary':
      return {
        type: 'summary',
        cumulative: suffix === '_sum' || suffix === '_count',
      };
    case 'gauge':
    case 'stateset':
    case 'info':
    case 'gaugehistogram':
      return { type: 'gauge', cumulative: false };
    default:
      return { type: 'untyped', cumulative: false };
  }
}

/** Go ParseFloat-compatible number parsing (NaN, ±Inf, exponents); undefined when invalid. */
export function parseFloatStrict(text: string): number | undefined {
  if (text.length === 0) return undefined;
  const lower = text.toLowerCase();
  if (lower === 'nan') return NaN;
  if (
    lower === '+inf' ||
    lower === 'inf' ||
    lower === '+infinity' ||
    lower === 'infinity'
  )
    return Infinity;
  if (lower === '-inf' || lower === '-infinity') return -Infinity;
  if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(text)) return undefined;
  return Number(text);
}

const NAME_RE = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;

interface Cursor {
  s: string;
  i: number;
}

function readQuoted(c: Cursor): string | undefined {
  // c.s[c.i] === '"'
  let out = '';
  let start = ++c.i;
  for (; c.i < c.s.length; c.i++) {
    const ch = c.s.charCodeAt(c.i);
    if (ch === 34 /* " */) {
      out += c.s.slice(start, c.i);
      c.i++;
      return out;
    }
    if (ch === 92 /* \ */) {
      out += c.s.slice(start, c.i);
      const next = c.s[c.i + 1];
      if (next === 'n') out += '\n';
      else if (next === '\\' || next === '"') out += next;
      else return undefined;
      c.i++;
      start = c.i + 1;
    }
  }
  return undefined;
}

function skipBlanks(c: Cursor): void {
  while (c.i < c.s.length && (c.s[c.i] === ' ' || c.s[c.i] === '\t')) c.i++;
}

function readName(c: Cursor): string {
  const start = c.i;
  while (c.i < c.s.length) {
    const ch = c.s.charCodeAt(c.i);
    const ok =
      (ch >= 97 && ch <= 122) ||
      (ch >= 65 && ch <= 90) ||
      (ch >= 48 && ch <= 57) ||
      ch === 95 ||
      ch === 58;
    if (!ok) break;
    c.i++;
  }
  return c.s.slice(start, c.i);
}

/** Reads `{a="b",...}` at the cursor; returns the quoted metric name if one was inside. */
function readLabels(c: Cursor, labels: Labels): string | undefined | null {
  let quotedName: string | undefined;
  c.i++; // {
  for (;;) {
    skipBlanks(c);
    if (c.s[c.i] === '}') {
      c.i++;
      return quotedName;
    }
    let key: string | undefined;
    if (c.s[c.i] === '"') {
      key = readQuoted(c);
      if (key === undefined) return null;
      skipBlanks(c);
      if (c.s[c.i] !== '=') {
        // `{"my.dotted.metric", ...}`: a quoted name alone is the metric name
        if (quotedName !== undefined) return null;
        quotedName = key;
        key = undefined;
      }
    } else {
      key = readName(c);
      if (key.length === 0) return null;
      skipBlanks(c);
    }
    if (key !== undefined) {
      if (c.s[c.i] !== '=') return null;
      c.i++;
      skipBlanks(c);
      if (c.s[c.i] !== '"') return null;
      const value = readQuoted(c);
      if (value === undefined) return null;
      if (Object.prototype.hasOwnProperty.call(labels, key)) return null;
      labels[key] = value;
      skipBlanks(c);
    }
    if (c.s[c.i] === ',') c.i++;
    else if (c.s[c.i] !== '}') return null;
  }
}

function readToken(c: Cursor): string {
  const start = c.i;
  while (c.i < c.s.length && c.s[c.i] !== ' ' && c.s[c.i] !== '\t') c.i++;
  return c.s.slice(start, c.i);
}

/** Family name and suffix of a sample, given the families declared so far. */
export function familyOf(
  name: string,
  declared: Map<string, string>,
): { family: string; suffix: string } {
  if (declared.has(name)) return { family: name, suffix: '' };
  for (const [type, suffixes] of Object.entries(SUFFIXES)) {
    for (const suffix of suffixes) {
      if (name.endsWith(suffix)) {
        const base = name.slice(0, -suffix.length);
        if (declared.get(base) === type) return { family: base, suffix };
      }
    }
  }
  return { family: name, suffix: '' };
}

/**
 * Parses a whole exposition. Throws ExpositionError on the first malformed line.
 * @param text the decoded (UTF-8, decompressed) body
 */
export function parseExposition(
  text: string,
  format: ExpositionFormat,
): ParsedSample[] {
  const declared = new Map<string, string>();
  const samples: ParsedSample[] = [];
  const om = format === 'openmetrics';
  let sawEof = false;
  let lineNo = 0;
  let pos = 0;
  while (pos < text.length) {
    let end = text.indexOf('\n', pos);
    if (end < 0) end = text.length;
    let line = text.slice(pos, end);
    pos = end + 1;
    lineNo++;
    if (line.endsWith('\r')) line = line.slice(0, -1);
    if (sawEof) {
      if (line.trim().length > 0)
        throw new ExpositionError(lineNo, 'content after # EOF', line);
      continue;
    }
    if (line.trim().length === 0) {
      if (om)
        throw new ExpositionError(
          lineNo,
          'empty line (not allowed in OpenMetrics)',
          line,
        );
      continue;
    }
    if (line.startsWith('#')) {
      const parts = line.split(/[ \t]+/);
      if (parts[0] === '#' && parts[1] === 'EOF' && parts.length === 2) {
        sawEof = true;
        continue;
      }
      if (parts[0] === '#' && parts[1] === 'TYPE') {
        const name = parts[2] ?? '';
        const type = (parts[3] ?? '').toLowerCase();
        if (
          !NAME_RE.test(name) ||
          !DECLARED_TYPES.has(type) ||
          parts.length > 4
        ) {
          throw new ExpositionError(lineNo, 'malformed # TYPE line', line);
        }
        if (declared.has(name))
          throw new ExpositionError(lineNo, `second # TYPE for ${name}`, line);
        declared.set(name, type);
      }
      // HELP, UNIT and (0.0.4) plain comments carry nothing we store.
      continue;
    }
    samples.push(parseSampleLine(line, lineNo, om, declared));
  }
  if (om && !sawEof)
    throw new ExpositionError(
      lineNo,
      'OpenMetrics exposition does not end with # EOF',
      '',
    );
  return samples;
}

export function parseSampleLine(
  line: string,
  lineNo: number,
  om: boolean,
  declared: Map<string, string>,
): ParsedSample {
  const c: Cursor = { s: line, i: 0 };
  let name = readName(c);
  const labels: Labels = {};
  if (c.s[c.i] === '{') {
    const quoted = readLabels(c, labels);
    if (quoted === null)
      throw new ExpositionError(lineNo, 'malformed labels', line);
    if (quoted !== undefined) {
      if (name.length > 0)
        throw new ExpositionError(lineNo, 'two metric names', line);
      name = quoted;
    }
  }
  if (name.length === 0)
    throw new ExpositionError(lineNo, 'missing metric name', line);
  if (c.s[c.i] !== ' ' && c.s[c.i] !== '\t')
    throw new ExpositionError(
      lineNo,
      'expected a blank before the value',
      line,
    );
  skipBlanks(c);
  const value = parseFloatStrict(readToken(c));
  if (value === undefined)
    throw new ExpositionError(lineNo, 'invalid sample value', line);
  skipBlanks(c);
  let timestampMs: number | undefined;
  if (c.i < c.s.length && c.s[c.i] !== '#') {
    const tsText = readToken(c);
    if (om) {
      const seconds = parseFloatStrict(tsText);
      if (seconds === undefined || !Number.isFinite(seconds))
        throw new ExpositionError(lineNo, 'invalid timestamp', line);
      timestampMs = Math.round(seconds * 1000);
    } else {
      if (!/^-?\d+$/.test(tsText))
        throw new ExpositionError(
          lineNo,
          'invalid timestamp (int64 ms expected)',
          line,
        );
      timestampMs = Number(tsText);
    }
    skipBlanks(c);
  }
  // What may follow is an OpenMetrics exemplar (` # {trace_id="..."} 0.67 123`): not stored.
  if (c.i < c.s.length && !(om && c.s[c.i] === '#'))
    throw new ExpositionError(lineNo, 'unexpected text after the sample', line);
  const { family, suffix } = familyOf(name, declared);
  const kind = metricTypeOf(declared.get(family), suffix);
  if (
    kind.type === 'histogram' &&
    suffix === '_bucket' &&
    labels.le === undefined
  ) {
    throw new ExpositionError(
      lineNo,
      'histogram bucket without an le label',
      line,
    );
  }
  return {
    name,
    labels,
    value,
    timestampMs,
    type: kind.type,
    cumulative: kind.cumulative,
  };
}
