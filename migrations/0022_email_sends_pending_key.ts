import { sql, type Kysely } from 'kysely';

// Migrations are frozen history: they import nothing from the app and use Kysely<any>.

export async function up(db: Kysely<any>): Promise<void> {
  // The email sender pages through the emails due with a keyset cursor on the sent-log key
  // (a digest run is thousands of rows due at one instant): each page is then a short range
  // scan of what is still pending, not a sort of every pending row, and the sent rows that
  // pile up over the months are never read.
  await sql`create index email_sends_pending_key_idx on email_sends (key) where status = 'pending'`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('email_sends_pending_key_idx').execute();
}
