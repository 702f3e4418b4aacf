/**
 * Access-log lines -> AccessLogRecord. Per line: a JSON object (first character `{`) or a text
 * line tried against the configured format first, then Istio's built-in formats, newest first
 * (the format that matched last is tried first, so a uniform stream costs one attempt a line).
 * Also strips the container-runtime wrappers a log file adds (CRI prefix, Docker json-file).
 */
import { compileFormat, type JsonFormat, type TextFormat } from './format';
import { ISTIO_TEXT_FORMATS } from './istio-formats';
import {
  AccessLogRecord,
  JSON_KEYS,
  recordFromJson,
  type RecordSlot,
} from './record';

export interface LineDecoderOptions {
  /** A custom Envoy format string (meshConfig.accessLogFormat); text or a `{...}` template. */
  customFormat?: string | undefined;
}

const ACCESS_LOG_JSON_KEYS = [
  'start_time',
  'upstream_cluster',
  'response_code',
  'method',
  'authority',
  'duration',
];

export class LineDecoder {
  private readonly text: TextFormat[] = [];
  private readonly jsonKeys: Readonly<Record<string, RecordSlot>>;
  /** Keys that mark a JSON object as an access-log entry. */
  private readonly markerKeys: string[];
  private last = 0;

  constructor(opts: LineDecoderOptions = {}) {
    let custom: TextFormat | JsonFormat | undefined;
    if (opts.customFormat) custom = compileFormat(opts.customFormat, 'custom');
    if (custom?.kind === 'text') this.text.push(custom);
    this.jsonKeys =
      custom?.kind === 'json' ? { ...JSON_KEYS, ...custom.keys } : JSON_KEYS;
    this.markerKeys = [
      ...ACCESS_LOG_JSON_KEYS,
      ...(custom?.kind === 'json' ? Object.keys(custom.keys) : []),
    ];
    for (const f of ISTIO_TEXT_FORMATS)
      this.text.push(compileFormat(f.format, f.name) as TextFormat);
  }

  /** The record of a line, or undefined when no format fits (see explain()). */
  decode(line: string): AccessLogRecord | undefined {
    if (line.charCodeAt(0) === 123 /* { */) return this.decodeJson(line);
    const formats = this.text;
    const first = formats[this.last]!.parse(line);
    if (first) return first;
    for (let i = 0; i < formats.length; i++) {
      if (i === this.last) continue;
      const rec = formats[i]!.parse(line);
      if (rec) {
        this.last = i;
        return rec;
      }
    }
    return undefined;
  }

  /** Decodes an already-parsed JSON object (NDJSON push, OTLP attributes). */
  decodeObject(obj: Record<string, unknown>): AccessLogRecord | undefined {
    if (!this.markerKeys.some((k) => k in obj)) return undefined;
    return recordFromJson(obj, this.jsonKeys);
  }

  /** Why a line did not decode, for the dead-letter table. */
  explain(line: string): string {
    const trimmed = line.trim();
    if (trimmed.length === 0) return 'empty line';
    if (trimmed.charCodeAt(0) === 123) {
      try {
        const obj: unknown = JSON.parse(trimmed);
        if (typeof obj !== 'object' || obj === null || Array.isArray(obj))
          return 'JSON line is not an object';
        return `JSON object has none of the access-log keys (${ACCESS_LOG_JSON_KEYS.join(', ')})`;
      } catch (err) {
        return `JSON line does not parse: ${(err as Error).message}`;
      }
    }
    return `no access-log format fits: ${this.text.map((f) => f.explain(line)).join('; ')}`;
  }

  private decodeJson(line: string): AccessLogRecord | undefined {
    let obj: unknown;
    try {
      obj = JSON.parse(line);
    } catch {
      return undefined;
    }
    if (typeof obj !== 'object' || obj === null || Array.isArray(obj))
      return undefined;
    return this.decodeObject(obj as Record<string, unknown>);
  }
}

/** One line of a container log file with its runtime wrapper removed. */
export interface ContainerLine {
  text: string;
  /** CRI 'P' tag / Docker line without '\n': the rest of the line follows in the next entry. */
  partial: boolean;
}

function isCriTimestamp(line: string, end: number): boolean {
  // 2016-10-06T00:17:09.669794202Z
  return (
    end >= 20 &&
    line.charCodeAt(4) === 45 &&
    line.charCodeAt(7) === 45 &&
    line.charCodeAt(10) === 84
  );
}

/**
 * Removes a Kubernetes CRI prefix (`<RFC3339Nano> stdout|stderr P|F <log>`) or unwraps a Docker
 * json-file line (`{"log":"...\n","stream":..,"time":..}`). Lines without a wrapper pass as is.
 */
export function unwrapContainerLine(line: string): ContainerLine {
  const c0 = line.charCodeAt(0);
  if (c0 >= 48 && c0 <= 57) {
    const s1 = line.indexOf(' ');
    if (s1 > 0 && isCriTimestamp(line, s1)) {
      const s2 = line.indexOf(' ', s1 + 1);
      const stream = line.slice(s1 + 1, s2);
      if (s2 > 0 && (stream === 'stdout' || stream === 'stderr')) {
        const tag = line.charCodeAt(s2 + 1);
        if (
          (tag === 80 || tag === 70) &&
          (line.length === s2 + 2 || line.charCodeAt(s2 + 2) === 32)
        ) {
          return { text: line.slice(s2 + 3), partial: tag === 80 /* P */ };
        }
      }
    }
  } else if (c0 === 123 && line.startsWith('{"log":')) {
    try {
      const obj = JSON.parse(line) as { log?: unknown };
      if (typeof obj.log === 'string') {
        const partial = !obj.log.endsWith('\n');
        return {
          text: partial
            ? obj.log
            : obj.log.slice(0, obj.log.endsWith('\r\n') ? -2 : -1),
          partial,
        };
      }
    } catch {
      // not Docker's format: the line itself
    }
  }
  return { text: line, partial: false };
}

export { AccessLogRecord };
