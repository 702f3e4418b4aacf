/**
 * The demo's rate multiplier. The demo takes its rates from the scenario file (MESHLENS_DEMO_SCENARIO
 * or startDemo's scenarioPath), so no demo code changes: this writes a copy of a scenario with every
 * root rate (requestsPerSec, connectionsPerSec) multiplied. callsPerRequest is per request, so the
 * whole call tree scales with the roots.
 */
import fs from 'node:fs';
import path from 'node:path';
import { DEFAULT_SCENARIO_PATH } from '~/collectors/demo';

export function writeScaledScenario(
  dir: string,
  factor: number,
  source = DEFAULT_SCENARIO_PATH,
): string {
  const scenario = JSON.parse(fs.readFileSync(source, 'utf8')) as {
    name: string;
    edges: { requestsPerSec?: number; connectionsPerSec?: number }[];
  };
  for (const e of scenario.edges) {
    if (e.requestsPerSec !== undefined) e.requestsPerSec *= factor;
    if (e.connectionsPerSec !== undefined) e.connectionsPerSec *= factor;
  }
  scenario.name = `${scenario.name}-x${factor}`;
  const file = path.join(dir, `${scenario.name}.json`);
  fs.writeFileSync(file, JSON.stringify(scenario, null, 2));
  return file;
}
