import { sql, type Kysely } from 'kysely';

// Migrations are frozen history: they import nothing from the app and use Kysely<any>.

export async function up(db: Kysely<any>): Promise<void> {
  // Facets of issue 16: the owning council's region and kind, a solution's phase and a case
  // study's outcome. Nullable so the columns can be added to a live index; rows already
  // indexed are filled from the tables they came from, so the Postgres engine needs no
  // reindex after the upgrade (Meilisearch's documents do: `npm run reindex`).
  await db.schema.alterTable('search_documents')
    .addColumn('region', 'text')
    .addColumn('council_kind', 'text')
    .addColumn('phase', 'text')
    .addColumn('outcome', 'text')
    .execute();
  await sql`update search_documents d set region = c.region, council_kind = c.kind from councils c where c.id = d.council_id`.execute(db);
  await sql`update search_documents d set phase = s.phase from solutions s where s.id = d.id and d.kind = 'solution'`.execute(db);
  await sql`update search_documents d set outcome = cs.outcome from case_studies cs where cs.id = d.id and d.kind = 'case_study'`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('search_documents')
    .dropColumn('region').dropColumn('council_kind').dropColumn('phase').dropColumn('outcome')
    .execute();
}
