/**
 * Every PostgreSQL advisory lock key the hub takes, in one place, so no two uses can share
 * a key by accident. PostgreSQL keeps one-key (bigint) and two-key (int4, int4) locks in
 * separate spaces, but we do not rely on that: each number below is used once, in one form.
 *
 * Kysely's migrator takes its own transaction-scoped lock (a fixed bigint of its choosing,
 * far from these) while it runs migrations at start-up.
 */
export const ADVISORY_LOCKS = {
  /**
   * One-key, transaction-scoped, exclusive: outbox appends take turns until commit, so
   * positions become visible in order and a reader after P never misses a later commit
   * below P (invariant 2). Taken in server/events/outbox.ts.
   */
  outboxAppend: 7_406_113,
  /**
   * One-key, transaction-scoped: changes to solution links, adoptions and the counts derived
   * from them take turns (exclusive), while publishing an item with no links shares it, so
   * recounts never miss a concurrent commit and row locks never deadlock.
   * Taken in server/domain/solution-graph.ts.
   */
  solutionGraph: 7_406_114,
  /**
   * Two-key, session-scoped: (this, hashtext(consumer name)) makes one worker instance the
   * leader of each durable consumer across processes; the lock dies with its connection.
   * Taken in workers/leader-lock.ts.
   */
  consumerLeaderSpace: 7_406_115,
} as const;
