/**
 * Shared by the ingest benchmarks (bench/ingest-logs.bench.ts, bench/ingest-traces.bench.ts):
 * the real receivers over the real pipeline on a temporary embedded engine, an HTTP load loop,
 * the engine's own ceiling for the same rows, and the time split of the inserts.
 */
import fs from 'node:fs';
import { fork } from 'node:child_process';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import inspector from 'node:inspector';
import { performance as perf, PerformanceObserver } from 'node:perf_hooks';
import { createPipeline, type Pipeline } from '~/collectors/pipeline';
import { codecOf } from '~/collectors/pipeline/native-block';
import { insertPhases } from '~/collectors/pipeline/row-inserter';
import { startHttpListener, type HttpListener } from '~/collectors/http/server';
import { receivers } from '~/collectors/sources';
import { tempDb, type TempDb } from '~/test/helpers/temp-db';

export const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
export const rate = (n: number, ms: number) => n / (ms / 1000);

/** CPU time of this process (all threads, including the engine's), in ms. */
export function cpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

/**
 * CPU time (user + system, ms) of this process's main thread and of all its other threads (the
 * engine's, libuv's, V8's helpers), from /proc on Linux; zeros elsewhere.
 */
export function threadCpuMs(): { main: number; others: number } {
  const out = { main: 0, others: 0 };
  try {
    const tick = 10; // USER_HZ is 100 on Linux: 10 ms per tick
    for (const tid of fs.readdirSync('/proc/self/task')) {
      const stat = fs.readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const ms = (Number(fields[11]) + Number(fields[12])) * tick;
      if (Number(tid) === process.pid) out.main += ms;
      else out.others += ms;
    }
  } catch {
    // not Linux: the split stays empty
  }
  return out;
}

/**
 * CPU time (ms) of this process's threads grouped by thread name (the engine names its pools,
 * e.g. QueryPipelineEx, MergeMutate; V8's helpers are "V8 DefaultWorke"; libuv's "libuv-worker").
 */
export function threadCpuByName(): Map<string, number> {
  const out = new Map<string, number>();
  try {
    for (const tid of fs.readdirSync('/proc/self/task')) {
      const stat = fs.readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const ms = (Number(fields[11]) + Number(fields[12])) * 10;
      const name =
        Number(tid) === process.pid
          ? 'main'
          : fs
              .readFileSync(`/proc/self/task/${tid}/comm`, 'utf8')
              .trim()
              .replace(/[0-9]+$/, '');
      out.set(name, (out.get(name) ?? 0) + ms);
    }
  } catch {
    // not Linux
  }
  return out;
}

/**
 * The best rate of `passes` runs of fn over n items, per CPU-second of this process (fn runs on
 * the main thread; nothing else runs meanwhile): "per core", and not slowed by other processes
 * taking the machine's cores, as wall time is.
 */
export function bestRate(n: number, passes: number, fn: () => void): number {
  let best = 0;
  for (let i = 0; i < passes; i++) {
    const t0 = cpuMs();
    fn();
    best = Math.max(best, rate(n, Math.max(cpuMs() - t0, 0.001)));
  }
  return best;
}

export interface Rig {
  t: TempDb;
  pipeline: Pipeline;
  otlpHttp: HttpListener;
  count(table: string): Promise<number>;
  truncate(table: string): Promise<void>;
  close(): Promise<void>;
}

/** A temporary embedded engine with migrations, the pipeline and the OTLP/HTTP-port listener. */
export async function startRig(env: Record<string, string>): Promise<Rig> {
  const t = await tempDb({
    MESHLENS_LOG_LEVEL: 'warn',
    MESHLENS_TTL_SPANS_DAYS: '3650',
    MESHLENS_TTL_REQUESTS_DAYS: '3650',
    // the pipeline's own defaults unless the caller sets them (MESHLENS_BATCH_MAX_ROWS=... npm run ...)
    ...Object.fromEntries(
      Object.entries(process.env).filter(
        (e): e is [string, string] =>
          e[0].startsWith('MESHLENS_BATCH_') && e[1] !== undefined,
      ),
    ),
    ...env,
  });
  const pipeline = createPipeline({
    db: t.db,
    config: t.config,
    replayIntervalMs: 600_000,
  });
  const r = receivers({ config: t.config, pipeline });
  const otlpHttp = await startHttpListener({
    name: 'otlp-http',
    host: '127.0.0.1',
    port: 0,
    routes: r.otlpHttp,
  });
  const command = (query: string) => t.db.client.command({ query });
  return {
    t,
    pipeline,
    otlpHttp,
    async count(table) {
      const [row] = await t.rows<{ n: string }>(
        `SELECT count() AS n FROM {db:Identifier}.${table}`,
      );
      return Number(row!.n);
    },
    async truncate(table) {
      await command(`TRUNCATE TABLE \`${t.db.database}\`.\`${table}\``);
    },
    async close() {
      await pipeline.close();
      await otlpHttp.close();
      await t.close();
    },
  };
}

