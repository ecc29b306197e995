import type { Kysely, Transaction } from 'kysely';
import type { Database } from './database.js';
import type { WritesInFlight } from './writes-in-flight.js';

export type Transact = <T>(work: (trx: Transaction<Database>) => Promise<T>) => Promise<T>;

/**
 * Runs work in one transaction, then calls `afterCommit` (the outbox doorbell). The wake-up
 * happens outside the transaction: a NOTIFY inside it would take a database-wide lock at
 * commit and serialize every writer. `writes` counts the transaction while it runs; it has
 * ended by the time the doorbell rings.
 */
export function createTransact(db: Kysely<Database>, afterCommit: () => void = () => {}, writes?: WritesInFlight): Transact {
  return async (work) => {
    writes?.begin();
    let result;
    try {
      result = await db.transaction().execute(work);
    } finally {
      writes?.end();
    }
    afterCommit();
    return result;
  };
}
