import type { Kysely, Transaction } from 'kysely';
import type { Database } from './database.js';

export type Transact = <T>(work: (trx: Transaction<Database>) => Promise<T>) => Promise<T>;

/**
 * Runs work in one transaction, then calls `afterCommit` (the outbox doorbell). The wake-up
 * happens outside the transaction: a NOTIFY inside it would take a database-wide lock at
 * commit and serialize every writer.
 */
export function createTransact(db: Kysely<Database>, afterCommit: () => void = () => {}): Transact {
  return async (work) => {
    const result = await db.transaction().execute(work);
    afterCommit();
    return result;
  };
}
