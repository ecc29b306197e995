import { sql, type Kysely } from 'kysely';

// Migrations are frozen history: they import nothing from the app and use Kysely<any>.

export async function up(db: Kysely<any>): Promise<void> {
  // Each document's vector (400 bytes, read only by a server process's vector index) moves
  // to a table of its own, with the transaction stamp that index catches up by. Every
  // full-text search reads search_documents' rows, and the vector was a third of each: at
  // 100,000 documents the table outgrew PostgreSQL's default buffer cache.
  // A deleted document's row stays a while without its vector (deleted_at set), so that every
  // process's vector index, which reads only what changed, learns of the deletion too.
  await db.schema.createTable('search_vectors')
    .addColumn('id', 'uuid', (col) => col.primaryKey())
    .addColumn('kind', 'text', (col) => col.notNull())
    .addColumn('embedding', 'bytea')
    .addColumn('indexed_xid', sql`xid8`, (col) => col.notNull().defaultTo(sql`pg_current_xact_id()`))
    .addColumn('deleted_at', 'timestamptz')
    .addCheckConstraint('search_vectors_deleted_check', sql`(embedding is null) = (deleted_at is not null)`)
    .execute();
  await db.schema.createIndex('search_vectors_indexed_xid_idx').on('search_vectors').column('indexed_xid').execute();
  await db.schema.createIndex('search_vectors_deleted_idx').on('search_vectors').column('deleted_at').where(sql.ref('deleted_at'), 'is not', null).execute();
  await sql`insert into search_vectors (id, kind, embedding, indexed_xid)
    select id, kind, embedding, indexed_xid from search_documents where embedding is not null`.execute(db);
  await db.schema.alterTable('search_documents').dropColumn('embedding').dropColumn('indexed_xid').execute();
  // The filters staff use most, so that a narrow filter beside common words reads the rows in
  // the filter rather than every row with the words (PostgreSQL ANDs the two bitmaps).
  await db.schema.createIndex('search_documents_service_area_idx').on('search_documents').column('service_area').execute();
  await db.schema.createIndex('search_documents_council_idx').on('search_documents').column('council_id').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('search_documents_council_idx').execute();
  await db.schema.dropIndex('search_documents_service_area_idx').execute();
  await db.schema.alterTable('search_documents')
    .addColumn('embedding', 'bytea')
    .addColumn('indexed_xid', sql`xid8`, (col) => col.notNull().defaultTo(sql`pg_current_xact_id()`))
    .execute();
  await sql`update search_documents d set embedding = v.embedding, indexed_xid = v.indexed_xid from search_vectors v where v.id = d.id`.execute(db);
  await db.schema.createIndex('search_documents_indexed_xid_idx').on('search_documents').column('indexed_xid').execute();
  await db.schema.dropTable('search_vectors').execute();
}
