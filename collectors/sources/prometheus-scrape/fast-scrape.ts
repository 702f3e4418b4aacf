/**
 * A scrape's text (0.0.4) straight to IngestSamples, reusing what the previous scrapes of the
 * same target learned: a sidecar serves the same series text every time (`name{labels}`), only
 * the value changes. So each line is cut at the end of its series text, and that text looks up
 * the series (name, labels with target labels, series id, type) seen before; only a new series
 * goes through the full parser (exposition.ts) and SHA-256. No regex, label parsing or hashing
 * per sample in the steady state.
 *
 * It gives exactly what `scrapeSamples(parseExposition(text, 'text'), ...)` gives
 * (fast-scrape.test.ts checks both on the same bodies): a line it does not take in its simple
 * form (extra blanks, a timestamp it cannot read, anything malformed) is read by the full line
 * parser, which also throws the ExpositionError. OpenMetrics goes through the full parser.
 */
import {
  ExpositionError,
  familyOf,
  parseExposition,
  parseFloatStrict,
  parseSampleLine,
  type ExpositionFormat,
  type Labels,
} from '../prometheus-shared/exposition';
import type { IngestSample } from '../prometheus-shared/ingest';
import { seriesIdOfKey, seriesKey } from '../prometheus-shared/series';
import {
  scrapeSamples,
  withTargetLabels,
  type SeriesRef,
} from './scrape-samples';

interface KnownLine extends SeriesRef {
  family: string;
  /** The family's declared type when this entry was made (undefined: untyped). */
  declared: string | undefined;
}

