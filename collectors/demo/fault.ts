/**
 * The demo's fault switch: an Istio fault (VirtualService `fault.abort` / `fault.delay`) put on
 * some edges of the running mesh and taken off again, without a restart. The switch is a small
 * JSON file, `<dataDir>/demo/fault.json` (written by fault-cli.ts, `npm run demo:fault`); the
 * running demo polls it and generates every second after a change with the fault applied. The
 * fault replaces the edges' own `faults.abort` / `faults.delay` while it is on, as editing the
 * VirtualService would. Generated hops go to the truth ledger as they are, so the truth stays
 * exact while a fault is on.
 */
import { readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import type { Edge, Mesh } from './mesh';
import type { EdgeSpec } from './scenario';

const percent = z.number().min(0).max(100);

export const faultSchema = z
  .object({
    /** Edge ids of the scenario, or "namespace/service" for every edge calling that service. */
    targets: z.array(z.string().min(1)).min(1, 'name at least one target'),
    abort: z
      .object({ percent, code: z.number().int().min(400).max(599) })
      .strict()
      .optional(),
    delay: z
      .object({ percent, delayMs: z.number().int().positive().max(600_000) })
      .strict()
      .optional(),
    /** When the switch was turned on (ISO), for people reading the file. */
    since: z.string().optional(),
  })
  .strict()
  .refine((f) => f.abort !== undefined || f.delay !== undefined, {
    message: 'a fault needs an abort, a delay or both',
  });
export type DemoFault = z.infer<typeof faultSchema>;

/** The default target: Bookinfo's ratings, whose callers already abort 10 % (FI 503). */
export const DEFAULT_FAULT_TARGET = 'bookinfo/ratings';

/** `<dataDir>/demo/fault.json`. */
export function faultFilePath(dataDir: string): string {
  return join(dataDir, 'demo', 'fault.json');
}

/** The edges a target list names; throws naming the unknown target and what exists. */
export function faultEdges(mesh: Mesh, targets: readonly string[]): Edge[] {
  const out = new Set<Edge>();
  for (const t of targets) {
    const hit = mesh.edges.filter((e) => e.id === t || e.service.key === t);
    if (hit.length === 0) {
      const services = [...new Set(mesh.edges.map((e) => e.service.key))];
      throw new Error(
        `fault target ${JSON.stringify(t)} is neither an edge id nor a called service of scenario ${mesh.scenario.name}; edges: ${mesh.edges.map((e) => e.id).join(', ')}; services: ${services.join(', ')}`,
      );
    }
    for (const e of hit) out.add(e);
  }
  return [...out];
}

/**
 * The mesh with `fault` applied: the targeted edges get a copy of their spec with the fault's
 * abort / delay; pods, workloads and services are the same objects (emitters keep working).
 * Pure; throws on an unknown target.
 */
export function meshWithFault(mesh: Mesh, fault: DemoFault | null): Mesh {
  if (!fault) return mesh;
  const targeted = new Set(faultEdges(mesh, fault.targets));
  const replaced = new Map<Edge, Edge>();
  for (const e of mesh.edges) {
    if (!targeted.has(e)) {
      replaced.set(e, e);
      continue;
    }
    const faults: NonNullable<EdgeSpec['faults']> = { ...e.spec.faults };
    if (fault.abort) faults.abort = fault.abort;
    if (fault.delay) faults.delay = fault.delay;
    replaced.set(e, { ...e, spec: { ...e.spec, faults } });
  }
  const swap = (e: Edge) => replaced.get(e) ?? e;
  const edges = mesh.edges.map(swap);
  return {
    ...mesh,
    scenario: { ...mesh.scenario, edges: edges.map((e) => e.spec) },
    edges,
    rootEdges: mesh.rootEdges.map(swap),
    childEdges: new Map(
      [...mesh.childEdges].map(([k, list]) => [k, list.map(swap)]),
    ),
  };
}

/** One line for people: "abort 50 % with 503 on bookinfo/ratings (since ...)". */
export function describeFault(f: DemoFault): string {
  const parts = [
    f.abort ? `abort ${f.abort.percent} % with ${f.abort.code}` : '',
    f.delay ? `delay ${f.delay.percent} % by ${f.delay.delayMs} ms` : '',
  ].filter(Boolean);
  return `${parts.join(', ')} on ${f.targets.join(', ')}${f.since ? ` (since ${f.since})` : ''}`;
}

/** Parses fault file text; throws with a readable message. */
export function parseFault(text: string, source: string): DemoFault {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new Error(`${source}: not valid JSON: ${(err as Error).message}`);
  }
  const r = faultSchema.safeParse(json);
  if (r.success) return r.data;
  throw new Error(
    `${source}: ${r.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')}`,
  );
}

/** Reads the switch: the fault, or null when the file does not exist (off). */
export function readFaultFile(file: string): DemoFault | null {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
  return parseFault(text, file);
}

/** Turns the switch on (atomically: a reader never sees half a file) or off (null). */
export function writeFaultFile(file: string, fault: DemoFault | null): void {
  if (!fault) {
    rmSync(file, { force: true });
    return;
  }
  mkdirSync(join(file, '..'), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify(fault, null, 2) + '\n');
  renameSync(tmp, file);
}
