import { sql, type Kysely } from 'kysely';
import type { Database } from '../db/database.js';

const DAY_MS = 86_400_000;

/**
 * Deletes delivered and failed deliveries created more than `retentionDays` ago, with their
 * attempts (the foreign key cascades), in batches so that no statement holds many row
 * locks for long. Pending deliveries are never pruned, however old: they are the queue.
 * Returns how many were deleted.
 */
export async function pruneDeliveries(db: Kysely<Database>, retentionDays: number, now = new Date(), batch = 500): Promise<number> {
  const before = new Date(now.getTime() - retentionDays * DAY_MS);
  let deleted = 0;
  for (;;) {
    // Oldest first, through webhook_deliveries_finished_idx.
    const result = await sql`delete from webhook_deliveries where id in (
      select id from webhook_deliveries where status <> 'pending' and created_at < ${before}
      order by created_at limit ${batch})`.execute(db);
    const count = Number(result.numAffectedRows ?? 0);
    deleted += count;
    if (count < batch) return deleted;
  }
}
