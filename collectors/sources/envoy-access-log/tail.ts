/**
 * Tails access-log files and globs (container logs included: CRI prefix, Docker json-file),
 * following rotation (rename: the old file is read to its end, by descriptor, before it is let
 * go) and truncation (copytruncate: start again at 0), with a persisted offset per file.
 *
 * Delivery: one batch in flight per file. The offset is saved only after the pipeline made the
 * batch durable (offer() resolved). Before a batch is offered, `pendingTo` is saved ahead of it;
 * each row carries its line position in Extra['tail_pos'], so after a kill -9 the lines between
 * the saved offset and pendingTo are looked up in the store and only the missing ones are sent.
 * Backpressure (pull source): a refused batch is re-read after Retry-After; nothing is dropped.
 */
import fs from 'node:fs';
import type { Db } from '~/server/db/client';
import { logger } from '~/server/log';
import type { Pipeline } from '../../pipeline';
import { BackpressureError } from '../../pipeline';
import { contextFromLogPath } from './context';
import { unwrapContainerLine } from './decode';
import { expandGlobs } from './glob';
import {
  accessLogLines,
  AccessLogIngester,
  MESH_REQUESTS_TABLE,
  type DecodedBatch,
} from './ingest';
import { OffsetStore } from './offsets';
import type { ProxyContext } from './row';

const log = logger('envoy-access-log');

export interface FileTailerOptions {
  patterns: readonly string[];
  pipeline: Pipeline;
  /** For the restart check of the pending range; without it delivery is at-least-once. */
  db?: Db | undefined;
  offsetsFile: string;
  customFormat?: string | undefined;
  pollMs?: number;
  /** Lines per batch (use the pipeline's batch size so a full batch is inserted at once). */
  batchLines?: number;
  chunkBytes?: number;
  /** How long a rotated/deleted file is still watched for late writes. */
  rotateGraceMs?: number;
  /** Where a file never seen before starts. */
  startAt?: 'beginning' | 'end';
}

interface Line {
  pos: number;
  text: string;
}

interface Tailed {
  key: string;
  path: string;
  fh: fs.promises.FileHandle;
  offset: number;
  pendingTo: number;
  /** Lines before this position may already be stored (restart check). */
  recoverTo: number;
  ctx: ProxyContext | undefined;
  goneSince: number | undefined;
  lastSize: number;
}

