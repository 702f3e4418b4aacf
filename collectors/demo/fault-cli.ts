/**
 * Switches a fault on or off in the running demo mesh (`npm run demo`), without a restart:
 *
 *   npm run demo:fault -- on [target ...] [--abort <percent>] [--code <status>]
 *       [--delay <percent> --delay-ms <ms>] [--data-dir ./data] [--scenario file.json]
 *   npm run demo:fault -- off [--data-dir ./data]
 *   npm run demo:fault -- status [--data-dir ./data]
 *
 * A target is an edge id of the scenario or "namespace/service" (every edge calling it); the
 * default is bookinfo/ratings. `on` without --abort / --delay aborts 50 % with 503. It writes
 * `<dataDir>/demo/fault.json` (fault.ts), which the demo applies within about a second.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  DEFAULT_FAULT_TARGET,
  describeFault,
  faultEdges,
  faultFilePath,
  faultSchema,
  readFaultFile,
  writeFaultFile,
  type DemoFault,
} from './fault';
import { DEFAULT_SCENARIO_PATH } from './index';
import { meshOf } from './mesh';
import { loadScenario } from './scenario';

const USAGE = `usage: npm run demo:fault -- on [target ...] [--abort <percent>] [--code <status>] [--delay <percent> --delay-ms <ms>] [--data-dir <dir>] [--scenario <file>]
       npm run demo:fault -- off | status [--data-dir <dir>]
  target: an edge id of the scenario or "namespace/service" (default ${DEFAULT_FAULT_TARGET})`;

interface Args {
  command: 'on' | 'off' | 'status';
  targets: string[];
  dataDir: string;
  scenario: string;
  abort?: number;
  code: number;
  delay?: number;
  delayMs?: number;
}

function number(flag: string, v: string | undefined): number {
  const n = Number(v);
  if (v === undefined || v.trim() === '' || !Number.isFinite(n))
    throw new Error(`${flag} needs a number`);
  return n;
}

export function parseArgs(
  argv: readonly string[],
  env: Record<string, string | undefined>,
): Args {
  const [command, ...rest] = argv;
  if (command !== 'on' && command !== 'off' && command !== 'status')
    throw new Error(
      `expected on, off or status first, got ${JSON.stringify(command ?? '')}`,
    );
  const args: Args = {
    command,
    targets: [],
    dataDir: env.MESHLENS_DATA_DIR ?? './data',
    scenario: env.MESHLENS_DEMO_SCENARIO ?? DEFAULT_SCENARIO_PATH,
    code: 503,
  };
  for (let i = 0; i < rest.length; i++) {
    const flag = rest[i] ?? '';
    const value = () => rest[++i];
    if (flag === '--data-dir') args.dataDir = value() ?? '';
    else if (flag === '--scenario') args.scenario = value() ?? '';
    else if (flag === '--abort') args.abort = number(flag, value());
    else if (flag === '--code') args.code = number(flag, value());
    else if (flag === '--delay') args.delay = number(flag, value());
    else if (flag === '--delay-ms') args.delayMs = number(flag, value());
    else if (flag.startsWith('--') || command !== 'on')
      throw new Error(`unknown argument ${JSON.stringify(flag)}`);
    else args.targets.push(flag);
  }
  if (!args.dataDir) throw new Error('--data-dir needs a folder');
  return args;
}

/** The fault `on` asks for, validated against the scenario; throws with a readable message. */
export function faultOf(args: Args, now = new Date()): DemoFault {
  if ((args.delay === undefined) !== (args.delayMs === undefined))
    throw new Error('--delay and --delay-ms go together');
  const abortPercent =
    args.abort ?? (args.delay === undefined ? 50 : undefined);
  const parsed = faultSchema.safeParse({
    targets: args.targets.length > 0 ? args.targets : [DEFAULT_FAULT_TARGET],
    ...(abortPercent === undefined
      ? {}
      : { abort: { percent: abortPercent, code: args.code } }),
    ...(args.delay === undefined
      ? {}
      : { delay: { percent: args.delay, delayMs: args.delayMs } }),
    since: now.toISOString(),
  });
  if (!parsed.success)
    throw new Error(
      parsed.error.issues
        .map((i) => `${i.path.join('.') || 'fault'}: ${i.message}`)
        .join('; '),
    );
  faultEdges(meshOf(loadScenario(args.scenario)), parsed.data.targets);
  return parsed.data;
}

/** Runs the CLI; returns the exit code. */
export function main(
  argv: readonly string[],
  out: (s: string) => void,
  err: (s: string) => void,
  env: Record<string, string | undefined> = process.env,
): number {
  let args: Args;
  try {
    args = parseArgs(argv, env);
  } catch (e) {
    err(`${(e as Error).message}\n${USAGE}\n`);
    return 2;
  }
  const file = faultFilePath(args.dataDir);
  try {
    if (args.command === 'status') {
      const f = readFaultFile(file);
      out(f ? `fault on: ${describeFault(f)}\n` : `no fault (${file})\n`);
      return 0;
    }
    const fault = args.command === 'on' ? faultOf(args) : null;
    writeFaultFile(file, fault);
    out(
      fault
        ? `fault on: ${describeFault(fault)}\nthe running demo applies it within a second (${file})\n`
        : `fault off (${file} removed)\n`,
    );
    if (!existsSync(join(args.dataDir, 'demo', 'truth.ndjson')))
      err(
        `note: no demo has run with data folder ${args.dataDir} yet; start it with npm run demo (or pass --data-dir)\n`,
      );
    return 0;
  } catch (e) {
    err(`${(e as Error).message}\n`);
    return 1;
  }
}

if (
  process.argv[1] &&
  import.meta.url === pathToFileURL(process.argv[1]).href
) {
  process.exitCode = main(
    process.argv.slice(2),
    (s) => process.stdout.write(s),
    (s) => process.stderr.write(s),
  );
}
