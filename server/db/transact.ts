import type { Kysely, Transaction } from 'kysely';
import type { Database } from './database.js';
import type { WritesInFlight } from './writes-in-flight.js';

export type Transact = <T>(work: (trx: Transaction<Database>) => Promise<T>) => Promise<T>;

/**
 * Runs work in one transaction, then calls `afterCommit` (the outbox doorbell). The wake-up
 * happens outside the transaction: a NOTIFY inside it would take a database-wide lock at
 * commit and serialize every writer. `writes` counts the transaction until just after the
 * doorbell rang, so when the last transaction of a burst ends the doorbell already knows of
 * its commit and can say "done, read now" in one message (postgres-signal.ts).
 */
export function createTransact(db: Kysely<Database>, afterCommit: () => void = () => {}, writes?: WritesInFlight): Transact {
  return async (work) => {
    writes?.begin();
    try {
      const result = await db.transaction().execute(work);
      afterCommit();
      return result;
    } finally {
      writes?.end();
    }
  };
}
