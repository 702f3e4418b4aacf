/**
 * Compiles an Envoy access-log format string (`%START_TIME%`, `%REQ(X?Y):Z%`, ...) once into a
 * tokenizer: a list of (operator -> slot, delimiter) steps. Parsing a line is then one
 * `indexOf` per operator and no regex, with values ending at the first occurrence of the text
 * that follows the operator in the format ("quoted" values end at the closing `"` + the next
 * literal, so they may contain spaces). See shared/reference/envoy-access-logs.md section 1.
 */
import {
  AccessLogRecord,
  operatorTarget,
  type RecordSlot,
  type Target,
} from './record';

/** A compiled text format. */
export interface TextFormat {
  kind: 'text';
  name: string;
  /** The record, or undefined when the line does not have this format's shape. */
  parse(line: string): AccessLogRecord | undefined;
  /** Why `parse` refused the line (slow; only for dead letters). */
  explain(line: string): string;
}

/** A JSON-shaped format (a `{...}` template): lines are JSON objects with these keys. */
export interface JsonFormat {
  kind: 'json';
  name: string;
  keys: Record<string, RecordSlot>;
}

export class FormatError extends Error {
  override name = 'FormatError';
}

interface Step {
  /** Known slot, or undefined for extra. */
  slot: RecordSlot | undefined;
  extraKey: string;
  numeric: boolean;
  /** Keep '-' (TLS version: '-' means "logged, no TLS", which mTLS needs to tell apart). */
  keepDash: boolean;
  quoted: boolean;
  /** Literal text that ends this value ('' = end of line). */
  after: string;
  operator: string;
}

const KEEP_DASH = new Set<RecordSlot>([
  'downstreamTlsVersion',
  'upstreamTlsVersion',
]);

const OPERATOR = /%([A-Za-z0-9_]+)(?:\((.*?)\))?(?::\d+)?%/g;

function isDigits(v: string): boolean {
  if (v.length === 0) return false;
  for (let i = 0; i < v.length; i++) {
    const c = v.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

/**
 * Compiles a format string. A `{...}` string compiles to a JsonFormat (keys whose value is a
 * single operator); anything else to a TextFormat. Throws FormatError for formats no parser
 * could split (two operators with nothing between them).
 */
export function compileFormat(
  format: string,
  name = 'custom',
): TextFormat | JsonFormat {
  const text = format.replace(/\r?\n$/, '');
  if (text.trimStart().startsWith('{')) return compileJsonFormat(text, name);
  const steps: Step[] = [];
  let lead = '';
  let last = 0;
  OPERATOR.lastIndex = 0;
  for (let m = OPERATOR.exec(text); m; m = OPERATOR.exec(text)) {
    const literal = text.slice(last, m.index);
    if (steps.length === 0) lead = literal;
    else {
      const prev = steps[steps.length - 1]!;
      if (literal === '') {
        throw new FormatError(
          `format "${name}": ${prev.operator} and ${m[0]} have nothing between them, so a line cannot be split`,
        );
      }
      prev.after = literal;
    }
    const target: Target = operatorTarget(m[1]!, m[2]);
    steps.push({
      slot: 'slot' in target ? target.slot : undefined,
      extraKey: 'extra' in target ? target.extra : '',
      numeric: target.numeric,
      keepDash: 'slot' in target && KEEP_DASH.has(target.slot),
      quoted: (steps.length === 0 ? lead : text.slice(last, m.index)).endsWith(
        '"',
      ),
      after: '',
      operator: m[0],
    });
    last = m.index + m[0].length;
  }
  if (steps.length === 0)
    throw new FormatError(`format "${name}" has no %OPERATOR%`);
  steps[steps.length - 1]!.after = text.slice(last);
  return new CompiledTextFormat(name, lead, steps);
}

function compileJsonFormat(text: string, name: string): JsonFormat {
  let obj: unknown;
  try {
    obj = JSON.parse(text);
  } catch (err) {
    throw new FormatError(
      `format "${name}" looks like JSON but does not parse: ${(err as Error).message}`,
    );
  }
  const keys: Record<string, RecordSlot> = {};
  for (const [key, value] of Object.entries(obj as Record<string, unknown>)) {
    if (typeof value !== 'string') continue;
    OPERATOR.lastIndex = 0;
    const m = OPERATOR.exec(value);
    if (!m || m[0] !== value) continue;
    const target = operatorTarget(m[1]!, m[2]);
    if ('slot' in target) keys[key] = target.slot;
  }
  return { kind: 'json', name, keys };
}

class CompiledTextFormat implements TextFormat {
  readonly kind = 'text';
  constructor(
    readonly name: string,
    private readonly lead: string,
    private readonly steps: Step[],
  ) {}

  parse(line: string): AccessLogRecord | undefined {
    const { lead, steps } = this;
    let pos = 0;
    if (lead.length > 0) {
      if (!line.startsWith(lead)) return undefined;
      pos = lead.length;
    }
    const rec = new AccessLogRecord();
    const n = steps.length;
    for (let i = 0; i < n; i++) {
      const s = steps[i]!;
      let end: number;
      if (s.after.length === 0) {
        end = line.length;
        // An unquoted last field never holds a space: a longer line is another format.
        if (!s.quoted && line.indexOf(' ', pos) !== -1) return undefined;
      } else {
        end = line.indexOf(s.after, pos);
        if (end === -1) return undefined;
      }
      const value = line.slice(pos, end);
      pos = end + s.after.length;
      if (value === '-' && !s.keepDash) continue;
      if (s.numeric && !isDigits(value)) return undefined;
      if (s.slot !== undefined) rec[s.slot] = value;
      else if (value.length > 0) (rec.extra ??= {})[s.extraKey] = value;
    }
    return pos === line.length ? rec : undefined;
  }

  explain(line: string): string {
    const { lead, steps } = this;
    let pos = 0;
    if (!line.startsWith(lead))
      return `format ${this.name}: the line does not start with ${JSON.stringify(lead)}`;
    pos = lead.length;
    for (const s of steps) {
      let end: number;
      if (s.after.length === 0) {
        end = line.length;
        if (!s.quoted && line.indexOf(' ', pos) !== -1) {
          return `format ${this.name}: text after ${s.operator} at column ${line.indexOf(' ', pos) + 1} (more fields than the format has)`;
        }
      } else {
        end = line.indexOf(s.after, pos);
        if (end === -1) {
          return `format ${this.name}: no ${JSON.stringify(s.after)} after ${s.operator} (from column ${pos + 1}; fewer fields than the format has)`;
        }
      }
      const value = line.slice(pos, end);
      if (s.numeric && value !== '-' && !isDigits(value)) {
        return `format ${this.name}: ${s.operator} should be a number, got ${JSON.stringify(value.slice(0, 40))} at column ${pos + 1}`;
      }
      pos = end + s.after.length;
    }
    return pos === line.length
      ? 'parsed'
      : `format ${this.name}: unexpected text at column ${pos + 1}`;
  }
}
