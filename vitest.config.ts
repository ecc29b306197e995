import { createRequire } from 'node:module';
import { defineConfig } from 'vitest/config';

const require = createRequire(import.meta.url);

export default defineConfig({
  resolve: {
    // graphql 16 ships CJS and ESM copies. Node (and so the running hub) loads the CJS one
    // for every package; Vite would pick the ESM one for our files, and two copies break
    // graphql's instanceof checks. Point our imports at the copy Node uses.
    alias: [{ find: /^graphql$/, replacement: require.resolve('graphql') }],
  },
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/support/global-setup.ts'],
    // The word-vector model, converted once (by the global set-up) for every test and child process.
    env: { MODEL_DIR: 'node_modules/.cache/council-commons/models' },
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Two cores: more workers than that only adds contention for PGlite's CPU-bound startup.
    pool: 'forks',
    maxWorkers: 2,
    // Each test file used to load the server's modules afresh (about 2 s a file, a third of
    // the unit, contract and integration suites' time). The files share no module state they
    // change: every one opens its own database and hub, and fake timers are undone per test.
    isolate: false,
    reporters: ['default', 'json'],
    outputFile: { json: 'test-results.json' },
  },
});
