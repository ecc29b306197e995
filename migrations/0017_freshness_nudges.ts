import { sql, type Kysely } from 'kysely';

// Migrations are frozen history: they import nothing from the app and use Kysely<any>.

export async function up(db: Kysely<any>): Promise<void> {
  // Freshness nudges (issue 15): a problem or solution may say when its current phase is
  // expected to end; when that date passes, or it has not changed for months, its council's
  // admins are nudged, and an unanswered nudge marks it "may be out of date".
  for (const table of ['problems', 'solutions']) {
    await db.schema.alterTable(table)
      // An ISO calendar date as text, as council_systems.contract_ends_on (migration 0015).
      .addColumn('phase_ends_on', 'text', (c) => c.check(sql`phase_ends_on ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$'`))
      // When the nudge now waiting for an answer was sent; null when none is waiting.
      .addColumn('nudged_at', 'timestamptz')
      .addColumn('out_of_date', 'boolean', (c) => c.notNull().defaultTo(false))
      .execute();
    await sql`create index ${sql.raw(`${table}_nudged_idx`)} on ${sql.table(table)} (nudged_at) where nudged_at is not null and not out_of_date`.execute(db);
  }
  // One row per nudge sent: its key names the item and what it is about (the phase end date,
  // or the version left unchanged), so an item is nudged once for each, however often the
  // worker runs or dies.
  await db.schema
    .createTable('nudges')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('subject_type', 'text', (c) => c.notNull().check(sql`subject_type in ('problem', 'solution')`))
    .addColumn('subject_id', 'uuid', (c) => c.notNull())
    .addColumn('council_id', 'uuid', (c) => c.notNull().references('councils.id').onDelete('cascade'))
    .addColumn('reason', 'text', (c) => c.notNull().check(sql`reason in ('phase_ended', 'unchanged')`))
    .addColumn('event_position', 'bigint', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`hub_now()`))
    .execute();
  await db.schema.createIndex('nudges_subject_idx').on('nudges').columns(['subject_id', 'created_at']).execute();
  await sql`alter table email_sends drop constraint email_sends_kind_check`.execute(db);
  await sql`alter table email_sends add constraint email_sends_kind_check check (kind in ('immediate', 'daily', 'weekly', 'nudge'))`.execute(db);
  await db.schema.alterTable('search_documents').addColumn('out_of_date', 'boolean', (c) => c.notNull().defaultTo(false)).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('search_documents').dropColumn('out_of_date').execute();
  await sql`delete from email_sends where kind = 'nudge'`.execute(db);
  await sql`alter table email_sends drop constraint email_sends_kind_check`.execute(db);
  await sql`alter table email_sends add constraint email_sends_kind_check check (kind in ('immediate', 'daily', 'weekly'))`.execute(db);
  await db.schema.dropTable('nudges').execute();
  for (const table of ['problems', 'solutions']) {
    await db.schema.alterTable(table).dropColumn('phase_ends_on').dropColumn('nudged_at').dropColumn('out_of_date').execute();
  }
}