/**
 * POSTs every body to url with `concurrency` requests in flight (keep-alive), as a fleet of
 * senders does; resolves when every answer came back, and throws on any status but 200/204.
 */
export async function postAll(
  url: string,
  contentType: string,
  bodies: readonly Uint8Array[],
  concurrency: number,
): Promise<void> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
  let next = 0;
  const one = (body: Uint8Array) =>
    new Promise<void>((resolve, reject) => {
      const req = http.request(
        url,
        {
          method: 'POST',
          agent,
          headers: {
            'content-type': contentType,
            'content-length': body.byteLength,
          },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            if (res.statusCode === 200 || res.statusCode === 204) resolve();
            else
              reject(
                new Error(
                  `HTTP ${res.statusCode}: ${Buffer.concat(chunks).toString().slice(0, 300)}`,
                ),
              );
          });
        },
      );
      req.on('error', reject);
      req.end(body);
    });
  const worker = async () => {
    while (next < bodies.length) await one(bodies[next++]!);
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  agent.destroy();
}

/** postAll in a child process: the fleet of senders as its own process, as senders are. */
const SENDER_SOURCE = `
const fs = require('node:fs');
const http = require('node:http');
const [file, url, contentType, inFlight] = process.argv.slice(1);
const all = fs.readFileSync(file);
const bodies = [];
for (let p = 0; p < all.length; ) {
  const n = all.readUInt32LE(p);
  bodies.push(all.subarray(p + 4, p + 4 + n));
  p += 4 + n;
}
process.on('message', () => {
  const agent = new http.Agent({ keepAlive: true, maxSockets: Number(inFlight) });
  let next = 0;
  const one = (body) => new Promise((resolve, reject) => {
    const req = http.request(url, { method: 'POST', agent,
      headers: { 'content-type': contentType, 'content-length': body.byteLength } }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => res.statusCode === 200 || res.statusCode === 204 ? resolve()
        : reject(new Error('HTTP ' + res.statusCode + ': ' + Buffer.concat(chunks).toString().slice(0, 300))));
    });
    req.on('error', reject);
    req.end(body);
  });
  const worker = async () => { while (next < bodies.length) await one(bodies[next++]); };
  Promise.all(Array.from({ length: Number(inFlight) }, worker)).then(
    () => { agent.destroy(); process.send({ ok: true }); },
    (err) => process.send({ ok: false, error: String(err) }));
});
process.on('disconnect', () => process.exit(0));
process.send({ ready: true });
`;

/**
 * A sender process holding `bodies` (passed through a file in /dev/shm): each send() posts them
 * all as postAll does and resolves when every answer came back.
 */
export async function startSenders(
  url: string,
  contentType: string,
  bodies: readonly Uint8Array[],
  inFlight: number,
): Promise<{ send(): Promise<void>; stop(): void }> {
  const dir = fs.existsSync('/dev/shm') ? '/dev/shm' : os.tmpdir();
  const file = path.join(dir, `meshlens-bench-bodies-${process.pid}`);
  const parts: Buffer[] = [];
  for (const b of bodies) {
    const len = Buffer.alloc(4);
    len.writeUInt32LE(b.byteLength);
    parts.push(len, Buffer.from(b.buffer, b.byteOffset, b.byteLength));
  }
  fs.writeFileSync(file, Buffer.concat(parts));
  const child = fork(
    '-e',
    [SENDER_SOURCE, file, url, contentType, String(inFlight)],
    {
      execArgv: [],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    },
  );
  // node -e takes the script as its argument: fork runs `node -e <source> <args>`
  await new Promise<void>((resolve, reject) => {
    child.once('message', () => resolve());
    child.once('exit', (code) =>
      reject(new Error(`sender process exited (${code})`)),
    );
  });
  fs.rmSync(file, { force: true });
  return {
    send: () =>
      new Promise<void>((resolve, reject) => {
        child.once('message', (m: { ok: boolean; error?: string }) =>
          m.ok ? resolve() : reject(new Error(m.error)),
        );
        child.send('go');
      }),
    stop: () => child.kill(),
  };
}

/**
 * The engine's ceiling for these rows: the same rows, already in the engine (a Memory table
 * filled from `table`), copied into `table` by one INSERT ... SELECT, with its materialized views.
 * `table` must hold exactly the rows to copy. Returns rows/s, and the CPU time of this process
 * (all threads) per row, which a machine busy with other work disturbs less than wall time.
 */
