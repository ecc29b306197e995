import type { Kysely } from 'kysely';

// Migrations are frozen history: they import nothing from the app and use Kysely<any>.

export async function up(db: Kysely<any>): Promise<void> {
  // "Same problem" (issue 14): a council marks its problem as the same as another one; its
  // problem is archived and points at the one the demand now adds up on.
  await db.schema.alterTable('problems')
    .addColumn('same_as_id', 'uuid', (col) => col.references('problems.id').onDelete('set null'))
    .execute();
  await db.schema.createIndex('problems_same_as_idx').on('problems').column('same_as_id')
    .where('same_as_id', 'is not', null).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('problems_same_as_idx').execute();
  await db.schema.alterTable('problems').dropColumn('same_as_id').execute();
}
