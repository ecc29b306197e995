import { sql, type RawBuilder, type Transaction } from 'kysely';
import type { Database, ProblemRow, SolutionRow } from '../db/database.js';
import type { Transact } from '../db/transact.js';
import { ADVISORY_LOCKS } from '../kernel/advisory-locks.js';
import type { Viewer } from '../auth/viewer.js';
import { appendEvent } from '../events/outbox.js';
import type { EventType } from '../events/catalogue.js';
import { actedBy, publication, UNPUBLISHED, type ContentItem, type ContentStore } from './content.js';

const SOLUTION_GRAPH_LOCK = ADVISORY_LOCKS.solutionGraph;

/**
 * Takes turns with every other change to links, adoptions or what they count.
 *
 * The counts below are recomputed from rows other transactions also write. Under READ
 * COMMITTED a recount can miss a row committed while it waited for a row lock (an UPDATE
 * keeps the snapshot it started with), and two transactions locking a solution and its
 * problems in different orders can deadlock. One transaction-scoped advisory lock, taken
 * first, rules out both: every later statement sees all earlier graph changes, and row locks
 * are only ever taken while holding it. Links and adoptions are rare human actions, and
 * outbox appends already take turns until commit, so this costs little.
 *
 * `shared` is for publishing an item with no links (see publishLinked) and nothing else.
 * The constant is a literal, so the statement goes as a simple query (no parse, bind and
 * describe round of messages).
 */
export async function lockSolutionGraph(trx: Transaction<Database>, mode: 'exclusive' | 'shared' = 'exclusive'): Promise<void> {
  await (mode === 'shared'
    ? sql`select pg_advisory_xact_lock_shared(${sql.lit(SOLUTION_GRAPH_LOCK)})`
    : sql`select pg_advisory_xact_lock(${sql.lit(SOLUTION_GRAPH_LOCK)})`).execute(trx);
}

/**
 * Recomputes a solution's counts from rows, so repeats and retries are harmless. Only
 * published problems count: a count must not reveal another council's drafts.
 */
export async function recountSolutions(trx: Transaction<Database>, ids: readonly string[]): Promise<SolutionRow[]> {
  if (ids.length === 0) return [];
  return trx
    .updateTable('solutions')
    .set((eb) => ({
      adoption_count: eb.selectFrom('adoptions').select((e) => e.fn.countAll<number>().as('n'))
        .whereRef('adoptions.solution_id', '=', 'solutions.id').where('adoptions.stage', '=', 'adopted'),
      problem_count: eb.selectFrom('solution_problems')
        .innerJoin('problems', 'problems.id', 'solution_problems.problem_id')
        .select((e) => e.fn.countAll<number>().as('n'))
        .whereRef('solution_problems.solution_id', '=', 'solutions.id')
        .where('problems.visibility', '=', 'published'),
    }))
    .where('id', 'in', [...ids])
    .returningAll()
    .execute();
}

/**
 * A problem counts its published linked solutions, and the distinct councils that adopted
 * any of them (a council adopting two solutions to one problem is one adoption of it).
 */
export async function recountProblems(trx: Transaction<Database>, ids: readonly string[]): Promise<ProblemRow[]> {
  if (ids.length === 0) return [];
  return problemRecount(trx).where('id', 'in', [...ids]).returningAll().execute();
}

/**
 * Recounts the problems linked to a solution, finding them in the same statement (one round
 * trip, not two). The caller holds the graph lock, so no link can change under the lookup.
 */
export async function recountProblemsOfSolution(trx: Transaction<Database>, solutionId: string): Promise<ProblemRow[]> {
  return problemRecount(trx)
    .where('id', 'in', (eb) => eb.selectFrom('solution_problems').select('problem_id').where('solution_id', '=', solutionId))
    .returningAll()
    .execute();
}

function problemRecount(trx: Transaction<Database>) {
  return trx
    .updateTable('problems')
    .set((eb) => ({
      solution_count: eb.selectFrom('solution_problems')
        .innerJoin('solutions', 'solutions.id', 'solution_problems.solution_id')
        .select((e) => e.fn.countAll<number>().as('n'))
        .whereRef('solution_problems.problem_id', '=', 'problems.id')
        .where('solutions.visibility', '=', 'published'),
      adoption_count: eb.selectFrom('solution_problems')
        .innerJoin('adoptions', 'adoptions.solution_id', 'solution_problems.solution_id')
        .select(sql<number>`count(distinct adoptions.council_id)`.as('n'))
        .whereRef('solution_problems.problem_id', '=', 'problems.id')
        .where('adoptions.stage', '=', 'adopted'),
    }));
}

/** The ids of the solutions linked to the problem an UPDATE of `problems` returns. */
export const SOLUTIONS_OF_PROBLEM = sql<string[]>`array(select solution_id from solution_problems where solution_problems.problem_id = problems.id)`;
/** The ids of the problems linked to the solution an UPDATE of `solutions` returns. */
export const PROBLEMS_OF_SOLUTION = sql<string[]>`array(select problem_id from solution_problems where solution_problems.solution_id = solutions.id)`;

/**
 * Publishes a problem or solution and recounts what is linked to it, since counts include
 * published items only. The event is appended last, after the recount (see appendEvent).
 *
 * The UPDATE that publishes also returns the linked ids (`linkedIds`), so an item with no
 * links costs no statement for them. The graph lock is held before the UPDATE starts, so
 * its snapshot holds every committed link, and no link can change until commit.
 *
 * Most items are published with no links (links usually come once both ends are public),
 * so the first attempt holds the graph lock shared, and publishes of unlinked items run
 * side by side; they still take turns at the outbox append. That is safe because such a
 * publish changes no count: counts only ever include linked items, its item has no link
 * in the UPDATE's snapshot, and none can appear before it commits, since linking (like
 * every other change that recounts) holds the lock exclusively. Its only row lock is its
 * own item's, so it cannot join a deadlock either. An item found to have links changes
 * nothing in that attempt: it rolls back and runs again holding the lock exclusively, as
 * every publish did before, because two publishes recounting the same solution side by
 * side would each count from a snapshot without the other's item.
 */
export async function publishLinked<Table, Item extends ContentItem>(
  transact: Transact,
  store: ContentStore<Table, Item>,
  viewer: Viewer,
  id: string,
  version: number | null | undefined,
  linkedIds: RawBuilder<string[]>,
  recountLinked: (trx: Transaction<Database>, ids: readonly string[]) => Promise<unknown>,
): Promise<Item> {
  const attempt = (mode: 'shared' | 'exclusive') => transact(async (trx) => {
    await lockSolutionGraph(trx, mode);
    const { item, also } = await store.change(trx, viewer, id, version, publication(), UNPUBLISHED, linkedIds);
    const linked = also ?? [];
    if (linked.length > 0 && mode === 'shared') throw new LinkedItem();
    await recountLinked(trx, linked);
    await appendEvent(trx, store.eventFor(item, `${item.subject}.published` as EventType, actedBy(viewer)));
    return item;
  });
  try {
    return await attempt('shared');
  } catch (error) {
    if (!(error instanceof LinkedItem)) throw error;
    return attempt('exclusive');
  }
}

/** Rolls back a shared-lock publish that found links, to run again holding the lock exclusively. */
class LinkedItem extends Error {}
