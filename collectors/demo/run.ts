/**
 * Runs the demo mesh on its own (the server starts it with `--demo`):
 *
 *   tsx collectors/demo/run.ts [--data-dir ./data] [--scenario file.json] [--seed 1]
 *       [--backfill <minutes>] [--otlp <traces url>] [--logs-push <url>|none] [--duration <seconds>]
 *
 * Ctrl-C (or --duration) stops it cleanly and prints the emitter stats.
 */
import { startDemo } from './index';

function parse(argv: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (let i = 0; i < argv.length; i += 2) {
    const k = argv[i];
    const v = argv[i + 1];
    if (!k?.startsWith('--') || v === undefined)
      throw new Error(`expected --flag value pairs, got ${JSON.stringify(k)}`);
    out[k.slice(2)] = v;
  }
  return out;
}

const args = parse(process.argv.slice(2));
const demo = await startDemo({
  dataDir: args['data-dir'] ?? './data',
  scenarioPath: args.scenario,
  seed: args.seed === undefined ? undefined : Number(args.seed),
  backfillMinutes: Number(args.backfill ?? 0),
  otlpHttpUrl: args.otlp,
  logsPushUrl: args['logs-push'] === 'none' ? null : args['logs-push'],
});
process.stdout.write(
  `demo running: targets ${demo.targetsFile}, truth ${demo.truthFile}\n`,
);

let stopping = false;
const stop = async () => {
  if (stopping) process.exit(130);
  stopping = true;
  await demo.stop();
  process.stdout.write(JSON.stringify(demo.stats(), null, 2) + '\n');
};
process.on('SIGINT', () => void stop());
process.on('SIGTERM', () => void stop());
if (args.duration) setTimeout(() => void stop(), Number(args.duration) * 1000);
else setInterval(() => undefined, 60_000);