export async function engineCopyRate(
  t: TempDb,
  table: string,
  rows: number,
): Promise<{ rowsPerSecond: number; cpuUsPerRow: number }> {
  const db = t.db.database;
  const command = (query: string) => t.db.client.command({ query });
  await command(`DROP TABLE IF EXISTS \`${db}\`.ceiling_src`);
  await command(
    `CREATE TABLE \`${db}\`.ceiling_src AS \`${db}\`.\`${table}\` ENGINE = Memory`,
  );
  await command(
    `INSERT INTO \`${db}\`.ceiling_src SELECT * FROM \`${db}\`.\`${table}\``,
  );
  const cpu0 = cpuMs();
  const t0 = performance.now();
  await command(
    `INSERT INTO \`${db}\`.\`${table}\` SELECT * FROM \`${db}\`.ceiling_src`,
  );
  const ms = performance.now() - t0;
  const cpu = cpuMs() - cpu0;
  await command(`DROP TABLE \`${db}\`.ceiling_src`);
  return { rowsPerSecond: rate(rows, ms), cpuUsPerRow: (cpu * 1000) / rows };
}

/** Starts counting insert phases from zero; returns a reader of the split since then. */
export function phaseWindow(): () => typeof insertPhases {
  const start = { ...insertPhases };
  return () => {
    const out = { ...insertPhases };
    for (const k of Object.keys(out) as (keyof typeof insertPhases)[])
      out[k] -= start[k];
    return out;
  };
}

/** Microseconds per row, to one decimal. */
export const usPerRow = (ms: number, rows: number) =>
  ((ms * 1000) / rows).toFixed(1).padStart(6);

/** The best of two rounds of end to end (HTTP in -> rows committed) and of the engine's ceiling. */
export interface IngestFigures {
  /** End to end rows/s, its wall time, and CPU µs per row: all threads, main, the others. */
  e2e: number;
  e2eMs: number;
  e2eCpu: number;
  e2eMainCpu: number;
  e2eOtherCpu: number;
  /**
   * CPU µs per row of the best end-to-end round by thread group: the engine's query threads,
   * its background merges, and Node's helpers (V8's garbage collector threads, libuv's pool).
   */
  byThread: { engine: number; merges: number; nodeHelpers: number };
  /** Share of the round the main thread was busy, and its garbage-collection pauses (ms, wall). */
  mainBusy: number;
  gcPauseMs: number;
  /** The insert phases of the best end-to-end round. */
  split: ReturnType<ReturnType<typeof phaseWindow>>;
  ceiling: number;
  ceilingCpu: number;
  /** Whether the senders ran on this process's event loop (their CPU then counts as main). */
  sendersInProcess?: boolean;
}

/** Starts a CPU profile of the main thread when PROFILE=<path prefix> is set; stop() writes it. */
async function maybeProfile(name: string): Promise<() => Promise<void>> {
  if (!process.env.PROFILE) return () => Promise.resolve();
  const session = new inspector.Session();
  session.connect();
  const post = (method: string) =>
    new Promise<unknown>((resolve, reject) =>
      session.post(method, (err, res) => (err ? reject(err) : resolve(res))),
    );
  await post('Profiler.enable');
  await post('Profiler.start');
  return async () => {
    const res = (await post('Profiler.stop')) as { profile: unknown };
    fs.writeFileSync(
      `${process.env.PROFILE}.${name}.cpuprofile`,
      JSON.stringify(res.profile),
    );
    session.disconnect();
  };
}

/**
 * Posts `bodies` to `url` (empty `table` first) and checks `total` rows arrived, then measures the
 * engine copying those rows; twice, alternating, keeping the best of each.
 */
