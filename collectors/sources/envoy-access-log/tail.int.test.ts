import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPipeline, type Pipeline } from '~/collectors/pipeline';
import { tempDb, type TempDb } from '~/test/helpers/temp-db';
import { FileTailer } from './tail';
import { istioLine } from './testdata/lines';

const cri = (line: string, tag = 'F') =>
  `2026-01-15T10:00:00.123456789Z stdout ${tag} ${line}`;

async function waitFor(
  check: () => boolean | Promise<boolean>,
  timeoutMs = 30_000,
  what = 'condition',
): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe('file tail', () => {
  let t: TempDb;
  let pipeline: Pipeline;
  let dir: string;

  beforeAll(async () => {
    t = await tempDb({
      MESHLENS_BATCH_MAX_ROWS: '200',
      MESHLENS_BATCH_MAX_WAIT_MS: '50',
    });
    pipeline = createPipeline({ db: t.db, config: t.config });
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'meshlens-tail-'));
  });
  afterAll(async () => {
    await pipeline.close();
    await t.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const count = async () =>
    Number(
      (
        await t.rows<{ n: string }>(
          'SELECT count() AS n FROM {db:Identifier}.mesh_requests',
        )
      )[0]!.n,
    );

  it('follows rotation and truncation while lines are written, losing and repeating none', async () => {
    const file = path.join(dir, 'app.log');
    let next = 0;
    const write = (target: string, n: number) => {
      const lines: string[] = [];
      for (let k = 0; k < n; k++) lines.push(cri(istioLine(next++)));
      fs.appendFileSync(target, `${lines.join('\n')}\n`);
    };
    write(file, 500);
    // A CRI-split line (P + F), an Envoy app log line (skipped) and a broken line (dead letter).
    const split = istioLine(next++);
    fs.appendFileSync(
      file,
      `${cri(split.slice(0, 40), 'P')}\n${cri(split.slice(40))}\n`,
    );
    fs.appendFileSync(
      file,
      `${cri('[2026-01-15 10:00:00.000][15][warning][config] a proxy log line')}\n`,
    );
    fs.appendFileSync(
      file,
      `${cri('[2026-01-15T10:00:00.000Z] "GET / HTTP/1.1" not-a-line')}\n`,
    );

    const tailer = new FileTailer({
      patterns: [path.join(dir, '*.log')],
      pipeline,
      db: t.db,
      offsetsFile: path.join(dir, 'offsets.json'),
      pollMs: 20,
      batchLines: 200,
      rotateGraceMs: 1500,
    });
    tailer.start();
    try {
      await waitFor(async () => (await count()) === 501, 30_000, '501 rows');

      // Rotation by rename: the old writer still appends 100 lines, a new file gets 200.
      fs.renameSync(file, `${file}.1`);
      write(`${file}.1`, 100);
      write(file, 200);
      await waitFor(
        async () => (await count()) === 801,
        30_000,
        '801 rows after rotation',
      );

      // copytruncate: the file is emptied and written again from the start.
      fs.truncateSync(file, 0);
      write(file, 50);
      await waitFor(
        async () => (await count()) === 851,
        30_000,
        '851 rows after truncation',
      );
    } finally {
      await tailer.stop();
    }
    const [stats] = await t.rows<{ n: string; u: string; s: string }>(
      `SELECT count() AS n, uniqExact(RequestId, Reporter) AS u, countIf(Signal = 'file') AS s FROM {db:Identifier}.mesh_requests`,
    );
    expect(Number(stats!.n)).toBe(851);
    expect(Number(stats!.u)).toBe(851);
    expect(Number(stats!.s)).toBe(851);
    const dead = await t.rows<{
      Source: string;
      Reason: string;
      Payload: string;
      Remote: string;
    }>(
      `SELECT Source, Reason, Payload, Remote FROM {db:Identifier}.dead_letters WHERE Source = 'access_log:file'`,
    );
    expect(dead).toHaveLength(1);
    expect(dead[0]!.Payload).toContain('not-a-line');
    expect(dead[0]!.Reason).toMatch(/no access-log format fits/);
    expect(dead[0]!.Remote).toContain('app.log');
    const offsets = JSON.parse(
      fs.readFileSync(path.join(dir, 'offsets.json'), 'utf8'),
    ) as { files: Record<string, { offset: number; path: string }> };
    const st = fs.statSync(file);
    expect(offsets.files[`${st.dev}:${st.ino}`]?.offset).toBe(st.size);
  });
});

describe('file tail across kill -9', () => {
  const runner = path.resolve(import.meta.dirname, 'testdata/tail-runner.ts');
  const repoRoot = path.resolve(import.meta.dirname, '../../..');

  function start(dataDir: string, glob: string, mode: string) {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', runner, dataDir, glob, mode],
      {
        cwd: repoRoot,
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const committed = () =>
      Math.max(
        0,
        ...[...out.matchAll(/COMMITTED (\d+)/g)].map((m) => Number(m[1])),
      );
    const exited = new Promise<number | null>((resolve) =>
      child.on('exit', (code) => resolve(code)),
    );
    return { child, committed, exited, output: () => out, errors: () => err };
  }

  it('neither loses nor repeats lines when the collector is killed mid-file and restarted', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'meshlens-kill-'));
    const dataDir = path.join(dir, 'data');
    const file = path.join(dir, 'logs', 'proxy.log');
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const total = 12_000;
    let written = 0;
    const writeSome = (n: number) => {
      const lines: string[] = [];
      for (let k = 0; k < n && written < total; k++)
        lines.push(cri(istioLine(written++)));
      if (lines.length) fs.appendFileSync(file, `${lines.join('\n')}\n`);
    };
    writeSome(4000);
    const writer = setInterval(() => writeSome(250), 40);
    try {
      for (let round = 0; round < 3; round++) {
        const p = start(dataDir, file, 'run');
        const before = fs.statSync(file).size;
        await waitFor(
          () => p.committed() > 0 || p.child.exitCode !== null,
          60_000,
          `round ${round} progress`,
        );
        // Kill at a random moment after the first commit, while the file is still being read.
        await new Promise((r) => setTimeout(r, 100 + Math.random() * 400));
        p.child.kill('SIGKILL');
        await p.exited;
        expect(p.child.exitCode, p.errors()).toBeNull();
        expect(p.committed()).toBeLessThan(
          Math.max(before, fs.statSync(file).size),
        );
      }
      await waitFor(() => written >= total, 60_000, 'writer');
    } finally {
      clearInterval(writer);
    }
    const last = start(dataDir, file, 'idle-exit');
    expect(await last.exited, last.errors()).toBe(0);
    expect(last.output()).toContain('IDLE');
    const counter = start(dataDir, file, 'count');
    expect(await counter.exited, counter.errors()).toBe(0);
    const m = /COUNT (\d+) (\d+)/.exec(counter.output());
    expect(m, counter.output()).not.toBeNull();
    expect(Number(m![1])).toBe(total);
    // Each request id appears on two lines (client and server sidecar).
    expect(Number(m![2])).toBe(total / 2);
    fs.rmSync(dir, { recursive: true, force: true });
  }, 240_000);
});