const DECLARED = new Set([
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
const NAME_RE = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;

/** Series text -> series of one target; bounded by a few times the target's series count. */
export class TargetSeriesCache {
  readonly lines = new Map<string, KnownLine>();
}

/**
 * Where the series text of a sample line ends (after `}` or the name), or -1 to hand over.
 * A value and a timestamp hold no `}`, so the last `}` closes the labels of a valid line; for an
 * invalid one the key is not a series seen before and the full parser throws.
 */
function seriesEnd(line: string): number {
  const sp = line.indexOf(' ');
  const brace = line.indexOf('{');
  if (brace >= 0 && (sp < 0 || brace < sp)) {
    const close = line.lastIndexOf('}');
    return close < 0 ? -1 : close + 1;
  }
  return sp;
}

/** A plain decimal value ([0-9.eE+-] only); undefined when the line needs the full parser. */
function fastValue(text: string): number | undefined {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (!(
      (c >= 48 && c <= 57) ||
      c === 46 ||
      c === 101 ||
      c === 69 ||
      c === 43 ||
      c === 45
    ))
      return parseFloatStrict(text);
  }
  const v = Number(text);
  return text.length === 0 || Number.isNaN(v) ? undefined : v;
}

/** A comment line; returns true for `# EOF` (nothing but blank lines may follow, as in the parser). */
function commentLine(
  line: string,
  lineNo: number,
  declared: Map<string, string>,
): boolean {
  if (!line.includes('TYPE') && !line.includes('EOF')) return false;
  const parts = line.split(/[ \t]+/);
  if (parts[0] === '#' && parts[1] === 'EOF' && parts.length === 2) return true;
  if (parts[0] !== '#' || parts[1] !== 'TYPE') return false;
  const name = parts[2] ?? '';
  const type = (parts[3] ?? '').toLowerCase();
  if (!NAME_RE.test(name) || !DECLARED.has(type) || parts.length > 4)
    throw new ExpositionError(lineNo, 'malformed # TYPE line', line);
  if (declared.has(name))
    throw new ExpositionError(lineNo, `second # TYPE for ${name}`, line);
  declared.set(name, type);
  return false;
}

export interface ScrapeParse {
  samples: IngestSample[];
  current: Map<string, SeriesRef>;
}

/**
 * Parses one scrape of `target` and builds its samples. Throws ExpositionError like the parser.
 * @param previous the series of the target's last stored scrape
 */
export function parseScrape(
  text: string,
  format: ExpositionFormat,
  target: Labels,
  cache: TargetSeriesCache,
  scrapedAtMs: number,
  previous: ReadonlyMap<string, SeriesRef>,
  everSucceeded: boolean,
): ScrapeParse {
  if (format !== 'text')
    return scrapeSamples(
      parseExposition(text, format),
      target,
      scrapedAtMs,
      previous,
      everSucceeded,
    );
  const declared = new Map<string, string>();
  const samples: IngestSample[] = [];
  const current = new Map<string, SeriesRef>();
  const lines = cache.lines;
  let lineNo = 0;
  let pos = 0;
  let sawEof = false;
  while (pos < text.length) {
    let end = text.indexOf('\n', pos);
    if (end < 0) end = text.length;
    let line = text.slice(pos, end);
    pos = end + 1;
    lineNo++;
    if (line.charCodeAt(line.length - 1) === 13) line = line.slice(0, -1);
    if (line.length === 0) continue;
    const first = line.charCodeAt(0);
    if (sawEof || first === 32 || first === 9) {
      if (line.trim().length === 0) continue;
      if (sawEof)
        throw new ExpositionError(lineNo, 'content after # EOF', line);
    }
    if (first === 35 /* # */) {
      if (commentLine(line, lineNo, declared)) sawEof = true;
      continue;
    }
    let known: KnownLine | undefined;
    let value: number | undefined;
    let tsMs: number | undefined;
    const e = seriesEnd(line);
    if (e > 0 && line.charCodeAt(e) === 32) {
      const key = line.slice(0, e);
      known = lines.get(key);
      if (
        known &&
        (known.declared !== declared.get(known.family) ||
          known.declared === undefined ||
          (known.family !== known.name && declared.has(known.name)))
      ) {
        // a family's type changed, or an untyped series may now belong to a declared family
        const f = familyOf(known.name, declared);
        if (
          f.family !== known.family ||
          declared.get(f.family) !== known.declared
        )
          known = undefined;
      }
      const sp = line.indexOf(' ', e + 1);
      if (sp < 0) value = fastValue(line.slice(e + 1));
      else {
        value = fastValue(line.slice(e + 1, sp));
        const ts = line.slice(sp + 1);
        tsMs = /^-?\d+$/.test(ts) ? Number(ts) : undefined;
        if (tsMs === undefined) value = undefined;
      }
      if (known === undefined && value !== undefined) {
        const parsed = parseSampleLine(line, lineNo, false, declared);
        const labels = withTargetLabels(parsed, target);
        const f = familyOf(parsed.name, declared);
        known = {
          name: parsed.name,
          labels,
          id: seriesIdOfKey(seriesKey(parsed.name, labels)),
          type: parsed.type,
          cumulative: parsed.cumulative,
          family: f.family,
          declared: declared.get(f.family),
        };
        if (lines.size > 100_000 + 4 * previous.size) lines.clear();
        lines.set(key, known);
      }
    }
    if (known === undefined || value === undefined) {
      // not the simple form: the full line parser reads it (or throws its error)
      const parsed = parseSampleLine(line, lineNo, false, declared);
      const labels = withTargetLabels(parsed, target);
      known = {
        name: parsed.name,
        labels,
        id: seriesIdOfKey(seriesKey(parsed.name, labels)),
        type: parsed.type,
        cumulative: parsed.cumulative,
        family: '',
        declared: undefined,
      };
      value = parsed.value;
      tsMs = parsed.timestampMs;
    }
    const id = known.id;
    if (current.has(id)) continue; // duplicate series in one exposition: keep the first
    current.set(id, known);
    samples.push({
      name: known.name,
      labels: known.labels,
      seriesId: id,
      value,
      tsMs: tsMs ?? scrapedAtMs,
      stale: false,
      type: known.type,
      cumulative: known.cumulative,
      startsAtZero: everSucceeded && !previous.has(id),
    });
  }
  return { samples, current };
}
