import type { Kysely } from 'kysely';
import { compileStatement } from '../db/compiled-statement.js';
import type { Database } from '../db/database.js';
import type { StoredEvent } from './catalogue.js';
import { toStoredEvent } from './outbox.js';

/**
 * Reads committed events after a position, in position order. Appends take turns under an
 * advisory lock until they commit (see outbox.ts), so a position is visible only once every
 * lower position is: reading "after P" can never skip a late commit (invariant 2).
 */
export async function readEventsAfter(db: Kysely<Database>, after: number, limit: number): Promise<StoredEvent[]> {
  const rows = await READ_AFTER.execute(db, [after, limit]);
  return rows.map(toStoredEvent);
}

// Each process's event tail and every consumer run it, so it is compiled once (see compiled-statement.ts).
const READ_AFTER = compileStatement((db, value) => db
  .selectFrom('outbox_events')
  .selectAll()
  .where('position', '>', value<number>(0))
  .orderBy('position')
  .limit(value<number>(1)));

/** The position of the newest committed event, 0 when the log is empty. */
export async function headPosition(db: Kysely<Database>): Promise<number> {
  const row = await db
    .selectFrom('outbox_events')
    .select((eb) => eb.fn.max('position').as('head'))
    .executeTakeFirst();
  return Number(row?.head ?? 0);
}
