/**
 * vitest globalSetup of the reliability run: clears earlier figures, and when every scenario
 * has finished prints their figures as one table (and each scenario's details below it).
 */
import fs from 'node:fs';
import { FIGURES_DIR, readAllFigures, summaryTable } from './figures';

export default function setup(): () => void {
  fs.rmSync(FIGURES_DIR, { recursive: true, force: true });
  return () => {
    const all = readAllFigures();
    if (all.length === 0) return;
    const out = [
      '',
      '=== Meshlens reliability figures ===',
      summaryTable(all),
      '',
      ...all.map((f) => `${f.scenario}: ${JSON.stringify(f.details)}`),
      `(JSON per scenario in ${FIGURES_DIR})`,
      '',
    ];
    process.stdout.write(out.join('\n') + '\n');
  };
}
