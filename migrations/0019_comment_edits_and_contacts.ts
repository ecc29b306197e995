import { sql, type Kysely } from 'kysely';

// Migrations are frozen history: they import nothing from the app and use Kysely<any>.

export async function up(db: Kysely<any>): Promise<void> {
  // Comments can be edited by their author (issue 13); null until the first edit.
  await db.schema.alterTable('comments').addColumn('edited_at', 'timestamptz').execute();

  // "Show me as a contact" (issue 13): a member's own opt-in, with the service areas they
  // can talk about. A row is consent; deleting it withdraws it everywhere at once.
  await db.schema
    .createTable('member_contact_settings')
    .addColumn('member_id', 'uuid', (c) => c.primaryKey().references('members.id').onDelete('cascade'))
    .addColumn('service_areas', sql`text[]`, (c) => c.notNull().defaultTo(sql`'{}'::text[]`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`hub_now()`))
    .execute();

  // Who to call about an item. A table of its own rather than a column on the content
  // tables, so no reader of those rows (open data, search documents, event payloads) can
  // pick a contact up by selecting a whole row.
  await db.schema
    .createTable('item_contacts')
    .addColumn('item_id', 'uuid', (c) => c.primaryKey())
    .addColumn('item_type', 'text', (c) => c.notNull().check(sql`item_type in ('problem', 'solution', 'case_study')`))
    .addColumn('council_id', 'uuid', (c) => c.notNull().references('councils.id').onDelete('cascade'))
    .addColumn('member_id', 'uuid', (c) => c.notNull().references('members.id').onDelete('cascade'))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`hub_now()`))
    .execute();
  await db.schema.createIndex('item_contacts_member_idx').on('item_contacts').column('member_id').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('item_contacts').execute();
  await db.schema.dropTable('member_contact_settings').execute();
  await db.schema.alterTable('comments').dropColumn('edited_at').execute();
}
