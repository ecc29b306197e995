import { sql, type Kysely } from 'kysely';

// Migrations are frozen history: they import nothing from the app and use Kysely<any>.

export async function up(db: Kysely<any>): Promise<void> {
  // One row per durable outbox consumer. `epoch` changes when someone rewinds the consumer
  // (a reindex does): a worker advances its cursor only if the epoch is the one it read, so
  // a rewind is never overwritten by a batch that was already in flight.
  await db.schema
    .createTable('consumer_cursors')
    .addColumn('consumer', 'text', (c) => c.primaryKey())
    .addColumn('position', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('epoch', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('last_error', 'text')
    .addColumn('last_error_at', 'timestamptz')
    .execute();

  // pg_trgm is a trusted extension (PostgreSQL 13+), so the database owner may create it;
  // PGlite ships it as a contrib module loaded in server/db/connect.ts.
  await sql`create extension if not exists pg_trgm`.execute(db);

  // The Postgres search engine's index: one row per searchable item (published, not
  // archived). It is derived data, rebuilt from the content tables by `npm run reindex`.
  // The body is searched through `search` but not stored: narrow rows keep the per-match
  // cost of broad queries down.
  await db.schema
    .createTable('search_documents')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('problem', 'solution', 'case_study')`))
    .addColumn('council_id', 'uuid', (c) => c.notNull())
    .addColumn('council_name', 'text', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('summary', 'text', (c) => c.notNull())
    .addColumn('service_area', 'text', (c) => c.notNull())
    .addColumn('tags', sql`text[]`, (c) => c.notNull().defaultTo(sql`'{}'`))
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('published_at', 'timestamptz')
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull())
    // Set on every write; a rebuild removes rows it did not touch since it started.
    .addColumn('indexed_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('search', sql`tsvector`, (c) => c.notNull())
    .execute();
  // fastupdate off: writes go straight into the index instead of a pending list that every
  // search must scan (and that makes the planner avoid the index) until it is flushed.
  await sql`create index search_documents_search_idx on search_documents using gin (search) with (fastupdate = off)`.execute(db);
  await db.schema.createIndex('search_documents_published_idx').on('search_documents').columns(['published_at desc', 'id']).execute();
  await db.schema.createIndex('search_documents_indexed_idx').on('search_documents').column('indexed_at').execute();

  // The words of indexed titles, summaries and tags: the dictionary that misspelt query
  // words are matched against by trigram similarity.
  await db.schema
    .createTable('search_words')
    .addColumn('word', 'text', (c) => c.primaryKey())
    .execute();
  await sql`create index search_words_trgm_idx on search_words using gin (word gin_trgm_ops) with (fastupdate = off)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('search_words').execute();
  await db.schema.dropTable('search_documents').execute();
  await db.schema.dropTable('consumer_cursors').execute();
}
