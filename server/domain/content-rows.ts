import { sql, type Expression, type ExpressionBuilder, type Insertable, type Kysely, type RawBuilder, type Selectable, type SqlBool, type Transaction, type Updateable } from 'kysely';
import type { CaseStudiesTable, Database, ProblemsTable, SolutionsTable } from '../db/database.js';
import { hubNow } from '../db/hub-now.js';
import type { ContentSubject } from './content.js';

export type ContentTable = 'problems' | 'solutions' | 'case_studies';

/** Each kind of content's table. */
export const TABLE_OF = { problem: 'problems', solution: 'solutions', case_study: 'case_studies' } as const satisfies Record<ContentSubject, ContentTable>;

/**
 * A content table picked at run time, under `alias`: Kysely checks a statement on it against
 * the columns all three tables share, and no others (naming one of them instead would let
 * that table's own columns through unchecked on the other two).
 */
export function anyContentTable<A extends string>(db: Kysely<Database>, table: ContentTable, alias: A) {
  return db.dynamic.table(table).as(alias);
}

/** What must not already be true of a row for a change to apply, e.g. publishing a published one. */
export type Precondition =
  | { readonly column: 'visibility'; readonly isNot: 'published' }
  | { readonly column: 'status'; readonly isNot: 'archived' };

/** What an UPDATE must also find true of the row, or it changes nothing. */
export interface ChangeGuard {
  readonly councilId?: string;
  readonly version?: number;
  readonly precondition?: Precondition;
}

/** The columns a new row gets from its author; the owner columns come from the viewer. */
export type NewRow<Table> = Omit<Insertable<Table>, 'id' | 'council_id' | 'author_id' | 'sample' | 'version' | 'created_at' | 'updated_at'>;
/** The columns a change may set; the version and `updated_at` move on by themselves. */
export type RowChange<Table> = Omit<Updateable<Table>, 'id' | 'council_id' | 'author_id' | 'sample' | 'version' | 'created_at' | 'updated_at'>;

/** The changes the lifecycle itself makes, the same on every content table. */
export type LifecycleChange =
  | { readonly visibility: 'published'; readonly published_at: RawBuilder<Date> }
  | { readonly status: 'archived' };

/**
 * The statements of the shared content lifecycle (content.ts) for one table. Kysely checks a
 * statement's columns only against a table named where the statement is written, so each
 * table writes its own three; the lifecycle around them is written once.
 */
export interface ContentRows<Table> {
  /** The row, locked until the transaction ends. */
  lock(trx: Transaction<Database>, id: string): Promise<Selectable<Table> | undefined>;
  /**
   * Sets `set` on the row if `guard` holds, moving its version on; also returns `also`, ids
   * computed against the changed row (see publishLinked), or NOTHING_MORE.
   */
  update(trx: Transaction<Database>, id: string, set: RowChange<Table> | LifecycleChange, guard: ChangeGuard, also: AlsoReturned):
    Promise<(Selectable<Table> & { also: string[] | null }) | undefined>;
  insert(trx: Transaction<Database>, values: NewRow<Table>, owner: { councilId: string; authorId: string }): Promise<Selectable<Table>>;
}

export const PROBLEM_ROWS: ContentRows<ProblemsTable> = {
  lock: (trx, id) => trx.selectFrom('problems').selectAll().where('id', '=', id).forUpdate().executeTakeFirst(),
  update: (trx, id, set, guard, also) => trx.updateTable('problems').set({ ...set, ...nextVersion() })
    .where((eb) => guarded(eb, id, guard)).returningAll().returning(also.as('also')).executeTakeFirst(),
  insert: (trx, values, owner) => trx.insertInto('problems').values({ ...values, ...ownedBy(owner) }).returningAll().executeTakeFirstOrThrow(),
};

export const SOLUTION_ROWS: ContentRows<SolutionsTable> = {
  lock: (trx, id) => trx.selectFrom('solutions').selectAll().where('id', '=', id).forUpdate().executeTakeFirst(),
  update: (trx, id, set, guard, also) => trx.updateTable('solutions').set({ ...set, ...nextVersion() })
    .where((eb) => guarded(eb, id, guard)).returningAll().returning(also.as('also')).executeTakeFirst(),
  insert: (trx, values, owner) => trx.insertInto('solutions').values({ ...values, ...ownedBy(owner) }).returningAll().executeTakeFirstOrThrow(),
};

export const CASE_STUDY_ROWS: ContentRows<CaseStudiesTable> = {
  lock: (trx, id) => trx.selectFrom('case_studies').selectAll().where('id', '=', id).forUpdate().executeTakeFirst(),
  update: (trx, id, set, guard, also) => trx.updateTable('case_studies').set({ ...set, ...nextVersion() })
    .where((eb) => guarded(eb, id, guard)).returningAll().returning(also.as('also')).executeTakeFirst(),
  insert: (trx, values, owner) => trx.insertInto('case_studies').values({ ...values, ...ownedBy(owner) }).returningAll().executeTakeFirstOrThrow(),
};

export type AlsoReturned = RawBuilder<string[] | null>;
/** For an UPDATE with nothing more to return. */
export const NOTHING_MORE: AlsoReturned = sql<null>`null`;

function nextVersion() {
  return { version: sql<number>`version + 1`, updated_at: hubNow() };
}

function ownedBy({ councilId, authorId }: { councilId: string; authorId: string }) {
  return { council_id: councilId, author_id: authorId, sample: isSampleCouncil(councilId) };
}

/** Written against the columns every content table has, so one guard serves all three. */
function guarded(eb: ExpressionBuilder<Database, ContentTable>, id: string, guard: ChangeGuard): Expression<SqlBool> {
  const terms = [eb('id', '=', id)];
  if (guard.councilId !== undefined) terms.push(eb('council_id', '=', guard.councilId));
  if (guard.version !== undefined) terms.push(eb('version', '=', guard.version));
  // Only a draft may be published: an item hidden by moderators is not 'published' either,
  // and only a platform admin's restore shows it again.
  if (guard.precondition?.column === 'visibility') terms.push(eb('visibility', '=', 'draft'));
  else if (guard.precondition) terms.push(eb(guard.precondition.column, '<>', guard.precondition.isNot));
  return eb.and(terms);
}

/** For a new item's `sample` column: a sample council's items are sample data too, whoever writes them. */
export function isSampleCouncil(councilId: string): RawBuilder<boolean> {
  return sql<boolean>`(select sample from councils where id = ${councilId})`;
}
