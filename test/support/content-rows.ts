import { sql, type Kysely } from 'kysely';
import type { Database } from '../../server/db/database.js';

/** Relay global ID of a row, as the API encodes it. */
export const globalId = (typename: string, id: string) => Buffer.from(`${typename}:${id}`).toString('base64url');
export const rawId = (globalId: string) => Buffer.from(globalId, 'base64url').toString().split(':')[1]!;

export const ERROR_FIELDS = `__typename ... on Error { code message } ... on ValidationError { fields { field message } } ... on ConflictError { currentVersion }`;

/** Rows in a table, for "changed nothing" checks. */
export async function countRows(db: Kysely<Database>, table: keyof Database): Promise<number> {
  const row = await db.selectFrom(table).select((e) => e.fn.countAll().as('n')).executeTakeFirstOrThrow();
  return Number(row.n);
}

/**
 * A problem or solution written straight to its table, so these tests depend on no other
 * aggregate's service.
 */
export async function insertContent(
  db: Kysely<Database>,
  table: 'problems' | 'solutions',
  owner: { councilId: string; id: string },
  visibility: 'draft' | 'published',
  title = `A ${visibility} ${table.slice(0, -1)}`,
): Promise<string> {
  const common = {
    council_id: owner.councilId, author_id: owner.id, title, summary: 'Written by the test',
    body: '', service_area: 'housing', tags: [], visibility,
  };
  const row = table === 'problems'
    ? await db.insertInto('problems').values(common).returning('id').executeTakeFirstOrThrow()
    : await db.insertInto('solutions').values({ ...common, kind: 'software', phase: 'live' }).returning('id').executeTakeFirstOrThrow();
  return row.id;
}

/**
 * Makes every outbox append of the given event type fail, as a full disk or a bug would, and
 * returns the undo. Proves a change and its event commit together or not at all.
 */
export async function failEventAppends(db: Kysely<Database>, eventType: string): Promise<() => Promise<void>> {
  await sql`create or replace function test_fail_append() returns trigger language plpgsql as $$
    begin raise exception 'outbox append refused by the test'; end $$`.execute(db);
  await sql`create trigger test_fail_append before insert on outbox_events for each row
    when (new.type = ${sql.lit(eventType)}) execute function test_fail_append()`.execute(db);
  return async () => {
    await sql`drop trigger test_fail_append on outbox_events`.execute(db);
  };
}
