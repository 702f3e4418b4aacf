// `npm run test:reliability`: soak, overload, crash, store outage and fuzz (test/reliability/).
// Not part of `npm test`: the soak alone runs 10 minutes. Files run one at a time so each
// scenario has the machine to itself; figures are printed at the end (helpers/global-setup.ts).
// RELIABILITY_SOAK_S shortens the soak (default 600 s) and RELIABILITY_FUZZ_S the fuzz budget.
import path from 'node:path';
import { defineConfig } from 'vitest/config';

const alias = { '~': path.resolve(import.meta.dirname) };

export default defineConfig({
  resolve: { alias },
  test: {
    name: 'reliability',
    include: ['test/reliability/**/*.rel.ts'],
    pool: 'forks',
    isolate: true,
    fileParallelism: false,
    globalSetup: ['test/reliability/helpers/global-setup.ts'],
    testTimeout: 20 * 60_000,
    hookTimeout: 180_000,
  },
});
