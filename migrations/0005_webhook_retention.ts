import { sql, type Kysely } from 'kysely';

// Migrations are frozen history: they import nothing from the app and use Kysely<any>.

export async function up(db: Kysely<any>): Promise<void> {
  // The dispatcher prunes finished deliveries past their retention, oldest first; pending
  // ones are never pruned, so they stay out of the index.
  await sql`create index webhook_deliveries_finished_idx on webhook_deliveries (created_at) where status <> 'pending'`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('webhook_deliveries_finished_idx').execute();
}
