import { Stryker } from '@stryker-mutator/core';
import type { PartialStrykerOptions } from '@stryker-mutator/api/core';
import { matchesGlob, relative, resolve } from 'node:path';
import { MUTATION_MODULES, type MutationModule } from './modules.js';

// npm run test:mutation: Stryker over the modules that hold the invariants, one score per
// module. MUTATE=<glob> narrows the run to the files it matches (e.g. MUTATE='server/events/filter.ts').
// Not part of CI: it reruns the covering tests once per mutant (see docs/mutation-testing.md).

const glob = process.env.MUTATE;
const chosen = MUTATION_MODULES
  .map((module) => ({ ...module, files: module.files.filter((file) => !glob || matchesGlob(file, glob)) }))
  .filter((module) => module.files.length > 0);
if (chosen.length === 0) {
  console.error(`MUTATE=${glob} matches no file of the mutated modules`);
  process.exit(2);
}

// Read by test/mutation/vitest.config.ts in Stryker's test runner, which inherits the environment.
process.env.MUTATION_TESTS = [...new Set(chosen.flatMap((module) => module.tests))].join(',');
// PGlite alone unless a chosen module has code that runs only on PostgreSQL.
process.env.TEST_DATABASES = chosen.some((module) => module.postgres) ? 'pglite,postgres' : 'pglite';

const options: PartialStrykerOptions = {
  testRunner: 'vitest',
  plugins: ['@stryker-mutator/vitest-runner'],
  vitest: { configFile: 'test/mutation/vitest.config.ts', related: false },
  coverageAnalysis: 'perTest',
  mutate: chosen.flatMap((module) => module.files),
  // One test runner: the machine is shared, and each runner holds its own PGlite databases.
  concurrency: 1,
  timeoutMS: 10_000,
  reporters: ['clear-text', 'progress-append-only', 'json'],
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  tempDirName: '.stryker-tmp',
  cleanTempDir: 'always',
  ignorePatterns: ['reports', 'test-results*.json', '.ci/node24', 'examples', 'web/public'],
  checkers: [],
};

const started = performance.now();
const results = await new Stryker(options).runMutationTest();
const minutes = (performance.now() - started) / 60_000;

function score(module: MutationModule) {
  const mine = results.filter((result) => module.files.includes(relative(process.cwd(), resolve(result.fileName))));
  const count = (...statuses: string[]) => mine.filter((result) => statuses.includes(result.status)).length;
  const killed = count('Killed', 'Timeout');
  const valid = killed + count('Survived', 'NoCoverage');
  return { module: module.name, mutants: valid, killed, survived: count('Survived'), noCoverage: count('NoCoverage'), score: valid ? Math.round((killed / valid) * 1000) / 10 : 100 };
}

const rows = chosen.map(score);
console.log(`\nMutation score per module (killed or timed out / mutants with a result), ${minutes.toFixed(1)} min:`);
console.table(rows);
const below = rows.filter((row) => row.score < 80);
if (below.length > 0) console.log(`Below 80%: ${below.map((row) => row.module).join(', ')}`);
