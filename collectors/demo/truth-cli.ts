/**
 * Prints the demo mesh's truth for a window, from its NDJSON ledger, after the fact:
 *
 *   tsx collectors/demo/truth-cli.ts --ledger data/demo/truth.ndjson --from <iso|ms> --to <iso|ms> [--json] [--clusters]
 *
 * --from / --to default to the generated range in the file. --json prints the Truth object;
 * --clusters splits edges by source and destination cluster.
 */
import { pathToFileURL } from 'node:url';
import { describeFault, type DemoFault } from './fault';
import { readLedgerFile } from './truth-file';
import { renderTruth } from './truth-table';

const USAGE =
  'usage: tsx collectors/demo/truth-cli.ts --ledger <truth.ndjson> [--from <iso|epoch ms>] [--to <iso|epoch ms>] [--json] [--clusters]';

/** Epoch ms from "1732550000000" or an ISO date; throws on anything else. */
export function parseTime(value: string, flag: string): number {
  const ms = /^\d+$/.test(value) ? Number(value) : Date.parse(value);
  if (!Number.isFinite(ms))
    throw new Error(
      `${flag}: not an ISO date or epoch milliseconds: ${JSON.stringify(value)}`,
    );
  return ms;
}

interface Args {
  ledger: string;
  from?: number;
  to?: number;
  json: boolean;
  clusters: boolean;
}

export function parseArgs(argv: readonly string[]): Args {
  const args: Args = {
    ledger: 'data/demo/truth.ndjson',
    json: false,
    clusters: false,
  };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i] ?? '';
    const value = () => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${flag} needs a value`);
      return v;
    };
    if (flag === '--ledger') args.ledger = value();
    else if (flag === '--from') args.from = parseTime(value(), flag);
    else if (flag === '--to') args.to = parseTime(value(), flag);
    else if (flag === '--json') args.json = true;
    else if (flag === '--clusters') args.clusters = true;
    else throw new Error(`unknown argument ${JSON.stringify(flag)}`);
  }
  return args;
}

/** The fault switches (npm run demo:fault) that shaped the window, as text lines. */
export function faultLines(
  faults: readonly { atMs: number; fault: DemoFault | null }[],
  fromMs: number,
  toMs: number,
): string {
  // The switch in force at the start of the window counts too.
  const inForce = faults.filter((f) => f.atMs <= fromMs).at(-1);
  const shown = [
    ...(inForce?.fault ? [inForce] : []),
    ...faults.filter((f) => f.atMs > fromMs && f.atMs < toMs),
  ];
  if (shown.length === 0) return '';
  return (
    '\nDemo faults (npm run demo:fault):\n' +
    shown
      .map(
        (f) =>
          `  ${new Date(f.atMs).toISOString()}  ${f.fault ? `on: ${describeFault(f.fault)}` : 'off'}\n`,
      )
      .join('')
  );
}

/** Runs the CLI; returns the exit code. */
export function main(
  argv: readonly string[],
  out: (s: string) => void,
  err: (s: string) => void,
): number {
  let args: Args;
  try {
    args = parseArgs(argv);
  } catch (e) {
    err(`${(e as Error).message}\n${USAGE}\n`);
    return 2;
  }
  try {
    const ledger = readLedgerFile(args.ledger);
    const from = args.from ?? ledger.coverage.fromMs;
    const to = args.to ?? ledger.coverage.untilMs;
    if (from === null || to === null) {
      err(
        `${args.ledger}: no generated range recorded; pass --from and --to\n`,
      );
      return 1;
    }
    if (to <= from) {
      err(`--to must be after --from\n`);
      return 2;
    }
    const truth = ledger.truth(from, to);
    out(
      args.json
        ? JSON.stringify(truth, null, 2) + '\n'
        : renderTruth(truth, { clusters: args.clusters }) +
            faultLines(ledger.faults, from, to),
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
  // `... | head` closes the pipe early: that is not an error.
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code !== 'EPIPE') throw e;
  });
  process.exitCode = main(
    process.argv.slice(2),
    (s) => process.stdout.write(s),
    (s) => process.stderr.write(s),
  );
}
