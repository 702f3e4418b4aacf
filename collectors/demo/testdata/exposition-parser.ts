/**
 * A small, strict parser for Prometheus text exposition 0.0.4, for tests only. It throws on
 * anything a scraper could reject or misread: bad names, bad label syntax or escapes, values
 * that do not parse, a TYPE after samples, a family split in two, duplicate series, histograms
 * without ascending cumulative buckets or with +Inf != _count.
 */

export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

export interface Exposition {
  types: Map<string, string>;
  samples: Sample[];
}

const NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
const TYPES = new Set(['counter', 'gauge', 'histogram', 'summary', 'untyped']);

function parseValue(text: string, line: number): number {
  if (text === '+Inf') return Infinity;
  if (text === '-Inf') return -Infinity;
  if (text === 'NaN') return NaN;
  if (!/^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/.test(text))
    throw new Error(`line ${line}: bad value ${JSON.stringify(text)}`);
  return Number(text);
}

function parseLabels(text: string, line: number): Record<string, string> {
  const labels: Record<string, string> = {};
  let i = 0;
  while (i < text.length) {
    const eq = text.indexOf('=', i);
    if (eq < 0) throw new Error(`line ${line}: label without "="`);
    const name = text.slice(i, eq);
    if (!LABEL_NAME.test(name))
      throw new Error(`line ${line}: bad label name ${JSON.stringify(name)}`);
    if (text[eq + 1] !== '"')
      throw new Error(`line ${line}: label value not quoted`);
    let j = eq + 2;
    let value = '';
    for (;;) {
      const c = text[j];
      if (c === undefined)
        throw new Error(`line ${line}: unterminated label value`);
      if (c === '"') break;
      if (c === '\\') {
        const n = text[j + 1];
        if (n === '\\') value += '\\';
        else if (n === '"') value += '"';
        else if (n === 'n') value += '\n';
        else throw new Error(`line ${line}: bad escape \\${n ?? ''}`);
        j += 2;
        continue;
      }
      value += c;
      j++;
    }
    if (name in labels)
      throw new Error(`line ${line}: duplicate label ${name}`);
    labels[name] = value;
    j++;
    if (text[j] === ',') j++;
    else if (j !== text.length)
      throw new Error(`line ${line}: expected "," after label ${name}`);
    i = j;
  }
  return labels;
}

function familyOf(name: string, types: Map<string, string>): string {
  for (const suffix of ['_bucket', '_sum', '_count']) {
    const base = name.slice(0, -suffix.length);
    if (name.endsWith(suffix) && types.get(base) === 'histogram') return base;
  }
  return name;
}

export function parseExposition(text: string): Exposition {
  if (!text.endsWith('\n'))
    throw new Error('exposition must end with a newline');
  const types = new Map<string, string>();
  const samples: Sample[] = [];
  const seen = new Set<string>();
  const finished = new Set<string>();
  let current: string | null = null;
  text
    .slice(0, -1)
    .split('\n')
    .forEach((raw, idx) => {
      const line = idx + 1;
      if (raw.trim() === '') return;
      if (raw.startsWith('#')) {
        const m = /^# (TYPE|HELP) (\S+)(?: (.*))?$/.exec(raw);
        if (!m)
          throw new Error(
            `line ${line}: only # TYPE and # HELP comments expected`,
          );
        const [, kind, name = '', rest = ''] = m;
        if (!NAME.test(name))
          throw new Error(`line ${line}: bad metric name ${name}`);
        if (kind === 'TYPE') {
          if (!TYPES.has(rest))
            throw new Error(`line ${line}: bad type ${rest}`);
          if (types.has(name))
            throw new Error(`line ${line}: second TYPE for ${name}`);
          if (samples.some((s) => familyOf(s.name, types) === name))
            throw new Error(`line ${line}: TYPE after samples of ${name}`);
          types.set(name, rest);
        }
        return;
      }
      const m = /^([^\s{]+)(?:\{(.*)\})? (\S+)(?: (-?\d+))?$/.exec(raw);
      if (!m) throw new Error(`line ${line}: not a sample: ${raw}`);
      const [, name = '', labelText = '', valueText = ''] = m;
      if (!NAME.test(name))
        throw new Error(`line ${line}: bad metric name ${name}`);
      const labels = parseLabels(labelText, line);
      const family = familyOf(name, types);
      if (family !== current) {
        if (finished.has(family))
          throw new Error(`line ${line}: family ${family} is not contiguous`);
        if (current) finished.add(current);
        current = family;
      }
      const key = `${name}${JSON.stringify(Object.entries(labels).sort())}`;
      if (seen.has(key))
        throw new Error(`line ${line}: duplicate series ${key}`);
      seen.add(key);
      const value = parseValue(valueText, line);
      if (types.get(family) === 'counter' && !(value >= 0))
        throw new Error(`line ${line}: negative counter`);
      samples.push({ name, labels, value });
    });
  checkHistograms(types, samples);
  return { types, samples };
}

function checkHistograms(types: Map<string, string>, samples: Sample[]): void {
  for (const [family, type] of types) {
    if (type !== 'histogram') continue;
    const series = new Map<
      string,
      { buckets: [number, number][]; sum?: number; count?: number }
    >();
    const keyOf = (labels: Record<string, string>) =>
      JSON.stringify(
        Object.entries(labels)
          .filter(([k]) => k !== 'le')
          .sort(),
      );
    for (const s of samples) {
      if (familyOf(s.name, types) !== family) continue;
      const k = keyOf(s.labels);
      const h = series.get(k) ?? { buckets: [] };
      series.set(k, h);
      if (s.name === `${family}_bucket`) {
        const le = s.labels.le;
        if (le === undefined) throw new Error(`${family}: bucket without le`);
        h.buckets.push([le === '+Inf' ? Infinity : Number(le), s.value]);
      } else if (s.name === `${family}_sum`) h.sum = s.value;
      else if (s.name === `${family}_count`) h.count = s.value;
    }
    for (const [k, h] of series) {
      if (h.sum === undefined || h.count === undefined)
        throw new Error(`${family}${k}: missing _sum or _count`);
      const last = h.buckets[h.buckets.length - 1];
      if (!last || last[0] !== Infinity)
        throw new Error(`${family}${k}: no +Inf bucket`);
      if (last[1] !== h.count)
        throw new Error(
          `${family}${k}: +Inf bucket ${last[1]} != _count ${h.count}`,
        );
      for (let i = 1; i < h.buckets.length; i++) {
        const [le0 = 0, c0 = 0] = h.buckets[i - 1] ?? [];
        const [le1 = 0, c1 = 0] = h.buckets[i] ?? [];
        if (!(le1 > le0)) throw new Error(`${family}${k}: le not ascending`);
        if (c1 < c0) throw new Error(`${family}${k}: buckets not cumulative`);
      }
    }
  }
}
