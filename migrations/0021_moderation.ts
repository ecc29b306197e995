import { sql, type Kysely } from 'kysely';

// Migrations are frozen history: they import nothing from the app and use Kysely<any>.

const CONTENT_TABLES = ['problems', 'solutions', 'case_studies'] as const;

export async function up(db: Kysely<any>): Promise<void> {
  // Moderation (issue 13): a platform admin may hide a published item. Hidden is a visibility
  // of its own, so every reader that shows published rows only (listings, search documents,
  // open data, insights, webhooks) leaves it out without knowing about moderation, while the
  // owning council keeps seeing it, marked, as it sees its drafts.
  for (const table of CONTENT_TABLES) {
    await sql`alter table ${sql.table(table)} drop constraint ${sql.id(`${table}_visibility_check`)}`.execute(db);
    await sql`alter table ${sql.table(table)} add constraint ${sql.id(`${table}_visibility_check`)} check (visibility in ('draft', 'published', 'hidden'))`.execute(db);
  }
  // Comments take their subject's visibility; a hidden comment is left out of every list.
  await db.schema.alterTable('comments').addColumn('hidden_at', 'timestamptz').execute();

  // A member's report of an item or comment. Reports are never events: only platform admins
  // and the reporter see them. One open report per member and subject.
  await db.schema
    .createTable('content_reports')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('subject_type', 'text', (c) => c.notNull().check(sql`subject_type in ('problem', 'solution', 'case_study', 'comment')`))
    .addColumn('subject_id', 'uuid', (c) => c.notNull())
    .addColumn('reporter_id', 'uuid', (c) => c.notNull().references('members.id').onDelete('cascade'))
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`date_trunc('milliseconds', hub_now())`))
    .addColumn('resolved_at', 'timestamptz')
    .addColumn('resolution', 'text', (c) => c.check(sql`resolution in ('hidden', 'dismissed')`))
    .execute();
  await sql`create unique index content_reports_open_idx on content_reports (subject_id, reporter_id) where resolved_at is null`.execute(db);
  await sql`create index content_reports_queue_idx on content_reports (created_at, subject_id) where resolved_at is null`.execute(db);

  // The audit trail: who hid, restored or dismissed the reports on what, when and why.
  await db.schema
    .createTable('moderation_actions')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('subject_type', 'text', (c) => c.notNull().check(sql`subject_type in ('problem', 'solution', 'case_study', 'comment')`))
    .addColumn('subject_id', 'uuid', (c) => c.notNull())
    .addColumn('action', 'text', (c) => c.notNull().check(sql`action in ('hidden', 'restored', 'dismissed')`))
    .addColumn('reason', 'text', (c) => c.notNull())
    // Null for the operator at the command line; kept when the member leaves.
    .addColumn('actor_id', 'uuid', (c) => c.references('members.id').onDelete('set null'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`date_trunc('milliseconds', hub_now())`))
    .execute();
  await db.schema.createIndex('moderation_actions_subject_idx').on('moderation_actions').columns(['subject_id', 'created_at']).execute();
  await db.schema.createIndex('moderation_actions_created_idx').on('moderation_actions').columns(['created_at', 'id']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('moderation_actions').execute();
  await db.schema.dropTable('content_reports').execute();
  await db.schema.alterTable('comments').dropColumn('hidden_at').execute();
  for (const table of CONTENT_TABLES) {
    await sql`update ${sql.table(table)} set visibility = 'published' where visibility = 'hidden'`.execute(db);
    await sql`alter table ${sql.table(table)} drop constraint ${sql.id(`${table}_visibility_check`)}`.execute(db);
    await sql`alter table ${sql.table(table)} add constraint ${sql.id(`${table}_visibility_check`)} check (visibility in ('draft', 'published'))`.execute(db);
  }
}
