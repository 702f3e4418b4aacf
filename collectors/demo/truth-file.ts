/**
 * Reading the truth NDJSON file back. Lines, one JSON object each:
 *   {"type":"meta","version":1,"scenario":..,"seed":..,"samplingPercent":..,"startedAtMs":..}   first line
 *   {"type":"cell","minuteMs":..,"key":{CellKey},"outcomes":[..],"t":[..],"d":[..],"sd":[..],"rb":[..],"sb":[..],"o":[..],"f":[..]}
 *   {"type":"coverage","fromMs":..,"untilMs":..}   after each batch of finished minutes
 *   {"type":"fault","atMs":..,"fault":{DemoFault}|null}   a fault switched on / off (fault.ts)
 * Columns are described on `Cell` (truth-aggregate.ts).
 */
import { readFileSync } from 'node:fs';
import type { DemoFault } from './fault';
import type { Cell } from './truth-aggregate';
import { TruthLedger } from './truth';

interface MetaLine {
  type: 'meta';
  scenario: string;
  seed: number;
  samplingPercent: number;
  startedAtMs?: number;
}

function isMeta(v: unknown): v is MetaLine {
  const m = v as Partial<MetaLine> | null;
  return (
    !!m &&
    m.type === 'meta' &&
    typeof m.scenario === 'string' &&
    typeof m.seed === 'number'
  );
}

function isCell(v: unknown): v is Cell & { type: 'cell'; minuteMs: number } {
  const c = v as Partial<Cell & { type: string; minuteMs: number }> | null;
  return (
    !!c &&
    c.type === 'cell' &&
    typeof c.minuteMs === 'number' &&
    !!c.key &&
    Array.isArray(c.t) &&
    Array.isArray(c.outcomes)
  );
}

/** Parses ledger NDJSON text into a ledger (without a file of its own). Throws on a bad line. */
export function parseLedger(text: string, source = 'truth file'): TruthLedger {
  let ledger: TruthLedger | null = null;
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    if (!line.trim()) continue;
    let v: unknown;
    try {
      v = JSON.parse(line);
    } catch (err) {
      // A run killed mid-write leaves a partial last line; anything else is corruption.
      if (i >= lines.length - 2) continue;
      throw new Error(
        `${source}:${i + 1}: not JSON: ${(err as Error).message}`,
      );
    }
    if (isMeta(v)) {
      ledger ??= new TruthLedger({
        scenario: v.scenario,
        seed: v.seed,
        samplingPercent: v.samplingPercent,
      });
      continue;
    }
    if (!ledger)
      throw new Error(`${source}:${i + 1}: expected a "meta" line first`);
    if (isCell(v)) {
      ledger.loadCell(v.minuteMs, v);
    } else if ((v as { type?: string }).type === 'fault') {
      const f = v as { atMs: number; fault: DemoFault | null };
      ledger.faults.push({ atMs: f.atMs, fault: f.fault });
    } else if ((v as { type?: string }).type === 'coverage') {
      const c = v as { fromMs: number | null; untilMs: number | null };
      if (c.fromMs !== null)
        ledger.coverage.fromMs = Math.min(
          ledger.coverage.fromMs ?? c.fromMs,
          c.fromMs,
        );
      if (c.untilMs !== null)
        ledger.coverage.untilMs = Math.max(
          ledger.coverage.untilMs ?? c.untilMs,
          c.untilMs,
        );
    } else {
      throw new Error(
        `${source}:${i + 1}: unknown line type ${JSON.stringify((v as { type?: unknown }).type)}`,
      );
    }
  }
  if (!ledger) throw new Error(`${source}: empty (no "meta" line)`);
  return ledger;
}

/** Reads a ledger NDJSON file. */
export function readLedgerFile(path: string): TruthLedger {
  return parseLedger(readFileSync(path, 'utf8'), path);
}