export async function measureIngest(
  rig: Rig,
  o: {
    table: string;
    url: string;
    contentType: string;
    bodies: readonly Uint8Array[];
    inFlight: number;
    total: number;
  },
): Promise<IngestFigures> {
  let best: IngestFigures | undefined;
  let ceiling = 0;
  let ceilingCpu = 0;
  // The senders run in their own process (on the same cores), as a fleet of senders does;
  // IN_PROCESS_SENDERS=1 runs them on this process's event loop, as before.
  const inProcess = process.env.IN_PROCESS_SENDERS === '1';
  const senders = inProcess
    ? undefined
    : await startSenders(o.url, o.contentType, o.bodies, o.inFlight);
  for (let round = 0; round < 2; round++) {
    await rig.truncate(o.table);
    const phases = phaseWindow();
    const cpu0 = cpuMs();
    const threads0 = threadCpuMs();
    const byName0 = threadCpuByName();
    const elu0 = perf.eventLoopUtilization();
    let gcMs = 0;
    const gcObserver = new PerformanceObserver((list) => {
      for (const e of list.getEntries()) gcMs += e.duration;
    });
    gcObserver.observe({ entryTypes: ['gc'] });
    const stopProfile = await maybeProfile(`${o.table}.${round}`);
    const t0 = performance.now();
    if (senders) await senders.send();
    else await postAll(o.url, o.contentType, o.bodies, o.inFlight);
    const ms = performance.now() - t0;
    const cpu = cpuMs() - cpu0;
    const threads1 = threadCpuMs();
    const byName = threadCpuByName();
    const mainBusy = perf.eventLoopUtilization(elu0).utilization;
    gcObserver.disconnect();
    await stopProfile();
    const stored = await rig.count(o.table);
    if (stored !== o.total)
      throw new Error(
        `end to end stored ${stored} rows in ${o.table}, expected ${o.total}`,
      );
    if (!best || rate(o.total, ms) > best.e2e) {
      const perRow = (ms: number) => (ms * 1000) / o.total;
      const byThread = { engine: 0, merges: 0, nodeHelpers: 0 };
      for (const [name, v] of byName) {
        const used = v - (byName0.get(name) ?? 0);
        if (name === 'main') continue;
        if (name === 'node') byThread.nodeHelpers += perRow(used);
        else if (name.startsWith('MergeMutate'))
          byThread.merges += perRow(used);
        else byThread.engine += perRow(used);
      }
      best = {
        e2e: rate(o.total, ms),
        e2eMs: ms,
        e2eCpu: perRow(cpu),
        e2eMainCpu: perRow(threads1.main - threads0.main),
        e2eOtherCpu: perRow(threads1.others - threads0.others),
        byThread,
        mainBusy,
        gcPauseMs: gcMs,
        split: phases(),
        ceiling: 0,
        ceilingCpu: 0,
      };
    }
    const copy = await engineCopyRate(rig.t, o.table, o.total);
    if (copy.rowsPerSecond > ceiling) {
      ceiling = copy.rowsPerSecond;
      ceilingCpu = copy.cpuUsPerRow;
    }
  }
  senders?.stop();
  return { ...best!, ceiling, ceilingCpu, sendersInProcess: inProcess };
}

/**
 * The lines both benchmarks print after their own: the ratio, CPU per row by thread, and the
 * insert phases of the best end-to-end round (µs per row).
 */
export function printIngestFigures(
  f: IngestFigures,
  unit: string,
  total: number,
): void {
  const s = f.split;
  const us = (ms: number, rows: number) => usPerRow(ms, Math.max(rows, 1));
  console.log(
    `  ceiling: engine copies same rows   : ${fmt(f.ceiling)} rows/s   (INSERT ... SELECT from memory, same table, with views)`,
  );
  console.log(
    `  end to end, HTTP -> committed      : ${fmt(f.e2e)} ${unit}/s  = ${(f.e2e / f.ceiling).toFixed(2)} of the ceiling (target >= 0.33)`,
  );
  console.log(
    `  CPU per row, all threads           : end to end ${f.e2eCpu.toFixed(1)} us (${f.sendersInProcess ? 'senders in this process, included' : 'senders in their own process, not included'}), ceiling ${f.ceilingCpu.toFixed(1)} us`,
  );
  console.log(
    `    by thread: main ${f.e2eMainCpu.toFixed(1)} us (busy ${Math.round(f.mainBusy * 100)}% of the run, GC pauses ${fmt(f.gcPauseMs)} ms), engine queries ${f.byThread.engine.toFixed(1)} us, engine merges ${f.byThread.merges.toFixed(1)} us, Node helpers (GC, libuv) ${f.byThread.nodeHelpers.toFixed(1)} us`,
  );
  console.log(
    `  the run's inserts (${usPerRow(f.e2eMs, total).trim()} us/row wall end to end; ${s.batches} inserts of ~${fmt(s.rows / Math.max(s.batches, 1))} rows):`,
  );
  console.log(
    `    encode when queued (main thread)  ${us(s.prepareMs, s.preparedRows)}   us/row, ${Math.round((100 * s.preparedRows) / Math.max(s.rows, 1))}% of the rows`,
  );
  console.log(
    `    encode at insert (main thread)    ${us(s.encodeMs, s.rows)}   us/row (rows not encoded when queued)`,
  );
  console.log(
    `    write scratch file (main thread)  ${us(s.writeMs, s.rows)}   us/row`,
  );
  console.log(
    `    engine insert, wall               ${us(s.engineMs, s.rows)}   us/row (its own threads; overlaps the main thread)`,
  );
}

/** The table's columns with their Native codecs, in table order. */
export async function nativeColumns(rig: Rig, table: string) {
  const rows = await rig.t.rows<{ name: string; type: string }>(
    `SELECT name, type FROM system.columns
     WHERE database = {db:String} AND table = {table:String} ORDER BY position`,
    { table },
  );
  return rows.map((c) => ({ name: c.name, codec: codecOf(c.type)! }));
}
