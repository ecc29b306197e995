import { sql, type Kysely } from 'kysely';

// Migrations are frozen history: they import nothing from the app and use Kysely<any>.

export async function up(db: Kysely<any>): Promise<void> {
  // Which transaction last wrote each search document, so a server process's vector index can
  // read exactly the rows committed since its last look (rows whose writer was not yet
  // visible in that look's snapshot), rather than every row stamped in a time window.
  await db.schema.alterTable('search_documents')
    .addColumn('indexed_xid', sql`xid8`, (col) => col.notNull().defaultTo(sql`pg_current_xact_id()`))
    .execute();
  await db.schema.createIndex('search_documents_indexed_xid_idx').on('search_documents').column('indexed_xid').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('search_documents_indexed_xid_idx').execute();
  await db.schema.alterTable('search_documents').dropColumn('indexed_xid').execute();
}
