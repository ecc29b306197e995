import type { Kysely } from 'kysely';

// Migrations are frozen history: they import nothing from the app and use Kysely<any>.

export async function up(db: Kysely<any>): Promise<void> {
  // Each document's sentence vector (float32, little-endian, length 1), written by the
  // search indexer. Null until the next index write or `npm run reindex`.
  await db.schema.alterTable('search_documents').addColumn('embedding', 'bytea').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('search_documents').dropColumn('embedding').execute();
}
