import { sql, type Kysely } from 'kysely';

// Migrations are frozen history: they import nothing from the app and use Kysely<any>.

// Every column that records when a domain change happened, with the default it had.
const STAMPED: readonly (readonly [table: string, column: string, before: string])[] = [
  ['councils', 'created_at', 'now()'], ['councils', 'updated_at', 'now()'],
  ['members', 'created_at', 'now()'], ['api_tokens', 'created_at', 'now()'],
  ['problem_supporters', 'created_at', 'now()'], ['solution_problems', 'created_at', 'now()'],
  ['adoptions', 'created_at', 'now()'], ['adoptions', 'updated_at', 'now()'],
  ['comments', 'created_at', 'now()'], ['outbox_events', 'created_at', 'now()'],
  ...['problems', 'solutions', 'case_studies'].flatMap((t) => [
    [t, 'created_at', `date_trunc('milliseconds', now())`], [t, 'updated_at', 'now()'],
  ] as const),
];

export async function up(db: Kysely<any>): Promise<void> {
  // The time a domain change is recorded at: the transaction's start, as now() is, unless
  // the transaction has set `council_commons.now` (set_config(..., true), so it ends with
  // the transaction). The seed data uses it to load a history that happened over years,
  // through the same services and with the same events as live changes.
  await sql`create function hub_now() returns timestamptz language sql stable as $$
    select coalesce(nullif(current_setting('council_commons.now', true), '')::timestamptz, now())
  $$`.execute(db);
  for (const [table, column, before] of STAMPED) {
    const hubNow = before.replace('now()', 'hub_now()');
    await sql`alter table ${sql.table(table)} alter column ${sql.ref(column)} set default ${sql.raw(hubNow)}`.execute(db);
  }

  // Sample data (the seeded demo) is marked, so the API and pages can say so.
  for (const table of ['councils', 'problems', 'solutions', 'case_studies']) {
    await db.schema.alterTable(table).addColumn('sample', 'boolean', (c) => c.notNull().defaultTo(false)).execute();
  }
  // Where a problem or solution was published before (a council page, a report, the press).
  for (const table of ['problems', 'solutions']) {
    await db.schema.alterTable(table).addColumn('source_url', 'text').execute();
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ['problems', 'solutions']) await db.schema.alterTable(table).dropColumn('source_url').execute();
  for (const table of ['councils', 'problems', 'solutions', 'case_studies']) {
    await db.schema.alterTable(table).dropColumn('sample').execute();
  }
  for (const [table, column, before] of STAMPED) {
    await sql`alter table ${sql.table(table)} alter column ${sql.ref(column)} set default ${sql.raw(before)}`.execute(db);
  }
  await sql`drop function hub_now()`.execute(db);
}
