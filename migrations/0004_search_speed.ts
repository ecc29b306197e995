import { sql, type Kysely } from 'kysely';

// Migrations are frozen history: they import nothing from the app and use Kysely<any>.

export async function up(db: Kysely<any>): Promise<void> {
  // Search orders by `published_at desc nulls last, id`; an index in that exact order lets
  // a broad search walk the newest matches (and a listing page) without sorting the table.
  // The one it replaces had nulls first, so the planner could never use it for that order.
  await db.schema.dropIndex('search_documents_published_idx').execute();
  await sql`create index search_documents_newest_idx on search_documents (published_at desc nulls last, id)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('search_documents_newest_idx').execute();
  await db.schema.createIndex('search_documents_published_idx').on('search_documents').columns(['published_at desc', 'id']).execute();
}
