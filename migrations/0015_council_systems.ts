import { sql, type Kysely } from 'kysely';

// Migrations are frozen history: they import nothing from the app and use Kysely<any>.

export async function up(db: Kysely<any>): Promise<void> {
  // A council's major systems (issue 16): what it runs and when the contract ends, so
  // councils on the same system can find each other for joint procurement.
  await db.schema
    .createTable('council_systems')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('council_id', 'uuid', (c) => c.notNull().references('councils.id').onDelete('cascade'))
    .addColumn('category', 'text', (c) => c.notNull())
    .addColumn('supplier', 'text', (c) => c.notNull())
    .addColumn('product', 'text', (c) => c.notNull())
    // "Same system" compares this: supplier and product, case and spacing folded.
    .addColumn('system_key', 'text', (c) => c.notNull())
    // An ISO calendar date as text: it compares as a date, and neither driver turns it into
    // a JavaScript Date at some time zone's midnight.
    .addColumn('contract_ends_on', 'text', (c) => c.check(sql`contract_ends_on ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$'`))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`hub_now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`hub_now()`))
    .execute();
  await db.schema.createIndex('council_systems_council_idx').on('council_systems').column('council_id').execute();
  await db.schema.createIndex('council_systems_key_idx').on('council_systems').columns(['system_key', 'council_id']).execute();
  await db.schema.createIndex('council_systems_ends_idx').on('council_systems').column('contract_ends_on').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('council_systems').execute();
}
