/**
 * The modules that hold the invariants (ARCHITECTURE.md), each with the files Stryker
 * mutates and the unit and integration test files that cover them on PGlite. A run takes
 * only the tests of the modules it mutates, so one module can be run on its own.
 */
export interface MutationModule {
  readonly name: string;
  readonly files: readonly string[];
  readonly tests: readonly string[];
  /**
   * Also run the tests on PostgreSQL: for code that only runs there (the leader lock is
   * trivial on PGlite, whose one connection belongs to one process). @default false
   */
  readonly postgres?: boolean;
}

export const MUTATION_MODULES: readonly MutationModule[] = [
  {
    name: 'outbox and event feed',
    files: ['server/events/outbox.ts', 'server/events/event-feed.ts', 'server/events/reader.ts'],
    // Not event-order.test.ts: its 20 rounds of concurrent writers reach every line of appendEvent
    // and the reader, so each of their mutants would rerun it (1 h 26 min a run instead of 48),
    // and the order it proves lives in SQL (the lock and the CASE), which Stryker does not mutate.
    tests: ['test/integration/outbox-append.test.ts', 'test/integration/event-feed.test.ts',
      'test/integration/event-payloads.test.ts', 'test/unit/event-position.test.ts'],
  },
  {
    name: 'event filter',
    files: ['server/events/filter.ts'],
    tests: ['test/integration/event-filter.test.ts'],
  },
  {
    name: 'worker runtime',
    files: ['workers/runtime.ts', 'workers/worker-loop.ts', 'workers/leader-lock.ts'],
    tests: ['test/integration/worker-runtime.test.ts', 'test/integration/worker-loop.test.ts', 'test/integration/leader-lock.test.ts'],
    postgres: true,
  },
  {
    name: 'consumers',
    files: ['workers/search-indexer.ts', 'workers/webhook-fanout.ts', 'workers/notifications.ts'],
    // Each consumer's handle() on its own; the crash-point tests run whole workers (processes on PostgreSQL).
    tests: ['test/integration/consumers.test.ts'],
  },
  {
    name: 'webhook sender',
    files: ['server/webhooks/sender.ts'],
    // The sender on its own: the hub-level webhook tests reach it too, at minutes per mutant.
    tests: ['test/integration/webhook-sender.test.ts'],
  },
  {
    name: 'content guards',
    files: ['server/http/limits/use-request-guard.ts', 'server/http/limits/use-nul-guard.ts'],
    // The guards on a yoga of their own, no database; test/e2e/http-protection.test.ts starts hubs.
    tests: ['test/unit/content-guards.test.ts'],
  },
  {
    name: 'limits',
    files: ['server/domain/list-caps.ts', 'server/http/limits/operation-limits.ts', 'server/http/limits/token-bucket.ts', 'server/http/limits/rate-limiter.ts'],
    tests: ['test/unit/list-caps.test.ts', 'test/unit/operation-limits.test.ts', 'test/unit/rate-limiter.test.ts'],
  },
  {
    name: 'input checker',
    files: ['server/domain/input-checker.ts'],
    tests: ['test/unit/input-checker.property.test.ts', 'test/unit/input-checker.test.ts'],
  },
];
