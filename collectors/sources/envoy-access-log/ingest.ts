/**
 * Lines -> rows -> pipeline, shared by every input that carries access-log lines (file tail,
 * HTTP push, OTLP log bodies). Bad lines go to dead_letters with the raw line, the input and
 * the reason, and are counted in /metrics; they never stop the input.
 */
import client from 'prom-client';
import type { Pipeline } from '../../pipeline';
import { metrics } from '~/server/telemetry/metrics';
import { LineDecoder } from './decode';
import { normalizeRecord } from './normalize';
import type { MeshRequestRow, ProxyContext } from './row';

export const MESH_REQUESTS_TABLE = 'mesh_requests';

type Counter = client.Counter<'input' | 'outcome'>;
const holder = globalThis as unknown as { __meshlensAccessLogLines?: Counter };

/** meshlens_access_log_lines_total{input, outcome=parsed|dead_letter|skipped}. */
export function accessLogLines(): Counter {
  holder.__meshlensAccessLogLines ??= new client.Counter({
    name: 'meshlens_access_log_lines_total',
    help: 'Envoy access-log lines read, by input (file, http_push, als, otlp_logs) and outcome (parsed, dead_letter, skipped).',
    labelNames: ['input', 'outcome'] as const,
    registers: [metrics().registry],
  });
  return holder.__meshlensAccessLogLines;
}

export interface BadLine {
  line: string;
  reason: string;
}

export interface DecodedBatch {
  rows: MeshRequestRow[];
  bad: BadLine[];
}

/** One input's decoder + normalizer (keeps the decoder's per-input format memory). */
export class AccessLogIngester {
  readonly decoder: LineDecoder;

  constructor(
    private readonly pipeline: Pipeline,
    readonly input: MeshRequestRow['Signal'],
    customFormat?: string,
  ) {
    this.decoder = new LineDecoder({ customFormat });
  }

  /** Decodes lines (no I/O). Empty lines are ignored. */
  decodeLines(
    lines: readonly string[],
    ctx?: ProxyContext,
    into: DecodedBatch = { rows: [], bad: [] },
  ): DecodedBatch {
    for (const raw of lines) {
      const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
      if (line.length === 0) continue;
      const rec = this.decoder.decode(line);
      if (rec) into.rows.push(normalizeRecord(rec, this.input, ctx));
      else into.bad.push({ line, reason: this.decoder.explain(line) });
    }
    return into;
  }

  /**
   * Offers rows and dead letters; resolves when both are durable (the pipeline contract).
   * Rejects with the pipeline's BackpressureError / ShuttingDownError / SpoolFullError.
   */
  async write(batch: DecodedBatch, remote = ''): Promise<void> {
    const m = accessLogLines();
    await Promise.all([
      this.pipeline.sink<MeshRequestRow>(MESH_REQUESTS_TABLE).offer(batch.rows),
      ...batch.bad.map((b) =>
        this.pipeline.deadLetter(
          `access_log:${this.input}`,
          b.reason,
          b.line,
          remote,
        ),
      ),
    ]);
    if (batch.rows.length > 0)
      m.inc({ input: this.input, outcome: 'parsed' }, batch.rows.length);
    if (batch.bad.length > 0)
      m.inc({ input: this.input, outcome: 'dead_letter' }, batch.bad.length);
  }
}
