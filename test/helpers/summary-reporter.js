// Records the run's outcome as one plain line, `N passed, M failed`, which scripts/test.sh prints
// last (CI reads that line; jest's own summary is not read). Suites that fail to run count as failures.
const fs = require('fs');

class SummaryReporter {
  onRunComplete(_contexts, results) {
    const failed = results.numFailedTests + results.numRuntimeErrorTestSuites;
    const line = `${results.numPassedTests} passed, ${failed} failed`;
    if (process.env.ARCHETYPE_TEST_SUMMARY) fs.writeFileSync(process.env.ARCHETYPE_TEST_SUMMARY, `${line}\n`);
    else process.stdout.write(`\n${line}\n`);
  }
}
module.exports = SummaryReporter;
