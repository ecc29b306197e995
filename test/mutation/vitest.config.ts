import { defineConfig } from 'vitest/config';
import base from '../../vitest.config.js';

// The suite's own configuration, narrowed to the test files of the modules under mutation
// (MUTATION_TESTS, set by test/mutation/run.ts) and without the JSON report file. (Not
// mergeConfig: it would append to the suite's `include` rather than replace it.)
export default defineConfig({
  ...base,
  test: {
    ...base.test,
    include: (process.env.MUTATION_TESTS ?? '').split(',').filter(Boolean),
    reporters: ['default'],
  },
});