/** Envoy's / pilot-agent's own log lines in an istio-proxy container: not access-log lines. */
const PROXY_APP_LOG =
  /^(\d{4}-\d\d-\d\dT[\d:.]+Z?\s+(info|warn|warning|error|debug|critical|fatal)\s|\[\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d+\]\[)/;

/**
 * Splits a chunk at line ends, joining CRI partial ('P') pieces. Returns the lines and the
 * offset just past the last complete line (a trailing unfinished line is left for next time).
 */
export function splitChunk(
  buf: Buffer,
  base: number,
  maxLines: number,
  eof: boolean,
): { lines: Line[]; end: number } {
  const lines: Line[] = [];
  let start = 0;
  let end = base;
  let partial: string[] | undefined;
  let partialPos = 0;
  while (lines.length < maxLines) {
    const nl = buf.indexOf(10, start);
    if (nl === -1) break;
    let raw = buf.toString('utf8', start, nl);
    if (raw.endsWith('\r')) raw = raw.slice(0, -1);
    const pos = base + start;
    start = nl + 1;
    const { text, partial: isPartial } = unwrapContainerLine(raw);
    if (isPartial) {
      if (!partial) {
        partial = [];
        partialPos = pos;
      }
      partial.push(text);
      continue;
    }
    if (partial) {
      partial.push(text);
      lines.push({ pos: partialPos, text: partial.join('') });
      partial = undefined;
    } else lines.push({ pos, text });
    end = base + start;
  }
  if (partial && lines.length === 0 && (eof || start === buf.length)) {
    // One line longer than a chunk: hand it on as it is rather than stall the file.
    lines.push({ pos: partialPos, text: partial.join('') });
    end = base + start;
  }
  return { lines, end };
}

export class FileTailer {
  private readonly files = new Map<string, Tailed>();
  private readonly store: OffsetStore;
  private readonly ingester: AccessLogIngester;
  private stopped = false;
  private loop: Promise<void> | undefined;
  private wake: (() => void) | undefined;
  private readonly opts: Required<
    Omit<FileTailerOptions, 'db' | 'customFormat'>
  > &
    Pick<FileTailerOptions, 'db'>;

  constructor(opts: FileTailerOptions) {
    this.opts = {
      pollMs: 250,
      batchLines: 5000,
      chunkBytes: 8 * 1024 * 1024,
      rotateGraceMs: 2000,
      startAt: 'beginning',
      ...opts,
    };
    this.store = new OffsetStore(opts.offsetsFile);
    this.ingester = new AccessLogIngester(
      opts.pipeline,
      'file',
      opts.customFormat,
    );
  }

  start(): void {
    this.loop ??= this.run();
  }

  /** Stops reading; waits for the batch in flight and saves offsets. Open files are closed. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.wake?.();
    await this.loop;
    await this.store.save();
    await Promise.all([...this.files.values()].map((f) => f.fh.close()));
    this.files.clear();
  }

  /** Files being followed, with their durable offset (for tests and status). */
  status(): { path: string; offset: number; size: number }[] {
    return [...this.files.values()].map((f) => ({
      path: f.path,
      offset: f.offset,
      size: f.lastSize,
    }));
  }

  private async run(): Promise<void> {
    while (!this.stopped) {
      let busy = false;
      try {
        busy = await this.tick();
      } catch (err) {
        log.error({ err }, 'file tail pass failed; retrying');
      }
      if (this.stopped) break;
      if (!busy) {
        await new Promise<void>((resolve) => {
          const t = setTimeout(resolve, this.opts.pollMs);
          this.wake = () => {
            clearTimeout(t);
            resolve();
          };
        });
      }
    }
  }

  /** One pass: discover files, read each. True when some file had more to read. */
  private async tick(): Promise<boolean> {
    const seen = new Map<string, string>();
    for (const p of expandGlobs(this.opts.patterns)) {
      let st: fs.Stats;
      try {
        st = await fs.promises.stat(p);
      } catch {
        continue;
      }
      const key = `${st.dev}:${st.ino}`;
      seen.set(key, p);
      const known = this.files.get(key);
      if (known) {
        known.path = p;
        known.goneSince = undefined;
      } else await this.open(key, p, st.size);
    }
    let busy = false;
    for (const f of [...this.files.values()]) {
      if (this.stopped) break;
      if (!seen.has(f.key)) f.goneSince ??= Date.now();
      if (await this.readSome(f)) busy = true;
      else if (
        f.goneSince !== undefined &&
        Date.now() - f.goneSince > this.opts.rotateGraceMs
      ) {
        await f.fh.close();
        this.files.delete(f.key);
        this.store.delete(f.key);
        await this.store.save();
      }
    }
    return busy;
  }

  private async open(key: string, p: string, size: number): Promise<void> {
    const fh = await fs.promises.open(p, 'r');
    const saved = this.store.get(key);
    let offset = 0;
    let pendingTo = 0;
    if (saved && saved.offset <= size) {
      offset = saved.offset;
      pendingTo = saved.pendingTo;
    } else if (!saved && this.opts.startAt === 'end') offset = size;
    const f: Tailed = {
      key,
      path: p,
      fh,
      offset,
      pendingTo,
      recoverTo: pendingTo > offset ? pendingTo : 0,
      ctx: contextFromLogPath(p),
      goneSince: undefined,
      lastSize: size,
    };
    this.files.set(key, f);
    this.store.set(key, { path: p, offset, pendingTo });
    log.info({ path: p, offset, recoverTo: f.recoverTo }, 'tailing file');
  }

  /** Reads and delivers one batch of a file; true when it made progress. */
  private async readSome(f: Tailed): Promise<boolean> {
    const { size } = await f.fh.stat();
    f.lastSize = size;
    if (size < f.offset) {
      log.warn(
        { path: f.path, size, offset: f.offset },
        'file truncated; reading it from the start',
      );
      f.offset = 0;
      f.pendingTo = 0;
      f.recoverTo = 0;
      this.store.set(f.key, { path: f.path, offset: 0, pendingTo: 0 });
      await this.store.save();
    }
    if (size === f.offset) return false;
    const length = Math.min(this.opts.chunkBytes, size - f.offset);
    const buf = Buffer.allocUnsafe(length);
    const { bytesRead } = await f.fh.read(buf, 0, length, f.offset);
    const { lines, end } = splitChunk(
      buf.subarray(0, bytesRead),
      f.offset,
      this.opts.batchLines,
      f.offset + bytesRead >= size,
    );
    if (end === f.offset) return false;

    const batch = this.decode(f, lines);
    if (f.recoverTo > f.offset) await this.dropStored(f, batch, end);

    if (end > f.pendingTo) {
      f.pendingTo = end + Math.max(this.opts.chunkBytes, 1024 * 1024);
      this.store.set(f.key, {
        path: f.path,
        offset: f.offset,
        pendingTo: f.pendingTo,
      });
      await this.store.save();
    }
    try {
      await this.ingester.write(batch, f.path);
    } catch (err) {
      const wait =
        err instanceof BackpressureError ? err.retryAfterSeconds * 1000 : 1000;
      log.warn(
        { path: f.path, err: (err as Error).message, waitMs: wait },
        'pipeline refused a file batch; re-reading it later',
      );
      if (!this.stopped) await new Promise((r) => setTimeout(r, wait));
      return false;
    }
    f.offset = end;
    this.store.set(f.key, {
      path: f.path,
      offset: end,
      pendingTo: f.pendingTo,
    });
    await this.store.save();
    return true;
  }

  private decode(f: Tailed, lines: Line[]): DecodedBatch {
    const batch: DecodedBatch = { rows: [], bad: [] };
    let skipped = 0;
    for (const { pos, text } of lines) {
      if (text.length === 0) continue;
      const before = batch.rows.length;
      const badBefore = batch.bad.length;
      this.ingester.decodeLines([text], f.ctx, batch);
      if (batch.rows.length > before)
        batch.rows[before]!.Extra['tail_pos'] = `${f.key}:${pos}`;
      else if (batch.bad.length > badBefore && PROXY_APP_LOG.test(text)) {
        batch.bad.pop();
        skipped++;
      }
    }
    if (skipped > 0)
      accessLogLines().inc({ input: 'file', outcome: 'skipped' }, skipped);
    return batch;
  }

  /** After a restart: removes rows of the pending range that the store already has. */
  private async dropStored(
    f: Tailed,
    batch: DecodedBatch,
    end: number,
  ): Promise<void> {
    const db = this.opts.db;
    if (end >= f.recoverTo) f.recoverTo = 0;
    if (!db || batch.rows.length === 0) return;
    let min = batch.rows[0]!.Timestamp;
    let max = min;
    for (const r of batch.rows) {
      if (r.Timestamp < min) min = r.Timestamp;
      if (r.Timestamp > max) max = r.Timestamp;
    }
    const rs = await db.client.query({
      query: `SELECT DISTINCT Extra['tail_pos'] AS p FROM {db:Identifier}.${MESH_REQUESTS_TABLE}
               WHERE Timestamp BETWEEN parseDateTime64BestEffort({min:String}, 3) AND parseDateTime64BestEffort({max:String}, 3)
                 AND startsWith(Extra['tail_pos'], {prefix:String})`,
      query_params: { db: db.database, min, max, prefix: `${f.key}:` },
      format: 'JSONEachRow',
    });
    const stored = new Set((await rs.json<{ p: string }>()).map((r) => r.p));
    if (stored.size === 0) return;
    const before = batch.rows.length;
    batch.rows = batch.rows.filter((r) => !stored.has(r.Extra['tail_pos']!));
    log.info(
      { path: f.path, alreadyStored: before - batch.rows.length },
      'skipped lines stored before a restart',
    );
  }
}
