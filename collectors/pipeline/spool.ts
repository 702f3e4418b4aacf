/**
 * The disk spool: batches that ClickHouse would not take (after every retry) are written here as
 * NDJSON, fsynced, and replayed in order when the store answers again. A crash between spooling
 * and replay loses nothing; past the byte cap new batches are refused (never dropped silently).
 */
import fs from 'node:fs';
import path from 'node:path';

export class SpoolFullError extends Error {
  override name = 'SpoolFullError';
  constructor(capBytes: number) {
    super(
      `the disk spool is full (${capBytes} bytes); ClickHouse has been unreachable too long`,
    );
  }
}

export interface SpooledBatch {
  file: string;
  table: string;
  rows: unknown[];
}

let sequence = 0;

export class Spool {
  private bytes = 0;

  constructor(
    readonly dir: string,
    readonly capBytes: number,
  ) {
    fs.mkdirSync(dir, { recursive: true });
    this.bytes = this.list().reduce((n, f) => n + fs.statSync(f.file).size, 0);
  }

  get sizeBytes(): number {
    return this.bytes;
  }

  /** Durably appends a batch; resolves once it is on disk. */
  async write(table: string, rows: unknown[]): Promise<void> {
    const body = rows.map((r) => JSON.stringify(r)).join('\n') + '\n';
    const size = Buffer.byteLength(body);
    if (this.bytes + size > this.capBytes)
      throw new SpoolFullError(this.capBytes);
    const tableDir = path.join(this.dir, table);
    await fs.promises.mkdir(tableDir, { recursive: true });
    const name = `${Date.now()}-${process.pid}-${(sequence++).toString().padStart(6, '0')}.ndjson`;
    const tmp = path.join(tableDir, `.${name}.tmp`);
    const handle = await fs.promises.open(tmp, 'w');
    try {
      await handle.writeFile(body);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await fs.promises.rename(tmp, path.join(tableDir, name));
    this.bytes += size;
  }

  /** Spooled batch files, oldest first. */
  list(): { table: string; file: string }[] {
    if (!fs.existsSync(this.dir)) return [];
    const out: { table: string; file: string }[] = [];
    for (const table of fs.readdirSync(this.dir)) {
      const tableDir = path.join(this.dir, table);
      if (!fs.statSync(tableDir).isDirectory()) continue;
      for (const f of fs.readdirSync(tableDir)) {
        if (f.endsWith('.ndjson'))
          out.push({ table, file: path.join(tableDir, f) });
      }
    }
    return out.sort((a, b) =>
      path.basename(a.file).localeCompare(path.basename(b.file)),
    );
  }

  async read(entry: { table: string; file: string }): Promise<SpooledBatch> {
    const text = await fs.promises.readFile(entry.file, 'utf8');
    const rows = text
      .split('\n')
      .filter((l) => l.length > 0)
      .map((l) => JSON.parse(l) as unknown);
    return { ...entry, rows };
  }

  /** Renames an unreadable batch to `<file>.unreadable` (kept for a person, no longer replayed). */
  async setAside(file: string): Promise<void> {
    const size = fs.statSync(file).size;
    await fs.promises.rename(file, `${file}.unreadable`);
    this.bytes = Math.max(0, this.bytes - size);
  }

  async remove(file: string): Promise<void> {
    const size = fs.statSync(file).size;
    await fs.promises.unlink(file);
    this.bytes = Math.max(0, this.bytes - size);
  }
}
