/**
 * Figures each reliability scenario reports: written as one JSON file per scenario under
 * test-results/reliability/, printed as one table when the run ends (global-setup.ts).
 */
import fs from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from '~/server/build-web';

export const FIGURES_DIR = path.join(REPO_ROOT, 'test-results', 'reliability');

export interface ScenarioFigures {
  scenario: string;
  /** What load was held, in words with numbers, e.g. "1,200 spans/s for 600 s". */
  loadHeld: string;
  /** Faults injected and survived (kills, outages, pushed-back requests, bad inputs). */
  faultsSurvived: number;
  /** Fuzz inputs tried (0 for the other scenarios). */
  inputsTried: number;
  /** Items acknowledged to a sender that are not in the store: must be 0. */
  itemsLost: number;
  /** Anything else worth reading: RSS curve, counts per outcome. */
  details: Record<string, unknown>;
}

/** Records a scenario's figures (overwrites an earlier run of the same scenario). */
export function recordFigures(figures: ScenarioFigures): void {
  fs.mkdirSync(FIGURES_DIR, { recursive: true });
  fs.writeFileSync(
    path.join(FIGURES_DIR, `${figures.scenario}.json`),
    JSON.stringify(figures, null, 2) + '\n',
  );
  process.stdout.write(
    `[reliability] ${figures.scenario}: ${JSON.stringify(figures)}\n`,
  );
}

export function readAllFigures(): ScenarioFigures[] {
  if (!fs.existsSync(FIGURES_DIR)) return [];
  return fs
    .readdirSync(FIGURES_DIR)
    .filter((f) => f.endsWith('.json'))
    .map(
      (f) =>
        JSON.parse(
          fs.readFileSync(path.join(FIGURES_DIR, f), 'utf8'),
        ) as ScenarioFigures,
    );
}

/** The summary table printed at the end of `npm run test:reliability`. */
export function summaryTable(all: ScenarioFigures[]): string {
  const rows = all.map((f) => [
    f.scenario,
    f.loadHeld,
    String(f.faultsSurvived),
    String(f.inputsTried),
    String(f.itemsLost),
  ]);
  const head = [
    'scenario',
    'load held',
    'faults survived',
    'inputs tried',
    'items lost',
  ];
  const widths = head.map((h, i) =>
    Math.max(h.length, ...rows.map((r) => r[i]!.length)),
  );
  const line = (cells: string[]) =>
    cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ');
  const total = (k: 'faultsSurvived' | 'inputsTried' | 'itemsLost') =>
    String(all.reduce((n, f) => n + f[k], 0));
  return [
    line(head),
    widths.map((w) => '-'.repeat(w)).join('-|-'),
    ...rows.map(line),
    line([
      'total',
      '',
      total('faultsSurvived'),
      total('inputsTried'),
      total('itemsLost'),
    ]),
  ].join('\n');
}
