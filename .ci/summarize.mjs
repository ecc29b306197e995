// Reads vitest's JSON reports (one per Node version) and prints the one summary line CI reads.
import { existsSync, readFileSync } from 'node:fs';

const files = process.argv.length > 2 ? process.argv.slice(2) : ['test-results.json'];
let passed = 0, failed = 0, skipped = 0;
for (const file of files) {
  if (!existsSync(file)) {
    // The type check or the runner failed before any test ran.
    failed += 1;
    continue;
  }
  const report = JSON.parse(readFileSync(file, 'utf8'));
  skipped += (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0);
  // Files that failed to load count as failures even though no test inside them ran.
  const brokenFiles = (report.testResults ?? []).filter((r) => r.status === 'failed' && (r.assertionResults ?? []).length === 0).length;
  failed += (report.numFailedTests ?? 0) + brokenFiles;
  passed += report.numPassedTests ?? 0;
  // Name what failed, so a CI log cut short still says which tests to look at.
  for (const result of report.testResults ?? []) {
    for (const test of result.assertionResults ?? []) {
      if (test.status !== 'failed') continue;
      console.log(`failed (${file}): ${result.name.replace(process.cwd() + '/', '')} > ${test.fullName}`);
      // The first line of the failure says why (an assertion, a timeout), without the stack.
      const why = String(test.failureMessages?.[0] ?? '').split('\n')[0].slice(0, 300);
      if (why) console.log(`  ${why}`);
    }
  }
}
console.log(`tests: ${passed} passed, ${failed} failed${skipped > 0 ? `, ${skipped} skipped` : ''}`);
