// Prints the closing line CI reads ("N passed, N failed") from vitest's JSON report plus the
// static checks (typecheck, lint, format) counted as one test each. Exits 1 when anything failed
// or when the report is missing or empty.
import fs from 'node:fs';

const [reportPath, checksPassed = '0', checksFailed = '0'] =
  process.argv.slice(2);
let passed = Number(checksPassed);
let failed = Number(checksFailed);
let ok = true;
try {
  const report = JSON.parse(fs.readFileSync(reportPath, 'utf8'));
  passed += report.numPassedTests ?? 0;
  failed += report.numFailedTests ?? 0;
  // Test files that failed to load have no failed tests but do fail the run.
  const brokenSuites = (report.testResults ?? []).filter(
    (r) =>
      r.status === 'failed' &&
      (r.assertionResults ?? []).every((a) => a.status !== 'failed'),
  ).length;
  failed += brokenSuites;
  if ((report.numTotalTests ?? 0) === 0) ok = false;
} catch (err) {
  console.error(`could not read the test report ${reportPath}: ${err.message}`);
  failed += 1;
  ok = false;
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(ok && failed === 0 ? 0 : 1);
