/**
 * The one insert path of the writer. On the embedded engine, rows are encoded as one block of
 * ClickHouse's Native format (native-block.ts), written to a file in memory (/dev/shm) and read
 * by the engine itself with `INSERT ... SELECT FROM file(..., 'Native')`: no text for the engine
 * to parse, and no multi-megabyte SQL string (chDB's connection hands an inline insert body to
 * the engine as one UTF-8 string). Against a server, and for the rare batch the block cannot
 * carry (see below), rows go inline as JSONEachRow. Bench: npm run bench:ingest-logs / -traces.
 *
 * DEFAULT expressions: a column missing from the insert gets the table's DEFAULT expression, a
 * column present gets what is sent. So a DEFAULT column goes in the block only when every row of
 * the batch gives it, and is left out when none does; a batch where only some rows give it goes
 * inline, where the engine applies the expression per omitted field.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Db } from '~/server/db/client';
import {
  ByteWriter,
  codecOf,
  encodeNativeBlocks,
  type ColumnCodec,
  type NativeColumn,
} from './native-block';

const SCRATCH_DIR = (() => {
  try {
    fs.accessSync('/dev/shm', fs.constants.W_OK);
    return '/dev/shm';
  } catch {
    return os.tmpdir();
  }
})();

let sequence = 0;

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Removes scratch files left by processes that died mid-insert (kill -9): they live in memory
 * (/dev/shm), so they must not pile up. Their rows were never acknowledged, so the senders retry.
 */
export function removeStaleScratchFiles(dir = SCRATCH_DIR): number {
  let removed = 0;
  for (const name of fs.readdirSync(dir)) {
    const pid = /^meshlens-(\d+)-\d+\.(ndjson|native)$/.exec(name)?.[1];
    if (pid === undefined || pidAlive(Number(pid))) continue;
    fs.rmSync(path.join(dir, name), { force: true });
    removed++;
  }
  return removed;
}

let staleChecked = false;

interface ShapeColumn {
  name: string;
  /** Has a DEFAULT expression: sent only when the rows give it (see the module comment). */
  defaulted: boolean;
  /** Undefined for a type the Native encoder does not write. */
  codec: ColumnCodec | undefined;
}

/** How a batch went in: as a Native block through a file, or inline as JSONEachRow. */
export type InsertPath = 'native' | 'inline';

const given = (v: unknown) => v !== undefined && v !== null;

/** Offers of fewer rows are encoded with their batch, not on their own (see prepare()). */
const PREPARE_MIN_ROWS = 64;

interface PreparedBlock {
  /** The block's column names (columnsKey): it fits a batch sending the same columns. */
  key: string;
  /** Rows in the block. */
  rows: number;
  block: Buffer;
}

const columnsKey = (columns: readonly NativeColumn[]) =>
  columns.map((c) => c.name).join('\n');

/** Time spent per phase of the inserts of this process, in ms (benchmarks print it). */
export const insertPhases = {
  batches: 0,
  rows: 0,
  /** Rows encoded when they were queued (prepare()), and the time that took (main thread). */
  preparedRows: 0,
  prepareMs: 0,
  /** Rows -> Native blocks at insert time, those not prepared (main thread). */
  encodeMs: 0,
  /** Block -> scratch file. */
  writeMs: 0,
  /** The engine's INSERT ... SELECT (or the inline insert), wall time. */
  engineMs: 0,
};

/** The columns of the block for these rows, or undefined when the batch must go inline. */
export function blockColumns(
  columns: readonly ShapeColumn[],
  rows: readonly unknown[],
): NativeColumn[] | undefined {
  const out: NativeColumn[] = [];
  for (const col of columns) {
    // Plain columns with an encoder are always sent (a missing field is the type's default,
    // as in JSONEachRow); the others only when some row gives them.
    if (!col.defaulted && col.codec) {
      out.push({ name: col.name, codec: col.codec });
      continue;
    }
    let some = 0;
    for (const row of rows)
      if (given((row as Record<string, unknown>)[col.name])) some++;
    if (some === 0) continue; // left out: the table's default (expression) applies
    if (!col.codec || (col.defaulted && some !== rows.length)) return undefined;
    out.push({ name: col.name, codec: col.codec });
  }
  return out;
}

export class RowInserter {
  private shapes = new Map<string, Promise<ShapeColumn[]>>();
  /** The shapes already read, for prepare() (which cannot wait). */
  private knownShapes = new Map<string, ShapeColumn[]>();
  /** Native bytes per row of each table's last batch. */
  private bytesPerRow = new Map<string, number>();
  /** Blocks prepare() encoded, by the array of rows they hold. */
  private prepared = new WeakMap<readonly unknown[], PreparedBlock>();

  constructor(private readonly db: Db) {
    if (db.mode === 'embedded' && !staleChecked) {
      staleChecked = true;
      try {
        removeStaleScratchFiles();
      } catch {
        // a scratch dir we cannot list is not a reason to stop ingesting
      }
    }
  }

