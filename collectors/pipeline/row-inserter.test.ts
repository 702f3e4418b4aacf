import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { removeStaleScratchFiles } from './row-inserter';

describe('scratch files of the file insert path', () => {
  it('removes files of dead processes and keeps those of live ones and unrelated files', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'meshlens-scratch-'));
    const dead = 2 ** 22 + 12345; // above the default pid_max, so no process has it
    fs.writeFileSync(path.join(dir, `meshlens-${dead}-1.ndjson`), '{}');
    fs.writeFileSync(path.join(dir, `meshlens-${process.pid}-2.ndjson`), '{}');
    fs.writeFileSync(path.join(dir, 'other.ndjson'), '{}');
    expect(removeStaleScratchFiles(dir)).toBe(1);
    expect(fs.readdirSync(dir).sort()).toEqual([
      `meshlens-${process.pid}-2.ndjson`,
      'other.ndjson',
    ]);
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
