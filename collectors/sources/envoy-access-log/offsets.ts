/**
 * Persisted read positions of tailed files, keyed by file identity (`dev:ino`, so a rotated
 * file keeps its position under its new name). Written atomically (temp file, fsync, rename).
 *   offset     every line before it is durable in the store (pipeline offer() resolved)
 *   pendingTo  lines up to here may have been offered; on restart that range is checked
 *              against the store, so a kill between an insert and the next save repeats nothing
 */
import fs from 'node:fs';
import path from 'node:path';

export interface FileOffset {
  path: string;
  offset: number;
  pendingTo: number;
}

interface OffsetsFile {
  version: 1;
  files: Record<string, FileOffset>;
}

export class OffsetStore {
  private files: Record<string, FileOffset> = {};
  private saving: Promise<void> | undefined;
  private next: Promise<void> | undefined;

  constructor(readonly file: string) {
    try {
      const parsed = JSON.parse(fs.readFileSync(file, 'utf8')) as OffsetsFile;
      if (parsed.version === 1 && typeof parsed.files === 'object')
        this.files = parsed.files;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') {
        throw new Error(
          `cannot read the tail offsets in ${file}: ${(err as Error).message}`,
          { cause: err },
        );
      }
    }
  }

  get(key: string): FileOffset | undefined {
    return this.files[key];
  }

  set(key: string, value: FileOffset): void {
    this.files[key] = value;
  }

  delete(key: string): void {
    delete this.files[key];
  }

  /** Writes the current state; a call made during a write waits for a write that includes it. */
  save(): Promise<void> {
    if (this.saving) {
      this.next ??= this.saving.then(() => {
        this.next = undefined;
        return this.save();
      });
      return this.next;
    }
    this.saving = this.writeNow().finally(() => {
      this.saving = undefined;
    });
    return this.saving;
  }

  private async writeNow(): Promise<void> {
    const body = JSON.stringify({
      version: 1,
      files: this.files,
    } satisfies OffsetsFile);
    const tmp = `${this.file}.${process.pid}.tmp`;
    await fs.promises.mkdir(path.dirname(this.file), { recursive: true });
    const fh = await fs.promises.open(tmp, 'w');
    try {
      await fh.writeFile(body);
      await fh.sync();
    } finally {
      await fh.close();
    }
    await fs.promises.rename(tmp, this.file);
  }
}