  /** The columns an insert may set (not ALIAS/MATERIALIZED), in table order. */
  private shapeOf(table: string): Promise<ShapeColumn[]> {
    let shape = this.shapes.get(table);
    if (!shape) {
      shape = this.db.client
        .query({
          query: `SELECT name, type, default_kind FROM system.columns
                  WHERE database = {db:String} AND table = {table:String}
                    AND default_kind NOT IN ('ALIAS', 'MATERIALIZED')
                  ORDER BY position`,
          query_params: { db: this.db.database, table },
          format: 'JSONEachRow',
        })
        .then((rs) =>
          rs.json<{ name: string; type: string; default_kind: string }>(),
        )
        .then((cols) => {
          if (cols.length === 0)
            throw new Error(`table ${table} has no columns (does it exist?)`);
          const columns = cols.map((c) => ({
            name: c.name,
            defaulted: c.default_kind !== '',
            codec: codecOf(c.type),
          }));
          this.knownShapes.set(table, columns);
          return columns;
        });
      shape.catch(() => this.shapes.delete(table));
      this.shapes.set(table, shape);
    }
    return shape;
  }

  /**
   * Encodes rows that were just queued, while the engine may still be busy with the previous
   * batch: insert() then reuses the encoded blocks instead of encoding the whole batch after the
   * previous insert ended (the engine would wait for it). Skipped for small offers (a block
   * carries its column names and types), before the table's shape is known, and for rows whose
   * values the block cannot take (insert() encodes those again and fails with the row's error).
   */
  prepare(table: string, rows: readonly unknown[]): void {
    if (this.db.mode !== 'embedded' || rows.length < PREPARE_MIN_ROWS) return;
    const shape = this.knownShapes.get(table);
    if (!shape) {
      void this.shapeOf(table).catch(() => undefined);
      return;
    }
    const t = performance.now();
    const columns = blockColumns(shape, rows);
    if (!columns || columns.length === 0) return;
    try {
      const block = this.encode(table, columns, rows);
      this.prepared.set(rows, {
        key: columnsKey(columns),
        rows: rows.length,
        block,
      });
    } catch {
      return;
    } finally {
      insertPhases.prepareMs += performance.now() - t;
    }
    insertPhases.preparedRows += rows.length;
  }

  /** A ByteWriter sized from the table's last batch, so it is not regrown (and copied). */
  private writerFor(table: string, rows: number): ByteWriter {
    const perRow = this.bytesPerRow.get(table) ?? 256;
    return new ByteWriter(Math.max(1 << 12, Math.ceil(rows * perRow * 1.25)));
  }

  private encode(
    table: string,
    columns: NativeColumn[],
    rows: readonly unknown[],
  ): Buffer {
    const block = encodeNativeBlocks(
      columns,
      rows,
      this.writerFor(table, rows.length),
    );
    this.bytesPerRow.set(table, Math.ceil(block.length / rows.length));
    return block;
  }

  /**
   * Inserts the rows in one statement; the same errors either way (RowValueError is permanent).
   * `parts`, when given, are the arrays `rows` was joined from, in order: those prepare() saw go
   * in as the blocks it encoded.
   */
  async insert(
    table: string,
    rows: readonly unknown[],
    parts?: readonly (readonly unknown[])[],
  ): Promise<InsertPath> {
    const columns =
      this.db.mode === 'embedded'
        ? blockColumns(await this.shapeOf(table), rows)
        : undefined;
    insertPhases.batches++;
    insertPhases.rows += rows.length;
    let t = performance.now();
    if (!columns || columns.length === 0) {
      await this.db.client.insert({
        table: `${this.db.database}.${table}`,
        values: rows,
        format: 'JSONEachRow',
      });
      insertPhases.engineMs += performance.now() - t;
      return 'inline';
    }
    const blocks: Buffer[] = [];
    if (parts) {
      const key = columnsKey(columns);
      let rest: unknown[] = [];
      for (const part of parts) {
        const ready = this.prepared.get(part);
        // (an array that changed length since it was queued is encoded again)
        if (ready?.key === key && ready.rows === part.length) {
          if (rest.length > 0) blocks.push(this.encode(table, columns, rest));
          rest = [];
          blocks.push(ready.block);
        } else for (const row of part) rest.push(row);
      }
      if (rest.length > 0) blocks.push(this.encode(table, columns, rest));
    } else blocks.push(this.encode(table, columns, rows));
    insertPhases.encodeMs += performance.now() - t;
    t = performance.now();
    const file = path.join(
      SCRATCH_DIR,
      `meshlens-${process.pid}-${sequence++}.native`,
    );
    // Written synchronously: a few milliseconds into memory (/dev/shm), where each asynchronous
    // step (open, write, close) waited for a busy event loop before the engine could start.
    const fd = fs.openSync(file, 'w');
    try {
      for (const block of blocks)
        for (let done = 0; done < block.length;)
          done += fs.writeSync(fd, block, done);
    } finally {
      fs.closeSync(fd);
    }
    insertPhases.writeMs += performance.now() - t;
    t = performance.now();
    try {
      // Identifiers: our own table names (never user input) and system.columns' own names.
      await this.db.client.command({
        query: `INSERT INTO \`${this.db.database}\`.\`${table}\` (${columns.map((c) => `\`${c.name}\``).join(', ')})
                SELECT * FROM file({file:String}, 'Native', {structure:String})`,
        query_params: {
          file,
          structure: columns
            .map((c) => `\`${c.name}\` ${c.codec.wireType}`)
            .join(', '),
        },
      });
    } finally {
      // in the background: freeing a file of megabytes takes the kernel milliseconds
      fs.rm(file, { force: true }, () => undefined);
      insertPhases.engineMs += performance.now() - t;
    }
    return 'native';
  }
}
