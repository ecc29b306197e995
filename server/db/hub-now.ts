import { sql } from 'kysely';

/**
 * When a domain change is recorded: the database's `hub_now()` (migration 0010), which is
 * the transaction's start unless the transaction has set its own time, as the seed data
 * does to load a history. Column defaults use it too, so a row, its later changes and its
 * outbox event agree on the time.
 */
export const hubNow = () => sql<Date>`hub_now()`;
